namespace WdkDriver.Core.Installer;

/// <summary>
/// The columns of the Windows Installer tables a per-machine package uses, as the Windows Installer SDK's schema
/// defines them (names, types, sizes, keys, nullability): validation tools compare a package's <c>_Columns</c> with it.
/// </summary>
public static class StandardTables
{
    public static readonly InstallerColumn[] Property = { InstallerColumn.S("Property", 72, key: true), InstallerColumn.L("Value", 0) };

    public static readonly InstallerColumn[] Directory =
    {
        InstallerColumn.S("Directory", 72, key: true), InstallerColumn.SNull("Directory_Parent", 72), InstallerColumn.L("DefaultDir", 255),
    };

    public static readonly InstallerColumn[] Component =
    {
        InstallerColumn.S("Component", 72, key: true), InstallerColumn.SNull("ComponentId", 38), InstallerColumn.S("Directory_", 72),
        InstallerColumn.I2("Attributes"), InstallerColumn.SNull("Condition", 255), InstallerColumn.SNull("KeyPath", 72),
    };

    public static readonly InstallerColumn[] File =
    {
        InstallerColumn.S("File", 72, key: true), InstallerColumn.S("Component_", 72), InstallerColumn.L("FileName", 255), InstallerColumn.I4("FileSize"),
        InstallerColumn.SNull("Version", 72), InstallerColumn.SNull("Language", 20), InstallerColumn.I2("Attributes", nullable: true), InstallerColumn.I2("Sequence"),
    };

    public static readonly InstallerColumn[] Feature =
    {
        InstallerColumn.S("Feature", 38, key: true), InstallerColumn.SNull("Feature_Parent", 38), InstallerColumn.L("Title", 64, nullable: true),
        InstallerColumn.L("Description", 255, nullable: true), InstallerColumn.I2("Display", nullable: true), InstallerColumn.I2("Level"),
        InstallerColumn.SNull("Directory_", 72), InstallerColumn.I2("Attributes"),
    };

    public static readonly InstallerColumn[] FeatureComponents = { InstallerColumn.S("Feature_", 38, key: true), InstallerColumn.S("Component_", 72, key: true) };

    public static readonly InstallerColumn[] Media =
    {
        InstallerColumn.I2("DiskId", key: true), InstallerColumn.I2("LastSequence"), InstallerColumn.L("DiskPrompt", 64, nullable: true),
        InstallerColumn.SNull("Cabinet", 255), InstallerColumn.SNull("VolumeLabel", 32), InstallerColumn.SNull("Source", 72),
    };

    public static readonly InstallerColumn[] Upgrade =
    {
        InstallerColumn.S("UpgradeCode", 38, key: true), new("VersionMin", InstallerColumnKind.String, 20, Nullable: true, Key: true),
        new("VersionMax", InstallerColumnKind.String, 20, Nullable: true, Key: true), new("Language", InstallerColumnKind.String, 255, Nullable: true, Key: true),
        new("Attributes", InstallerColumnKind.Int32, Key: true), InstallerColumn.SNull("Remove", 255), InstallerColumn.S("ActionProperty", 72),
    };

    public static readonly InstallerColumn[] LaunchCondition = { InstallerColumn.S("Condition", 255, key: true), InstallerColumn.L("Description", 255) };

    public static readonly InstallerColumn[] CustomAction =
    {
        InstallerColumn.S("Action", 72, key: true), InstallerColumn.I2("Type"), InstallerColumn.SNull("Source", 72), InstallerColumn.SNull("Target", 255),
        InstallerColumn.I4("ExtendedType", nullable: true),
    };

    /// <summary>InstallExecuteSequence, InstallUISequence and the administrative and advertising sequences.</summary>
    public static readonly InstallerColumn[] Sequence =
    {
        InstallerColumn.S("Action", 72, key: true), InstallerColumn.SNull("Condition", 255), InstallerColumn.I2("Sequence", nullable: true),
    };

    public static readonly InstallerColumn[] Environment =
    {
        InstallerColumn.S("Environment", 72, key: true), InstallerColumn.L("Name", 255), InstallerColumn.L("Value", 255, nullable: true), InstallerColumn.S("Component_", 72),
    };
}
