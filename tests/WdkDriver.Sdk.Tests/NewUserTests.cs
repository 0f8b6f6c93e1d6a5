using System.Text.RegularExpressions;
using WdkDriver.Core.Signing;

namespace WdkDriver.Sdk.Tests;

/// <summary>
/// A new user's half hour, as they would spend it: a driver with an odd name, in a folder with a space and a letter
/// outside ASCII, tested and packed; one mistake of each kind, each reported at the file and line the user edits with
/// what to do; then two versions of its installer installed, upgraded and removed under wine.
/// </summary>
[Collection(SdkPackageCollection.Name)]
public class NewUserTests
{
    private readonly SdkPackageFixture sdk;

    public NewUserTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    [WineFact]
    public void A_new_driver_with_an_odd_name_meets_each_mistake_at_its_line_and_its_installer_installs_upgrades_and_uninstalls()
    {
        using var root = new TempDirectory("wdk-new-user");
        var source = root.Combine("Jöhn Smith", "source");
        Directory.CreateDirectory(source);
        var project = Path.Combine(source, "Acme Widget");
        var environment = sdk.UserEnvironment(root.Combine("dotnet-home"));
        DotnetResult Dotnet(params string[] arguments) => DotnetCli.Run(project, sdk.NuGetPackages, TimeSpan.FromMinutes(8), environment, arguments);
        DotnetResult Succeed(DotnetResult result)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            return result;
        }

        void Git(params string[] arguments) => Assert.Equal(0, ToolProcess.Run(project, "git", arguments, environment).ExitCode);

        Succeed(DotnetCli.Run(source, sdk.NuGetPackages, TimeSpan.FromMinutes(2), environment, "new", "install", sdk.TemplatesPackagePath));
        Succeed(DotnetCli.Run(source, sdk.NuGetPackages, TimeSpan.FromMinutes(2), environment, "new", "wdkdriver", "-n", "Acme Widget", "--company", "Contoso Ltd", "--sdkFeed", sdk.Feed, "--ci", "none"));
        Git("init", "-q");
        Git("add", "-A");
        Git("commit", "-qm", "A new driver");

        var test = Succeed(Dotnet("test"));
        Assert.Contains("Acme Widget: Driver test passed: loaded, 1 run(s) as expected, unloaded.", test.Output);
        Assert.DoesNotContain(": warning ", test.Output, StringComparison.Ordinal);
        Succeed(Dotnet("pack", "-p:DriverInstaller=msi"));
        var packs = Path.Combine(project, "bin", "Release", "test-signed");
        var first = Assert.Single(Directory.GetFiles(packs, "*.msi"));
        Assert.Equal("Acme-Widget.0.1.1.amd64.msi", Path.GetFileName(first));

        // One mistake at a time, each undone before the next: where it is reported, and what the message says to do.
        var inx = Path.Combine(project, "acme_widget.inx");
        var projectFile = Path.Combine(project, "Acme Widget.proj");
        void Mistake(string file, Func<string, string> change, string[] build, string location, params string[] advice)
        {
            var original = File.ReadAllText(file);
            File.WriteAllText(file, change(original));
            try
            {
                var result = Dotnet(new[] { "build" }.Concat(build).ToArray());
                Assert.True(result.ExitCode != 0, result.ToString());
                var error = Regex.Match(result.Output, "^" + Regex.Escape(location) + " ?: error (?<rest>.*)$", RegexOptions.Multiline);
                Assert.True(error.Success, $"no error at {location}:\n{result.Output}");
                foreach (var text in advice)
                {
                    Assert.Contains(text, error.Groups["rest"].Value);
                }
            }
            finally
            {
                File.WriteAllText(file, original);
            }
        }

        int LineOf(string file, string text) => Array.FindIndex(File.ReadAllLines(file), l => l.Contains(text, StringComparison.Ordinal)) + 1;

        // A misspelt service binary: refused at build, not at the customer's install.
        var serviceBinary = LineOf(inx, "ServiceBinary");
        Mistake(inx, t => t.Replace(@"\acme_widget.sys", @"\acme_widgets.sys"), Array.Empty<string>(), $"{inx}({serviceBinary},17)",
            "WDK3013: ServiceBinary names acme_widgets.sys, which acme_widget.inf does not install (acme_widget.sys is what it installs)");
        // A [Version] header without its bracket: the line to fix, not "no [Version] section".
        var version = LineOf(inx, "[Version]");
        Mistake(inx, t => t.Replace("[Version]", "[Version"), Array.Empty<string>(), $"{inx}({version},1)",
            "WDK2006", "this line does not parse: the section header has no closing ']'");
        // A cargo that is not there: at the project, saying so.
        Mistake(projectFile, t => t, new[] { "-p:CargoPath=/opt/no-such-rust/cargo" }, projectFile,
            "WDK1002: CargoPath '/opt/no-such-rust/cargo' does not exist.");
        // A production certificate without the variable that holds its password.
        using (var certificate = TestCertificate.Create("CN=Contoso Ltd", DateTimeOffset.UtcNow))
        {
            File.WriteAllBytes(root.Combine("contoso.pfx"), certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "Pfx-Passw0rd-1"));
        }

        Mistake(projectFile, t => t, new[] { "-p:SignMode=ProductionSign", $"-p:ProductionCertificate={root.Combine("contoso.pfx")}" }, root.Combine("contoso.pfx"),
            "WDK4001", "name that variable with ProductionCertificatePasswordVariable", "never read");
        // A type mistake in the driver: at the source line, with rustc's whole suggestion.
        var lib = Path.Combine(project, "driver", "src", "lib.rs");
        Mistake(lib, t => t + "\npub fn widen(a: u32, b: u32) -> u64 { a + b }\n", Array.Empty<string>(), $"{lib}({File.ReadAllLines(lib).Length + 2},39)",
            "E0308", "`pub fn widen(a: u32, b: u32) -> u64 { (a + b).into() }`");
        // A test run whose client is not in the package: at the DriverTestRun item.
        var run = LineOf(projectFile, "<DriverTestRun");
        Mistake(projectFile, t => t.Replace("<DriverTestRun Include=\"acme_widget-client\"", "<DriverTestRun Include=\"acme-client\""), new[] { "-t:TestDriver" },
            $"{projectFile}({run},5)", "WDK6010: The test run's client 'acme-client' is not in the package's client folder", "Build it into the package");

        // Version 0.1.2, with a change its users see, installed over 0.1.1 under wine's Windows Installer.
        var client = Path.Combine(project, "client", "src", "main.rs");
        File.WriteAllText(client, File.ReadAllText(client).Replace("answered PING", "replied PING"));
        Git("add", "-A");
        Git("commit", "-qm", "The client replies");
        Succeed(Dotnet("pack", "-p:DriverInstaller=msi"));
        var second = Path.Combine(packs, "Acme-Widget.0.1.2.amd64.msi");
        Assert.True(File.Exists(second), string.Join(", ", Directory.GetFiles(packs)));

        using var wine = new WinePrefix();
        File.Copy(first, Path.Combine(wine.DriveC, "v1.msi"));
        File.Copy(second, Path.Combine(wine.DriveC, "v2.msi"));
        var productCode = (string)WdkDriver.Core.Installer.InstallerDatabaseReader.Read(second).Table("Property")!.Rows.Single(r => (string?)r[0] == "ProductCode")[1]!;
        var client64 = @"""C:\Program Files\Contoso Ltd\Acme-Widget\acme_widget-client.exe""";
        var session = wine.Session(
            @"start /wait msiexec /i C:\v1.msi /qn",
            "echo @@install %ERRORLEVEL%",
            client64,
            @"start /wait msiexec /i C:\v2.msi /qn /l*v C:\upgrade.log",
            "echo @@upgrade %ERRORLEVEL%",
            client64,
            @"reg query HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall /s",
            $"start /wait msiexec /x {productCode} /qn",
            "echo @@remove %ERRORLEVEL%",
            @"reg query HKLM\System\CurrentControlSet\Services\acme_widget",
            "echo @@service %ERRORLEVEL%");
        Assert.Contains("@@install 0", session);
        Assert.Contains("Acme_Widget answered PING (ping 1)", session);
        // Should wine's upgrade fail, what it did is in the failure: the session and Windows Installer's log.
        var upgradeLog = Path.Combine(wine.DriveC, "upgrade.log");
        Assert.True(session.Contains("@@upgrade 0"), session + (File.Exists(upgradeLog) ? "\n--- upgrade.log\n" + File.ReadAllText(upgradeLog, System.Text.Encoding.Latin1) : string.Empty));
        Assert.Contains("Acme_Widget replied PING (ping 1)", session);
        // One entry in Programs and Features after the upgrade: 0.1.2's, published by the company given.
        Assert.Single(Regex.Matches(session, @"DisplayName\s+REG_SZ\s+Acme-Widget"));
        Assert.Matches(@"Publisher\s+REG_SZ\s+Contoso Ltd", session);
        Assert.Matches(@"DisplayVersion\s+REG_SZ\s+0\.1\.2", session);
        Assert.True(session.Contains("@@remove 0"), session);
        Assert.True(session.Contains("@@service 1"), session);
    }
}
