using WdkDriver.Core.DriverInstall;
using WdkDriver.Core.Installer;

namespace WdkDriver.Core.Tests.DriverInstall;

/// <summary>
/// The installer under wine's Windows Installer (wine 8's msiexec): what it installs, what its custom actions do to
/// the legacy Hello driver (the service created, the client talking to the driver), the upgrade, the removal. Wine's
/// msiexec reports success when an action's program cannot start, so every test asserts the effects.
/// </summary>
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
            $"reg query \"{Uninstall}{firstCode}\" /v DisplayVersion",
            "reg query \"HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\Environment\" /v PATH");
        var log = Log("install.log");
        Assert.True(installed.Contains("@@install 0"), installed + log);
        Assert.Contains("RUNNING", installed);
        Assert.True(installed.Contains("Hello from the kernel (22 bytes)"), installed + log);
        Assert.Contains("@@client 0", installed);
        Assert.Matches(@"DisplayVersion\s+REG_SZ\s+1\.0\.0", installed);
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

    private string Log(string name)
    {
        var path = temp.Combine(name);
        return File.Exists(path) ? "\n--- " + name + "\n" + File.ReadAllText(path, System.Text.Encoding.Unicode) : string.Empty;
    }

    private static string ProductCode(string msi) =>
        (string)InstallerDatabaseReader.Read(msi).Table("Property")!.Rows.Single(r => (string?)r[0] == "ProductCode")[1]!;
}
