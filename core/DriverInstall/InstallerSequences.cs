namespace WdkDriver.Core.DriverInstall;

/// <summary>The standard actions of each sequence table of a driver installer, with WiX's and the Windows Installer SDK's numbers.</summary>
internal static class InstallerSequences
{
    /// <summary>
    /// The standard actions of a per-machine install (the Windows Installer SDK's sequence numbers). RemoveExistingProducts
    /// right after InstallInitialize, before any action writes to the script: the old product's removal is then part of
    /// this install's transaction, and a failure of the new version rolls it back with the rest (its files restored,
    /// its driver installed and started again by the removal's rollback partners). Before InstallInitialize, WiX's
    /// default, a failed upgrade leaves neither version.
    /// </summary>
    public static readonly (string Action, int Sequence)[] Execute =
    {
        ("FindRelatedProducts", 25), ("LaunchConditions", 100), ("ValidateProductID", 700), ("CostInitialize", 800), ("FileCost", 900),
        ("CostFinalize", 1000), ("MigrateFeatureStates", 1200), ("InstallValidate", 1400),
        ("InstallInitialize", 1500), ("RemoveExistingProducts", 1501), ("ProcessComponents", 1600), ("UnpublishFeatures", 1800), ("RemoveEnvironmentStrings", 3300),
        ("RemoveFiles", 3500), ("RemoveFolders", 3600), ("CreateFolders", 3700), ("InstallFiles", 4000), ("WriteEnvironmentStrings", 5200),
        ("RegisterUser", 6000), ("RegisterProduct", 6100), ("PublishFeatures", 6300), ("PublishProduct", 6400), ("InstallFinalize", 6600),
    };

    public static readonly (string Action, int Sequence)[] Ui =
    {
        ("FindRelatedProducts", 25), ("LaunchConditions", 100), ("ValidateProductID", 700), ("CostInitialize", 800), ("FileCost", 900),
        ("CostFinalize", 1000), ("MigrateFeatureStates", 1200), ("ExecuteAction", 1300),
    };

    public static readonly (string Action, int Sequence)[] AdminExecute =
    {
        ("CostInitialize", 800), ("FileCost", 900), ("CostFinalize", 1000), ("InstallValidate", 1400), ("InstallInitialize", 1500),
        ("InstallAdminPackage", 3900), ("InstallFiles", 4000), ("InstallFinalize", 6600),
    };

    public static readonly (string Action, int Sequence)[] AdminUi =
    {
        ("CostInitialize", 800), ("FileCost", 900), ("CostFinalize", 1000), ("ExecuteAction", 1300),
    };

    public static readonly (string Action, int Sequence)[] Advertise =
    {
        ("CostInitialize", 800), ("CostFinalize", 1000), ("InstallValidate", 1400), ("InstallInitialize", 1500),
        ("PublishFeatures", 6300), ("PublishProduct", 6400), ("InstallFinalize", 6600),
    };
}
