using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Installer;
using WdkDriver.Core.Verification;

namespace WdkDriver.Sdk.Tests;

/// <summary>
/// <c>dotnet pack -p:DriverInstaller=msi</c>: the signed installer beside the .nupkg, read by msitools, verified by
/// osslsigncode, the same bytes from a second pack, installed and used under wine's msiexec; wrong settings are coded
/// errors at the project file.
/// </summary>
[Collection(SdkPackageCollection.Name)]
public class InstallerPackTests
{
    private static readonly DateTimeOffset CommitTime = new(2025, 3, 4, 5, 6, 8, TimeSpan.Zero);

    private readonly SdkPackageFixture sdk;

    public InstallerPackTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    [CDriverFact]
    public void Packing_with_an_installer_writes_a_signed_reproducible_msi_msitools_reads_and_osslsigncode_verifies()
    {
        var project = sdk.CreateProject("pack-msi").WithSample("PrebuiltDriver").WithGitHistory(CommitTime);
        project.Write("LICENSE.txt", "Use it as you like.\n");
        string[] pack = { "pack", "-c", "Release", "-p:DriverInstaller=msi", "-p:DriverInstallerManufacturer=Contoso", "-p:DriverInstallerAddToPath=true", "-p:DriverInstallerLicenseFile=LICENSE.txt" };

        var result = project.ShouldSucceed(project.Dotnet(pack));

        Assert.DoesNotContain("warning", result.Output);
        var msi = Assert.Single(Directory.GetFiles(project.Path("bin", "Release", "test-signed"), "PrebuiltDriver.*.msi"));
        var version = Path.GetFileName(msi)["PrebuiltDriver.".Length..^".amd64.msi".Length];
        Assert.Contains($"PrebuiltDriver -> {msi} (driver installer)", result.Output);

        // Signed with the test certificate, verified by osslsigncode and by the project's verifier.
        using var work = new TempDirectory("msi-check");
        var certificate = Path.Combine(project.PackageFolder("Release"), "WdkDriverTestCert.cer");
        ToolProcess.Succeed(work.Path, "openssl", "x509", "-inform", "DER", "-in", certificate, "-out", "test.pem");
        ToolProcess.Succeed(work.Path, "osslsigncode", "verify", "-CAfile", "test.pem", "-in", msi);
        Assert.Empty(SignatureVerifier.VerifyInstaller(msi, new TrustOptions(new[] { X509CertificateLoader.LoadCertificateFromFile(certificate) })));

        // msitools: the product meant, and every file the package folder holds, byte for byte.
        var (code, properties) = ToolProcess.Run(work.Path, "msiinfo", new[] { "export", msi, "Property" });
        Assert.True(code == 0, properties);
        Assert.Contains("Manufacturer\tContoso", properties);
        Assert.Contains("ProductName\tPrebuiltDriver", properties);
        Assert.Contains($"ProductVersion\t{string.Join('.', version.Split('.', '-').Take(3))}", properties);
        ToolProcess.Succeed(work.Path, "msiextract", "-C", work.Combine("extracted"), msi);
        var installed = work.Combine("extracted", "Contoso", "PrebuiltDriver");
        foreach (var (inPackage, inInstall) in new[] { ("driver/amd64/hello.sys", "driver/hello.sys"), ("driver/amd64/hello.inf", "driver/hello.inf"), ("driver/amd64/hello.cat", "driver/hello.cat"), ("client/amd64/hello-client.exe", "hello-client.exe") })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(project.PackageFolder("Release"), inPackage)), File.ReadAllBytes(Path.Combine(installed, inInstall)));
        }

        Assert.Equal("Use it as you like.\n", File.ReadAllText(Path.Combine(installed, "LICENSE.txt")));

        // The same commit packed again from scratch, with the same key: the same installer.
        var first = File.ReadAllBytes(msi);
        Directory.Delete(project.Path("bin"), recursive: true);
        Directory.Delete(project.Path("obj"), recursive: true);
        project.ShouldSucceed(project.Dotnet(pack));
        Assert.Equal(first, File.ReadAllBytes(msi));
    }

    [WineFact]
    public void The_packed_installer_installs_and_runs_the_driver_under_wine()
    {
        var project = sdk.CreateProject("pack-msi-wine").WithSample("PrebuiltDriver").WithGitHistory(CommitTime);
        project.ShouldSucceed(project.Dotnet("pack", "-c", "Release", "-p:DriverInstaller=msi", "-p:DriverInstallerManufacturer=Contoso"));
        var msi = Assert.Single(Directory.GetFiles(project.Path("bin", "Release", "test-signed"), "PrebuiltDriver.*.msi"));

        // Wine's Windows Installer installs it: the driver's service runs and the client talks to it; then it is removed.
        using var wine = new WinePrefix();
        var productCode = (string)InstallerDatabaseReader.Read(msi).Table("Property")!.Rows.Single(r => (string?)r[0] == "ProductCode")[1]!;
        var session = wine.Session(
            $"start /wait msiexec /i {WinePrefix.WindowsPath(msi)} /qn",
            "echo @@install %ERRORLEVEL%",
            @"""C:\Program Files\Contoso\PrebuiltDriver\hello-client.exe""",
            $"start /wait msiexec /x {productCode} /qn",
            "echo @@remove %ERRORLEVEL%",
            @"reg query HKLM\System\CurrentControlSet\Services\Hello",
            "echo @@service %ERRORLEVEL%");
        Assert.True(session.Contains("@@install 0"), session);
        Assert.True(session.Contains("Hello from the kernel (22 bytes)"), session);
        Assert.True(session.Contains("@@remove 0"), session);
        Assert.True(session.Contains("@@service 1"), session);
    }

    [CDriverFact]
    public void Wrong_installer_settings_are_errors_at_the_project_file()
    {
        var project = sdk.CreateProject("msi-settings").WithSample("PrebuiltDriver");
        project.ShouldSucceed(project.Build("-c", "Release"));

        foreach (var (setting, message) in new[]
        {
            ("-p:DriverInstaller=wix", "error WDK5053: DriverInstaller 'wix' is not an installer this SDK makes"),
            ("-p:DriverInstallerUpgradeCode=nope", "error WDK5050: DriverInstallerUpgradeCode 'nope' is not a GUID"),
            ("-p:DriverInstallerFolder=../Windows", "error WDK5050: The install folder '../Windows' must be a relative folder under Program Files"),
            ("-p:DriverInstallerAddToPath=yes", "error WDK5050: DriverInstallerAddToPath 'yes' is not true or false."),
            ("-p:DriverInstallerLicenseFile=LICENCE.txt", "error WDK5050: DriverInstallerLicenseFile 'LICENCE.txt' does not exist"),
        })
        {
            var result = project.ShouldFail(project.Dotnet("pack", "-c", "Release", "--no-build", "-p:DriverInstaller=" + (setting.StartsWith("-p:DriverInstaller=", StringComparison.Ordinal) ? setting.Split('=')[1] : "msi"), setting));

            Assert.True(result.Output.Contains($"{project.Path("PrebuiltDriver.proj")} : {message}"), result.Output);
            Assert.Empty(Directory.GetFiles(project.Path("bin", "Release", "test-signed"), "*.msi"));
        }
    }
}
