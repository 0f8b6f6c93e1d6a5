using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.DriverInstall;

namespace WdkDriver.Core.Tests.DriverInstall;

/// <summary>
/// The one decision of how Windows installs an INF, which the installer's custom actions and the install scripts (from
/// the package's plan file) both carry out: real INFs from Microsoft's samples and ours.
/// </summary>
public sealed class InstallPlanTests : IDisposable
{
    private static readonly string Samples = Path.Combine(RepositoryPaths.Corpus, "inf", "windows-driver-samples");

    private readonly TempDirectory temp = new("install-plan");

    public void Dispose() => temp.Dispose();

    private string Stamped(string source, string architecture = "amd64") =>
        temp.Write(Path.GetFileNameWithoutExtension(source) + ".inf", File.ReadAllText(source).Replace("$ARCH$", architecture));

    [Fact]
    public void A_PnP_INF_goes_to_pnputil()
    {
        var plan = DriverInstallPlan.For(Stamped(Path.Combine(Samples, "general", "toaster", "toastpkg", "inf", "toastpkg.inf")), "amd64");

        Assert.Equal(DriverInstallKind.PlugAndPlay, plan.Kind);
        Assert.Null(plan.InstallSection);
        Assert.Null(plan.UninstallSection);
        Assert.Empty(plan.Services);
    }

    [Fact]
    public void A_PnP_INF_whose_models_name_a_root_enumerated_ID_has_its_device_made()
    {
        // Microsoft's attested Mullvad package: Root\mullvad-split-tunnel under [Standard.NTamd64.10.0].
        var mullvad = DriverInstallPlan.For(Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel", "mullvad-split-tunnel.inf"), "amd64");
        Assert.Equal(new[] { @"Root\mullvad-split-tunnel" }, mullvad.RootDevices);
        Assert.Empty(DriverInstallPlan.For(Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel", "mullvad-split-tunnel.inf"), "arm64").RootDevices);

        // Microsoft's echo sample names it in lower case, with $ARCH$ decorations.
        Assert.Equal(new[] { @"root\ECHO" }, DriverInstallPlan.For(Stamped(Path.Combine(Samples, "general", "echo", "kmdf", "driver", "AutoSync", "echo.inx")), "amd64").RootDevices);
        // The toaster's IDs are its bus's ({b85b7c50-...}\MsToaster): nothing to make.
        Assert.Empty(DriverInstallPlan.For(Stamped(Path.Combine(Samples, "general", "toaster", "toastpkg", "inf", "toastpkg.inf")), "amd64").RootDevices);
    }

    [Fact]
    public void A_primitive_INF_with_a_section_per_build_names_DefaultInstall_and_the_services_of_every_section_SetupAPI_could_take()
    {
        // nullFilter: [DefaultInstall.NTamd64.10.0...25952] runs from the driver store (DIRID 13), [DefaultInstall.NTamd64]
        // before that build from drivers (12). Which one runs is SetupAPI's choice on the machine.
        var plan = DriverInstallPlan.For(Stamped(Path.Combine(Samples, "filesys", "miniFilter", "nullFilter", "nullFilter.inf")), "amd64");

        Assert.Equal(DriverInstallKind.DefaultInstall, plan.Kind);
        Assert.Equal("DefaultInstall", plan.InstallSection);
        Assert.Equal("DefaultUninstall", plan.UninstallSection);
        // One service of two sections, with the binary an installer can name (DIRID 12's).
        Assert.Equal(new[] { new DriverInstallService("NullFilter", "[System64Folder]drivers\\NullFilter.sys") }, plan.Services);
    }

    [Fact]
    public void Services_of_an_undecorated_DefaultInstall_count_and_an_INF_without_DefaultUninstall_deletes_them()
    {
        var inf = temp.Write("plain.inf", """
            [Version]
            Signature = "$WINDOWS NT$"
            [DefaultInstall]
            CopyFiles = F
            [DefaultInstall.Services]
            AddService = Plain,,Svc
            [DefaultInstall.NTarm64]
            CopyFiles = F
            [DefaultInstall.NTarm64.Services]
            AddService = ArmOnly,,Svc
            [Svc]
            ServiceBinary = %12%\plain.sys
            [F]
            plain.sys
            """);

        var plan = DriverInstallPlan.For(inf, "amd64");

        Assert.Equal("DefaultInstall", plan.InstallSection);
        Assert.Null(plan.UninstallSection);
        Assert.Equal(new[] { "Plain" }, plan.Services.Select(s => s.Name));
        Assert.Equal(new[] { "ArmOnly" }, DriverInstallPlan.For(inf, "arm64").Services.Select(s => s.Name));
    }

    [Fact]
    public void An_INF_with_neither_models_nor_a_DefaultInstall_for_the_architecture_is_WDK5011_at_the_INF()
    {
        var inf = temp.Write("arm-only.inf", "[Version]\nSignature=\"$WINDOWS NT$\"\n[DefaultInstall.NTarm64]\nCopyFiles=x\n");

        var error = Assert.Throws<WdkException>(() => DriverInstallPlan.For(inf, "amd64"));

        Assert.Equal("WDK5011", error.Diagnostic.Code);
        Assert.Equal(inf, error.Diagnostic.File);
        Assert.Contains("no [Manufacturer] models and no [DefaultInstall.NTamd64] section", error.Diagnostic.Message);
    }

    [Fact]
    public void The_package_s_plan_file_is_the_decision_as_data_in_the_INFs_order_by_name()
    {
        var booster = Stamped(Path.Combine(RepositoryPaths.Samples, "Booster", "booster.inx"));
        var toaster = Stamped(Path.Combine(Samples, "general", "toaster", "toastpkg", "inf", "toastpkg.inf"));
        var plan = temp.Combine("tools", "install-plan.amd64.json");
        Directory.CreateDirectory(temp.Combine("tools"));

        InstallPlanFile.Write(plan, "amd64", new[] { (toaster, "toastpkg.inf"), (booster, "booster.inf") });

        Assert.Equal("tools/install-plan.amd64.json", InstallPlanFile.PackagePath("AMD64"));
        Assert.Equal(
            """
            {
              "architecture": "amd64",
              "infs": [
                {
                  "inf": "booster.inf",
                  "kind": "DefaultInstall",
                  "installSection": "DefaultInstall",
                  "uninstallSection": "DefaultUninstall",
                  "services": [
                    "Booster"
                  ],
                  "rootDevices": []
                },
                {
                  "inf": "toastpkg.inf",
                  "kind": "PnP",
                  "installSection": null,
                  "uninstallSection": null,
                  "services": [],
                  "rootDevices": []
                }
              ]
            }

            """.Replace("\r\n", "\n"),
            File.ReadAllText(plan));
    }
}
