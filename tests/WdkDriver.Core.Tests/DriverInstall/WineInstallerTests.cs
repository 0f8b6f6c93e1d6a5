using WdkDriver.Core.DriverInstall;
using WdkDriver.Core.Installer;
using WdkDriver.Core.Packaging;

namespace WdkDriver.Core.Tests.DriverInstall;

/// <summary>
/// The installer under wine's Windows Installer (wine 8's msiexec): what it installs, what its custom actions do to
/// the legacy Hello driver (the service created, the client talking to the driver), the upgrade, the removal. Wine's
/// msiexec reports success when an action's program cannot start, so every test asserts the effects.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.LinuxPrograms)]
public sealed class WineInstallerTests : IDisposable
{
    private const string Uninstall = @"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\";

    private readonly TempDirectory temp = new("msi-wine");

    public void Dispose() => temp.Dispose();

    [WineFact]
    public void Installs_runs_upgrades_and_removes_the_legacy_driver()
    {
        var package = HelloPackage.Create(temp.Combine("package"));
        var first = temp.Combine("hello-1.0.0.msi");
        var second = temp.Combine("hello-1.1.0.msi");
        DriverInstallerBuilder.Write(first, package, HelloPackage.Settings("1.0.0"));
        DriverInstallerBuilder.Write(second, package, HelloPackage.Settings("1.1.0"));
        var firstCode = ProductCode(first);
        var secondCode = ProductCode(second);
        var client = @"""C:\Program Files\Contoso\Hello Driver\hello-client.exe""";

        using var wine = new WinePrefix();
        var installed = wine.Session(
            $"start /wait msiexec /i {WinePrefix.WindowsPath(first)} /qn /l*v {WinePrefix.WindowsPath(temp.Combine("install.log"))}",
            "echo @@install %ERRORLEVEL%",
            "sc query Hello",
            client,
            "echo @@client %ERRORLEVEL%",
            $"reg query \"{Uninstall}{firstCode}\"",
            "reg query \"HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\Environment\" /v PATH");
        var log = Log("install.log");
        Assert.True(installed.Contains("@@install 0"), installed + log);
        Assert.Contains("RUNNING", installed);
        Assert.True(installed.Contains("Hello from the kernel (22 bytes)"), installed + log);
        Assert.Contains("@@client 0", installed);
        // The Programs and Features entry: name, publisher, version, where it is.
        Assert.Matches(@"DisplayVersion\s+REG_SZ\s+1\.0\.0", installed);
        Assert.Matches(@"DisplayName\s+REG_SZ\s+Hello Driver", installed);
        Assert.Matches(@"Publisher\s+REG_SZ\s+Contoso Ltd\.", installed);
        Assert.Matches(@"InstallLocation\s+REG_SZ\s+C:\\Program Files\\Contoso\\Hello Driver\\", installed);
        Assert.Contains(@"C:\Program Files\Contoso\Hello Driver\", installed);
        Assert.True(File.Exists(Path.Combine(wine.DriveC, "windows", "system32", "drivers", "hello.sys")), "DefaultInstall copied the driver to the drivers folder");

        var upgraded = wine.Session(
            $"start /wait msiexec /i {WinePrefix.WindowsPath(second)} /qn /l*v {WinePrefix.WindowsPath(temp.Combine("upgrade.log"))}",
            "echo @@upgrade %ERRORLEVEL%",
            client,
            $"reg query \"{Uninstall}{firstCode}\"",
            "echo @@old %ERRORLEVEL%",
            $"reg query \"{Uninstall}{secondCode}\" /v DisplayVersion");
        Assert.True(upgraded.Contains("@@upgrade 0"), upgraded + Log("upgrade.log"));
        Assert.True(upgraded.Contains("Hello from the kernel (22 bytes)"), upgraded + Log("upgrade.log"));
        Assert.Contains("@@old 1", upgraded);
        Assert.Matches(@"DisplayVersion\s+REG_SZ\s+1\.1\.0", upgraded);

        var removed = wine.Session(
            $"start /wait msiexec /x {secondCode} /qn /l*v {WinePrefix.WindowsPath(temp.Combine("remove.log"))}",
            "echo @@remove %ERRORLEVEL%",
            "reg query HKLM\\System\\CurrentControlSet\\Services\\Hello",
            "echo @@service %ERRORLEVEL%",
            $"reg query \"{Uninstall}{secondCode}\"",
            "echo @@entry %ERRORLEVEL%");
        Assert.True(removed.Contains("@@remove 0"), removed + Log("remove.log"));
        Assert.True(removed.Contains("@@service 1"), removed);
        Assert.Contains("@@entry 1", removed);
        // Wine leaves the emptied manufacturer's folder behind (Windows removes the folders it made once empty).
        var manufacturer = Path.Combine(wine.DriveC, "Program Files", "Contoso");
        Assert.False(Directory.Exists(manufacturer) && Directory.EnumerateFileSystemEntries(manufacturer).Any(), "the install folder is gone");
        Assert.False(File.Exists(Path.Combine(wine.DriveC, "windows", "system32", "drivers", "hello.sys")), "DefaultUninstall deleted the driver");
    }

    [WineFact]
    public void A_release_replaces_a_build_of_its_version_and_an_x64_installer_stops_on_ARM64()
    {
        var package = HelloPackage.Create(temp.Combine("package"));
        var build = temp.Combine("hello-1.0.0-g3f2a1b.msi");
        var release = temp.Combine("hello-1.0.0.msi");
        var next = temp.Combine("hello-1.1.0.msi");
        DriverInstallerBuilder.Write(build, package, HelloPackage.Settings("1.0.0-g3f2a1b"));
        DriverInstallerBuilder.Write(release, package, HelloPackage.Settings("1.0.0"));
        DriverInstallerBuilder.Write(next, package, HelloPackage.Settings("1.1.0"));

        using var wine = new WinePrefix();
        var replaced = wine.Session(
            $"start /wait msiexec /i {WinePrefix.WindowsPath(build)} /qn",
            "echo @@build %ERRORLEVEL%",
            $"start /wait msiexec /i {WinePrefix.WindowsPath(release)} /qn /l*v {WinePrefix.WindowsPath(temp.Combine("release.log"))}",
            "echo @@release %ERRORLEVEL%",
            $"reg query \"{Uninstall}{ProductCode(build)}\"",
            "echo @@build-entry %ERRORLEVEL%",
            $"reg query \"{Uninstall}{ProductCode(release)}\"",
            "echo @@release-entry %ERRORLEVEL%");
        Assert.Contains("@@build 0", replaced);
        Assert.True(replaced.Contains("@@release 0"), replaced + Log("release.log"));
        Assert.Contains("@@build-entry 1", replaced);
        Assert.Contains("@@release-entry 0", replaced);

        // An ARM64 machine's msiexec: the x64 installer stops before any change, naming the one to take.
        var refused = wine.Session(
            "set PROCESSOR_ARCHITECTURE=ARM64",
            $"start /wait msiexec /i {WinePrefix.WindowsPath(next)} /qn /l*v {WinePrefix.WindowsPath(temp.Combine("arm64.log"))}",
            "echo @@arm64 %ERRORLEVEL%",
            $"reg query \"{Uninstall}{ProductCode(release)}\" /v DisplayVersion",
            "echo @@kept %ERRORLEVEL%");
        var log = Log("arm64.log");
        Assert.False(refused.Contains("@@arm64 0"), refused + log);
        // Windows logs the condition's text as the error (wine shows it only with a UI) and LaunchConditions as 3.
        Assert.Matches(@"Action ended [0-9:]+: LaunchConditions\. Return value [03]\.", log);
        Assert.DoesNotContain("InstallFiles", log);
        var condition = InstallerDatabaseReader.Read(next).Table("LaunchCondition")!.Rows.Single(r => ((string)r[0]!).Contains("ARM64", StringComparison.Ordinal));
        Assert.Contains("an x64 driver does not load on ARM64 Windows: install the ARM64 installer", (string)condition[1]!);
        Assert.Contains("@@kept 0", refused);
    }

    [WineFact]
    public void A_removal_that_fails_after_the_driver_was_removed_installs_it_again_and_starts_it()
    {
        // The removal's rollback partners are what puts the old version back when an upgrade fails on Windows (the
        // old product's removal runs inside the upgrade's transaction). Wine runs RemoveExistingProducts as a msiexec
        // of its own that commits, and rolls a removal back by installing the files again from the package's source,
        // which it cannot once RemoveFiles ran; so the partners are proved by a removal that fails after the driver's
        // removal and before RemoveFiles. msitools' msibuild adds the failing step, as a package author's action would be.
        // The Windows job proves the failed upgrade itself (eng/check-installers.ps1).
        var msi = temp.Combine("hello-1.0.0.msi");
        DriverInstallerBuilder.Write(msi, HelloPackage.Create(temp.Combine("package")), HelloPackage.Settings("1.0.0"));
        ToolProcess.Succeed(temp.Path, "msibuild", msi, "-q",
            "INSERT INTO `CustomAction` (`Action`, `Type`, `Source`, `Target`) VALUES ('TestFailRemoval', 3106, 'System64Folder', '\"[System64Folder]cmd.exe\" /c exit 1')");
        ToolProcess.Succeed(temp.Path, "msibuild", msi, "-q",
            "INSERT INTO `InstallExecuteSequence` (`Action`, `Condition`, `Sequence`) VALUES ('TestFailRemoval', 'REMOVE=\"ALL\"', 3490)");
        var code = ProductCode(msi);
        var driverFile = Path.Combine("windows", "system32", "drivers", "hello.sys");

        using var wine = new WinePrefix();
        var installed = wine.Session($"start /wait msiexec /i {WinePrefix.WindowsPath(msi)} /qn", "echo @@install %ERRORLEVEL%", "sc query Hello");
        Assert.Contains("@@install 0", installed);
        Assert.Contains("RUNNING", installed);
        var failed = wine.Session(
            $"start /wait msiexec /x {code} /qn /l*v {WinePrefix.WindowsPath(temp.Combine("remove.log"))}",
            "echo @@remove %ERRORLEVEL%",
            "sc query Hello",
            @"""C:\Program Files\Contoso\Hello Driver\hello-client.exe""",
            "echo @@client %ERRORLEVEL%");
        var log = Log("remove.log");
        // Windows says 1603; wine 1627.
        Assert.False(failed.Contains("@@remove 0"), failed + log);
        Assert.True(log.Contains("WdkUninstallDriver1") && log.Contains("WdkReinstallDriver1") && log.Contains("WdkRestartService1_1"), log);
        Assert.True(failed.Contains("RUNNING"), failed + log);
        Assert.True(failed.Contains("Hello from the kernel (22 bytes)"), failed + log);
        Assert.True(File.Exists(Path.Combine(wine.DriveC, driverFile)), "the driver file is back");
        // Wine's rollback unregisters the product (the Programs and Features entry is gone); Windows restores it.
    }

    [WineFact]
    public void A_first_install_whose_driver_cannot_load_leaves_nothing_behind()
    {
        var broken = HelloPackage.Create(temp.Combine("broken"));
        File.WriteAllText(broken.Single(f => f.PackagePath.EndsWith("hello.sys", StringComparison.Ordinal)).Source, "not a driver");
        var msi = temp.Combine("hello-1.0.0.msi");
        DriverInstallerBuilder.Write(msi, broken, HelloPackage.Settings("1.0.0"));

        using var wine = new WinePrefix();
        var failed = wine.Session(
            $"start /wait msiexec /i {WinePrefix.WindowsPath(msi)} /qn /l*v {WinePrefix.WindowsPath(temp.Combine("install.log"))}",
            "echo @@install %ERRORLEVEL%",
            "reg query HKLM\\System\\CurrentControlSet\\Services\\Hello",
            "echo @@service %ERRORLEVEL%",
            $"reg query \"{Uninstall}{ProductCode(msi)}\"",
            "echo @@entry %ERRORLEVEL%");
        var log = Log("install.log");
        Assert.False(failed.Contains("@@install 0"), failed + log);
        Assert.True(failed.Contains("@@service 1"), failed + log);
        Assert.Contains("@@entry 1", failed);
        Assert.False(File.Exists(Path.Combine(wine.DriveC, "windows", "system32", "drivers", "hello.sys")), "the driver file was taken back" + log);
        Assert.False(Directory.Exists(Path.Combine(wine.DriveC, "Program Files", "Contoso", "Hello Driver", "driver")), "the files were rolled back");
    }

    /// <summary>
    /// Microsoft's attested Mullvad split-tunnel package, a PnP INF (models under [Manufacturer]) for the
    /// root-enumerated device Root\mullvad-split-tunnel, with the SDK's RootDevice.ps1 in tools/ as a build lays it out.
    /// </summary>
    private List<PackageFile> MullvadPackage()
    {
        var folder = temp.Combine("package");
        var driver = Path.Combine(folder, "driver", "amd64");
        Directory.CreateDirectory(driver);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel")))
        {
            File.Copy(file, Path.Combine(driver, Path.GetFileName(file)));
        }

        Directory.CreateDirectory(Path.Combine(folder, "tools"));
        File.Copy(Path.Combine(RepositoryPaths.Root, "sdk", "install", "RootDevice.ps1"), Path.Combine(folder, "tools", "RootDevice.ps1"));
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => new PackageFile(f, Path.GetRelativePath(folder, f))).ToList();
    }

    private const string PowerShell = @"""C:\windows\system32\WindowsPowerShell\v1.0\powershell.exe"" -NoProfile -ExecutionPolicy Bypass -File ""C:\Program Files\Mullvad VPN\tools\RootDevice.ps1"" -Installer";

    [WineFact]
    public void A_PnP_driver_goes_through_pnputil_its_root_device_is_made_and_its_removal_runs_the_store_lookup_that_Windows_runs()
    {
        var msi = temp.Combine("split-tunnel.msi");
        DriverInstallerBuilder.Write(msi, MullvadPackage(), HelloPackage.Settings() with { ProductName = "Split Tunnel", InstallFolder = "Mullvad VPN" });
        var code = ProductCode(msi);

        using var wine = new WinePrefix();
        ToolRecorder.InstallPnputil(wine, temp.Path);
        ToolRecorder.InstallPowerShell(wine, temp.Path);
        var log = Path.Combine(wine.DriveC, "pnputil.log");
        var devices = Path.Combine(wine.DriveC, "powershell.log");
        var installed = wine.Session($"start /wait msiexec /i {WinePrefix.WindowsPath(msi)} /qn /l*v {WinePrefix.WindowsPath(temp.Combine("install.log"))}", "echo @@install %ERRORLEVEL%");
        Assert.True(installed.Contains("@@install 0"), installed + Log("install.log"));
        Assert.Equal(new[] { @"pnputil /add-driver ""C:\Program Files\Mullvad VPN\driver\mullvad-split-tunnel.inf"" /install" }, File.ReadAllLines(log).Select(l => l.Replace("  ", " ").Trim()));
        // After the driver is in the store, its device is made, with the hardware ID from the installer's property.
        Assert.Equal(new[] { PowerShell + @" Add ""Root\mullvad-split-tunnel"" ""C:\Program Files\Mullvad VPN\driver\mullvad-split-tunnel.inf""" }, File.ReadAllLines(devices));

        // Removal finds the store's copy of the INF (%windir%\INF\oemNN.inf) by its bytes with fc and deletes it with
        // pnputil. Wine's fc calls every pair of files equal, so the copy here is the INF's bytes, as Windows' would
        // be; that the lookup tells other packages' INFs apart is for the Windows job. A restart pnputil asks for to
        // complete the removal is msiexec's exit code.
        File.Copy(Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel", "mullvad-split-tunnel.inf"), Path.Combine(wine.DriveC, "windows", "inf", "oem1.inf"));
        File.WriteAllText(Path.Combine(wine.DriveC, "pnputil-exit.txt"), "3010");
        var removed = wine.Session($"start /wait msiexec /x {code} /qn /l*v {WinePrefix.WindowsPath(temp.Combine("remove.log"))}", "echo @@remove %ERRORLEVEL%", $"reg query \"{Uninstall}{code}\"", "echo @@entry %ERRORLEVEL%");
        var removal = Log("remove.log");
        Assert.Equal("pnputil /delete-driver oem1.inf /uninstall /force", File.ReadAllLines(log).Last().Replace("  ", " ").Trim());
        Assert.True(removed.Contains("@@remove 3010"), removed + removal);
        Assert.Contains("@@entry 1", removed);
        Assert.Matches(@"Action ended [0-9:]+: WdkRemoveDriver1\. Return value 1\.", removal);
        Assert.Equal(PowerShell + @" Remove ""Root\mullvad-split-tunnel""", File.ReadAllLines(devices).Last());
        var action = InstallerDatabaseReader.Read(msi).Table("CustomAction")!.Rows.Single(r => (string?)r[0] == "WdkRemoveDriver1");
        Assert.Equal(@"""[System64Folder]cmd.exe"" /d /v:on /c ""for %f in ([WindowsFolder]INF\oem*.inf) do @fc /b %f ""[#_driver_mullvad_split_tunnel_inf]"" >nul&&pnputil /delete-driver %~nxf /uninstall /force&if !errorlevel!==3010 cd.>%windir%\Temp\WdkRestart""", action[3]);
        Assert.False(Directory.Exists(Path.Combine(wine.DriveC, "Program Files", "Mullvad VPN", "driver")));
    }

    [WineFact]
    public void A_failing_driver_install_rolls_the_whole_install_back_and_3010_is_installed_with_a_restart_to_come()
    {
        var msi = temp.Combine("split-tunnel.msi");
        DriverInstallerBuilder.Write(msi, MullvadPackage(), HelloPackage.Settings() with { InstallFolder = "Mullvad VPN" });
        var code = ProductCode(msi);

        using var wine = new WinePrefix();
        ToolRecorder.InstallPnputil(wine, temp.Path);
        ToolRecorder.InstallPowerShell(wine, temp.Path);
        File.WriteAllText(Path.Combine(wine.DriveC, "pnputil-exit.txt"), "5");
        var failed = wine.Session($"start /wait msiexec /i {WinePrefix.WindowsPath(msi)} /qn /l*v {WinePrefix.WindowsPath(temp.Combine("failed.log"))}", "echo @@install %ERRORLEVEL%", $"reg query \"{Uninstall}{code}\"", "echo @@entry %ERRORLEVEL%");
        Assert.False(failed.Contains("@@install 0"), failed + Log("failed.log"));
        // The rollback action that takes the half-installed package out of the store again ran.
        Assert.Contains("WdkUndoAddDriver1", Log("failed.log"));
        Assert.Contains("@@entry 1", failed);
        Assert.False(File.Exists(Path.Combine(wine.DriveC, "Program Files", "Mullvad VPN", "driver", "mullvad-split-tunnel.inf")), "the files were rolled back");
        Assert.Contains(File.ReadAllLines(Path.Combine(wine.DriveC, "pnputil.log")), l => l.Contains("/add-driver"));

        // A device that cannot be made rolls back too: the device removed, then the driver taken out of the store. (Wine
        // runs every rollback action the install scheduled, also those of steps it never reached: the failure above
        // removed the device too, which Windows would not.)
        File.Delete(Path.Combine(wine.DriveC, "powershell.log"));
        File.WriteAllText(Path.Combine(wine.DriveC, "pnputil-exit.txt"), "0");
        File.WriteAllText(Path.Combine(wine.DriveC, "powershell-exit.txt"), "1");
        var noDevice = wine.Session($"start /wait msiexec /i {WinePrefix.WindowsPath(msi)} /qn /l*v {WinePrefix.WindowsPath(temp.Combine("no-device.log"))}", "echo @@install %ERRORLEVEL%");
        Assert.False(noDevice.Contains("@@install 0"), noDevice + Log("no-device.log"));
        Assert.Contains("WdkUndoAddDriver1", Log("no-device.log"));
        Assert.Equal(new[] { " Add ", " Remove " }, File.ReadAllLines(Path.Combine(wine.DriveC, "powershell.log")).Select(l => l.Contains(" Add ", StringComparison.Ordinal) ? " Add " : " Remove "));
        File.WriteAllText(Path.Combine(wine.DriveC, "powershell-exit.txt"), "0");

        // A restart pnputil asks for is msiexec's exit code too: installed, and a restart completes it.
        File.WriteAllText(Path.Combine(wine.DriveC, "pnputil-exit.txt"), "3010");
        var restart = wine.Session($"start /wait msiexec /i {WinePrefix.WindowsPath(msi)} /qn /l*v {WinePrefix.WindowsPath(temp.Combine("restart.log"))}", "echo @@install %ERRORLEVEL%");
        Assert.True(restart.Contains("@@install 3010"), restart + Log("restart.log"));
        Assert.True(File.Exists(Path.Combine(wine.DriveC, "Program Files", "Mullvad VPN", "driver", "mullvad-split-tunnel.inf")));
        Assert.False(File.Exists(Path.Combine(wine.DriveC, "windows", "Temp", "WdkRestart")), "the request was taken");

        // Installed again over itself, with nothing asking for a restart: 0.
        File.WriteAllText(Path.Combine(wine.DriveC, "pnputil-exit.txt"), "0");
        var again = wine.Session($"start /wait msiexec /x {code} /qn", $"start /wait msiexec /i {WinePrefix.WindowsPath(msi)} /qn", "echo @@again %ERRORLEVEL%");
        Assert.Contains("@@again 0", again);
    }

    private string Log(string name)
    {
        var path = temp.Combine(name);
        // Wine writes the log in the ANSI code page (Windows in UTF-16, with a byte order mark ReadAllText follows).
        return File.Exists(path) ? "\n--- " + name + "\n" + File.ReadAllText(path, System.Text.Encoding.Latin1) : string.Empty;
    }

    private static string ProductCode(string msi) =>
        (string)InstallerDatabaseReader.Read(msi).Table("Property")!.Rows.Single(r => (string?)r[0] == "ProductCode")[1]!;
}
