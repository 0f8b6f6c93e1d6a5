using System.Management.Automation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using System.Management.Automation.Language;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.DriverInstall;

namespace WdkDriver.Scripts.Tests;

/// <summary>
/// Install-Driver.ps1 and Uninstall-Driver.ps1 in a package tree as the SDK lays it out, with real INFs and the install
/// plan the build writes for them; pnputil, rundll32, sc and certutil are stubs that record their command lines, so
/// what is checked is what the scripts run. Whether Windows then does what those commands say is not checked here (no
/// Windows).
/// </summary>
public sealed class InstallScriptTests : IDisposable
{
    private static readonly string Scripts = Path.Combine(RepositoryPaths.Root, "sdk", "install");
    private static readonly string Samples = Path.Combine(RepositoryPaths.Corpus, "inf", "windows-driver-samples");

    private readonly TempDirectory package = new("install-scripts");
    private readonly ScriptHost host = new();

    public InstallScriptTests()
    {
        TempDirectory.CopyTree(Scripts, package.Combine("tools"));
        Directory.CreateDirectory(package.Combine("driver", "amd64"));
        // A Windows folder of the test's own, whose INF folder stands in for the driver store's published copies.
        Directory.CreateDirectory(package.Combine("windows", "INF"));
        host.Run("$env:windir = $args[0]", package.Combine("windows"));
    }

    /// <summary>Publishes a copy of the INF into the stand-in store as Windows does: %windir%\INF\oemNN.inf, the same bytes.</summary>
    private void Publish(string inf, string name) => File.Copy(inf, package.Combine("windows", "INF", name));

    public void Dispose()
    {
        host.Dispose();
        package.Dispose();
    }

    private string Install(params string[] arguments) => package.Combine("tools", "Install-Driver.ps1") + " " + string.Join(" ", arguments);

    private string Uninstall(params string[] arguments) => package.Combine("tools", "Uninstall-Driver.ps1") + " " + string.Join(" ", arguments);

    /// <summary>
    /// Puts an INF into driver/amd64/, with $ARCH$ stamped as the SDK stamps it, and writes the package's plan for the
    /// INFs there as the build does.
    /// </summary>
    private string AddInf(string source, string? name = null)
    {
        var target = package.Combine("driver", "amd64", name ?? Path.GetFileName(source).Replace(".inx", ".inf"));
        File.WriteAllText(target, File.ReadAllText(source).Replace("$ARCH$", "amd64"));
        var infs = Directory.GetFiles(package.Combine("driver", "amd64"), "*.inf").Select(f => (f, Path.GetFileName(f)));
        InstallPlanFile.Write(package.Combine("tools", "install-plan.amd64.json"), "amd64", infs);
        return target;
    }

    private string AddTestCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=WdkDriver Test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = package.Combine("WdkDriverTestCert.cer");
        File.WriteAllBytes(path, certificate.RawData);
        return certificate.Thumbprint;
    }

    private PSObject Plan() =>
        Assert.Single(host.Run($"Import-Module '{Path.Combine(Scripts, "DriverPackage.psm1")}' -Force; Get-PackageInstallPlan -PackageRoot $args[0] -Architecture amd64", package.Path));

    [Fact]
    public void The_scripts_parse_and_are_ASCII_for_Windows_PowerShell_5()
    {
        var files = Directory.GetFiles(Scripts);
        Assert.Equal(new[] { "DriverPackage.psm1", "Install-Driver.cmd", "Install-Driver.ps1", "RootDevice.ps1", "Uninstall-Driver.cmd", "Uninstall-Driver.ps1" }, files.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var script in files.Where(f => !f.EndsWith(".cmd", StringComparison.Ordinal)))
        {
            Parser.ParseFile(script, out _, out var errors);
            Assert.True(errors.Length == 0, $"{script}: {string.Join("; ", errors.Select(e => e.Message))}");
        }

        // Windows PowerShell 5 reads a file without a byte order mark as ANSI; cmd.exe wants CRLF line ends.
        Assert.All(files, f => Assert.DoesNotContain(File.ReadAllBytes(f), b => b > 0x7F));
        foreach (var wrapper in files.Where(f => f.EndsWith(".cmd", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(wrapper);
            Assert.Equal(text.Count(c => c == '\n'), text.Split("\r\n").Length - 1);
            Assert.Contains("powershell.exe -NoProfile -ExecutionPolicy Bypass -File \"%~dp0" + Path.GetFileNameWithoutExtension(wrapper) + ".ps1\" %*", text);
        }
    }

    [Fact]
    public void A_PnP_INF_is_planned_for_pnputil_with_no_section_or_services_of_its_own()
    {
        AddInf(Path.Combine(Samples, "general", "toaster", "toastpkg", "inf", "toastpkg.inf"));

        var plan = Plan();

        Assert.Equal("PnP", plan.Properties["Kind"].Value);
        Assert.Null(plan.Properties["InstallSection"].Value);
        Assert.Empty((object[])plan.Properties["Services"].Value);
    }

    [Fact]
    public void A_primitive_INF_installs_through_DefaultInstall_undecorated_for_SetupAPI_to_pick_the_machine_s_section()
    {
        var inf = AddInf(Path.Combine(Samples, "filesys", "miniFilter", "nullFilter", "nullFilter.inf"));

        var plan = Plan();

        Assert.Equal(inf, plan.Properties["Inf"].Value.ToString());
        Assert.Equal("DefaultInstall", plan.Properties["Kind"].Value);
        // [DefaultInstall.NTamd64] or [DefaultInstall.NTamd64.10.0...25952], by the running build: SetupAPI's choice.
        Assert.Equal("DefaultInstall", plan.Properties["InstallSection"].Value);
        Assert.Equal("DefaultUninstall", plan.Properties["UninstallSection"].Value);
        // %ServiceName% comes from [Strings].
        Assert.Equal(new object[] { "NullFilter" }, (object[])plan.Properties["Services"].Value);
    }

    [Fact]
    public void A_plan_naming_an_INF_the_package_lacks_is_WDK5012()
    {
        var inf = AddInf(Path.Combine(RepositoryPaths.Samples, "Booster", "booster.inx"));
        File.Delete(inf);

        var error = Assert.Throws<RuntimeException>(() => host.Run($"& {Install("-Architecture", "amd64")}"));

        Assert.Contains("error WDK5012: The package's plan installs booster.inf, which is not in", error.Message);
        Assert.Empty(host.Calls);
    }

    [Fact]
    public void Install_trusts_the_test_certificate_when_asked_then_installs_the_legacy_INF_and_starts_its_service()
    {
        var inf = AddInf(Path.Combine(RepositoryPaths.Samples, "Booster", "booster.inx"));
        AddTestCertificate();
        var certificate = package.Combine("WdkDriverTestCert.cer");

        host.Run($"& {Install("-TrustTestCertificate", "-Architecture", "amd64")}");

        Assert.Equal(
            new[]
            {
                $"certutil.exe -f -addstore Root {certificate}",
                $"certutil.exe -f -addstore TrustedPublisher {certificate}",
                $"rundll32.exe setupapi.dll,InstallHinfSection DefaultInstall 128 {inf}",
                "sc.exe query Booster",
                "sc.exe start Booster",
            },
            host.Calls);
    }

    [Fact]
    public void Install_without_the_switch_leaves_the_certificate_stores_alone()
    {
        AddInf(Path.Combine(RepositoryPaths.Samples, "Booster", "booster.inx"));
        AddTestCertificate();

        host.Run($"& {Install("-Architecture", "amd64")}");

        Assert.DoesNotContain(host.Calls, c => c.StartsWith("certutil", StringComparison.Ordinal));
    }

    [Fact]
    public void A_service_the_install_did_not_create_is_WDK5016()
    {
        AddInf(Path.Combine(RepositoryPaths.Samples, "Booster", "booster.inx"));
        host.Answer("sc.exe query Booster", 1060, "[SC] EnumQueryServicesStatus:OpenService FAILED 1060");

        var error = Assert.Throws<RuntimeException>(() => host.Run($"& {Install("-Architecture", "amd64")}"));

        Assert.Contains("error WDK5016: Installing booster.inf through [DefaultInstall] did not create the service 'Booster'", error.Message);
        Assert.DoesNotContain("sc.exe start Booster", host.Calls);
    }

    [Fact]
    public void A_service_still_marked_for_deletion_is_WDK5017_naming_the_restart()
    {
        AddInf(Path.Combine(RepositoryPaths.Samples, "Booster", "booster.inx"));
        host.Answer("sc.exe start Booster", 1072, "[SC] StartService FAILED 1072: The specified service has been marked for deletion.");

        var error = Assert.Throws<RuntimeException>(() => host.Run($"& {Install("-Architecture", "amd64")}"));

        Assert.Contains("error WDK5017: The service 'Booster' is still marked for deletion by an earlier removal", error.Message);
        Assert.Contains("restart Windows, then install again", error.Message);
    }

    [Fact]
    public void A_PnP_package_is_added_with_pnputil_and_a_missing_device_is_not_an_error()
    {
        var inf = AddInf(Path.Combine(Samples, "general", "toaster", "toastpkg", "inf", "toastpkg.inf"));
        host.Answer("pnputil.exe /add-driver*", 259, "Driver package added successfully.");

        host.Run($"& {Install("-Architecture", "amd64")}");

        Assert.Equal(new[] { $"pnputil.exe /add-driver {inf} /install" }, host.Calls);
    }

    [Fact]
    public void A_root_enumerated_device_is_made_after_its_driver_is_staged_and_removed_before_the_driver_leaves_the_store()
    {
        // Microsoft's attested Mullvad package: Root\mullvad-split-tunnel, which no bus reports.
        var inf = AddInf(Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel", "mullvad-split-tunnel.inf"));
        host.Answer("pnputil.exe /add-driver*", 259, "Driver package added successfully; no device matches it.");
        host.Answer("powershell.exe*RootDevice.ps1 Add*", 3010);
        var rootDevice = $"powershell.exe -NoProfile -ExecutionPolicy Bypass -File {package.Combine("tools", "RootDevice.ps1")}";

        var installed = host.Run($"& {Install("-Architecture", "amd64")}; $LASTEXITCODE").Last();

        Assert.Equal(new[] { $"pnputil.exe /add-driver {inf} /install", $@"{rootDevice} Add Root\mullvad-split-tunnel {inf}" }, host.Calls);
        Assert.Equal(3010, Convert.ToInt32(installed.BaseObject, System.Globalization.CultureInfo.InvariantCulture));

        Publish(inf, "oem4.inf");
        host.Run($"& {Uninstall("-Architecture", "amd64")}");

        Assert.Equal(new[] { $@"{rootDevice} Remove Root\mullvad-split-tunnel", "pnputil.exe /delete-driver oem4.inf /uninstall /force" }, host.Calls.Skip(2));
    }

    [Fact]
    public void RootDevice_ps1_compiles_its_SetupAPI_calls_and_reports_a_failure_as_WDK5018_with_a_code()
    {
        // Here SetupAPI is missing, so the first call into it fails, after the C# compiled into the session.
        var output = host.Run($"& '{Path.Combine(Scripts, "RootDevice.ps1")}' Add 'Root\\Contoso' '{package.Combine("driver", "amd64", "x.inf")}' 6>&1; \"exit=$LASTEXITCODE\"").Select(o => o.ToString()).ToList();

        Assert.True(output.Count == 2 && output[0].StartsWith("error WDK5018: ", StringComparison.Ordinal), string.Join("\n", output));
        Assert.Equal("exit=1", output[1]);
        var methods = host.Run("[WdkRootDevice].GetMethods() | Where-Object { $_.IsPublic -and $_.IsStatic -and $_.DeclaringType.Name -eq 'WdkRootDevice' } | ForEach-Object { $_.ToString() }").Select(o => o.ToString());
        Assert.Equal(new[] { "Boolean Add(System.String, System.String)", "Boolean Remove(System.String)" }, methods.Order(StringComparer.Ordinal));

        // Windows PowerShell 5.1's Add-Type compiles with the .NET Framework's compiler: C# 5 at most.
        var script = File.ReadAllText(Path.Combine(Scripts, "RootDevice.ps1"));
        var code = script.Split("@'\n")[1].Split("\n'@")[0];
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.CSharp5));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(a => MetadataReference.CreateFromFile(a));
        var compilation = CSharpCompilation.Create("RootDevice", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
    }

    [Fact]
    public void A_failing_Windows_tool_stops_the_install_with_WDK5013()
    {
        AddInf(Path.Combine(Samples, "general", "toaster", "toastpkg", "inf", "toastpkg.inf"));
        host.Answer("pnputil.exe /add-driver*", 5, "Access is denied.");

        var error = Assert.Throws<RuntimeException>(() => host.Run($"& {Install("-Architecture", "amd64")}"));

        Assert.Contains("error WDK5013", error.Message);
        Assert.Contains("exit code 5", error.Message);
    }

    [Fact]
    public void A_package_without_the_architecture_is_WDK5012()
    {
        AddInf(Path.Combine(RepositoryPaths.Samples, "Booster", "booster.inx"));

        var error = Assert.Throws<RuntimeException>(() => host.Run($"& {Install("-Architecture", "arm64")}"));

        Assert.Contains("error WDK5012: The package has no driver for arm64", error.Message);
        Assert.Contains("install-plan.arm64.json is missing", error.Message);
        Assert.Empty(host.Calls);
    }

    [Fact]
    public void Uninstall_of_a_PnP_package_deletes_each_driver_store_copy_of_its_INF_found_by_its_bytes()
    {
        var inf = AddInf(Path.Combine(Samples, "general", "toaster", "toastpkg", "inf", "toastpkg.inf"));
        Publish(inf, "oem7.inf");
        Publish(inf, "oem9.inf");
        File.WriteAllText(package.Combine("windows", "INF", "oem3.inf"), "; another package's INF\r\n");
        host.Answer("pnputil.exe /delete-driver oem9.inf*", 3010, "Driver package deleted successfully. A restart is needed.");

        var exit = host.Run($"& {Uninstall("-Architecture", "amd64")}; $LASTEXITCODE").Last();

        Assert.Equal(new[] { "pnputil.exe /delete-driver oem7.inf /uninstall /force", "pnputil.exe /delete-driver oem9.inf /uninstall /force" }, host.Calls);
        // A restart pnputil asks for is the script's exit code, as msiexec gives it.
        Assert.Equal(3010, Convert.ToInt32(exit.BaseObject, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Uninstall_of_a_legacy_package_stops_the_service_runs_DefaultUninstall_and_removes_the_certificate_when_asked()
    {
        var inf = AddInf(Path.Combine(RepositoryPaths.Samples, "Booster", "booster.inx"));
        var thumbprint = AddTestCertificate();
        host.Answer("sc.exe stop Booster", 1062, "[SC] ControlService FAILED 1062: The service has not been started.");
        // Since Windows 10 1903 InstallHinfSection stages a primitive INF into the store: its copy goes too.
        Publish(inf, "oem12.inf");

        host.Run($"& {Uninstall("-RemoveTestCertificate", "-Architecture", "amd64")}");

        Assert.Equal(
            new[]
            {
                "sc.exe stop Booster",
                $"rundll32.exe setupapi.dll,InstallHinfSection DefaultUninstall 128 {inf}",
                "pnputil.exe /delete-driver oem12.inf /uninstall /force",
                $"certutil.exe -delstore Root {thumbprint}",
                $"certutil.exe -delstore TrustedPublisher {thumbprint}",
            },
            host.Calls);
    }

    [Fact]
    public void Uninstall_without_a_DefaultUninstall_section_deletes_the_services()
    {
        var inf = AddInf(Path.Combine(RepositoryPaths.Corpus, "inf", "kernel-book-rust", "chapter_02", "chapter_02.inx"));

        host.Run($"& {Uninstall("-Architecture", "amd64")}");

        Assert.Equal(new[] { "sc.exe stop chapter_02", "sc.exe delete chapter_02" }, host.Calls);
        Assert.True(File.Exists(inf));
    }
}
