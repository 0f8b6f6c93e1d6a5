using System.IO.Compression;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using WdkDriver.Core.Signing;

namespace WdkDriver.Sdk.Tests;

/// <summary>Production signing through the build: a password-protected PFX, and an external signing command.</summary>
[Collection(SdkPackageCollection.Name)]
public class ProductionSigningTests
{
    private const string Password = "Wdk-Pr0d-Secret-4711";
    private readonly SdkPackageFixture sdk;

    public ProductionSigningTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    /// <summary>The Booster sample, told to trust <paramref name="certificate"/> when it verifies the package.</summary>
    private TestProject Booster(string certificate)
    {
        var project = sdk.CreateProject("production").WithSample("Booster");
        var file = project.Path("Booster.proj");
        File.WriteAllText(file, File.ReadAllText(file).Replace("</Project>", $"  <ItemGroup><VerifyTrustedCertificate Include=\"{certificate}\" /></ItemGroup>\n</Project>"));
        return project;
    }

    private static string[] SignedFiles(TestProject project) =>
        new[] { Path.Combine(project.DriverFolder(), "booster.sys"), Path.Combine(project.DriverFolder(), "booster.cat"), Path.Combine(project.ClientFolder(), "boost.exe") };

    [WindowsRustFact]
    public void A_PFX_with_its_password_in_an_environment_variable_signs_and_no_secret_reaches_a_log_binlog_output_or_package()
    {
        using var temp = new TempDirectory("prod-cert");
        using var certificate = TestCertificate.Create("CN=Contoso Production Test", DateTimeOffset.UtcNow);
        var pfx = temp.Combine("production.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, Password));
        File.WriteAllBytes(temp.Combine("production.cer"), certificate.RawData);
        var project = Booster(temp.Combine("production.cer"));
        project.Environment["WDK_E2E_PFX_PASSWORD"] = Password;

        var result = project.ShouldSucceed(project.Build("-p:SignMode=ProductionSign", $"-p:ProductionCertificate={pfx}", "-p:ProductionCertificatePasswordVariable=WDK_E2E_PFX_PASSWORD", "-v:d"));

        Assert.Empty(Directory.GetFiles(project.PackageFolder(), "*.cer", SearchOption.AllDirectories));
        File.WriteAllText(temp.Combine("production.pem"), certificate.ExportCertificatePem());
        foreach (var file in SignedFiles(project))
        {
            ToolProcess.Succeed(temp.Path, "osslsigncode", "verify", "-CAfile", "production.pem", "-in", file);
        }

        // Packed as well, with the .zip: the secrets must not reach the packages either.
        var pack = project.ShouldSucceed(project.Dotnet("pack", "-p:SignMode=ProductionSign", $"-p:ProductionCertificate={pfx}", "-p:ProductionCertificatePasswordVariable=WDK_E2E_PFX_PASSWORD", "-p:DriverPackageZip=true", "-v:d"));

        // The password and the private key appear nowhere: not in the console logs, the binary logs, any file the build
        // or the pack wrote, or any entry of the packages.
        using var rsa = certificate.GetRSAPrivateKey()!;
        var privateExponent = rsa.ExportParameters(includePrivateParameters: true).D!;
        var secrets = new[] { Encoding.UTF8.GetBytes(Password), Encoding.Unicode.GetBytes(Password), privateExponent };
        Assert.DoesNotContain(Password, result.Output);
        Assert.DoesNotContain(Password, pack.Output);
        var files = Directory.GetFiles(project.Directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "target" + Path.DirectorySeparatorChar))
            .ToList();
        var searched = files.Select(f => (Name: f, Bytes: File.ReadAllBytes(f)))
            .Concat(new[] { result.BinlogPath, pack.BinlogPath }.Select(b => ($"{b} (decompressed)", Decompress(b))))
            .Concat(files.Where(f => f.EndsWith(".nupkg", StringComparison.Ordinal) || f.EndsWith(".zip", StringComparison.Ordinal)).SelectMany(Entries))
            .ToList();
        Assert.True(searched.Count > 20, "the search covers the build's and the pack's outputs");
        Assert.Equal(2, files.Count(f => f.EndsWith(".nupkg", StringComparison.Ordinal) || f.EndsWith(".zip", StringComparison.Ordinal)));
        foreach (var (name, bytes) in searched)
        {
            Assert.All(secrets, secret => Assert.True(bytes.AsSpan().IndexOf(secret) < 0, $"a secret is in {name}"));
        }
    }

    private static byte[] Decompress(string binlog)
    {
        var bytes = new MemoryStream();
        using (var compressed = new GZipStream(File.OpenRead(binlog), CompressionMode.Decompress))
        {
            compressed.CopyTo(bytes);
        }

        return bytes.ToArray();
    }

    private static IEnumerable<(string Name, byte[] Bytes)> Entries(string archive)
    {
        using var zip = ZipFile.OpenRead(archive);
        return zip.Entries.Select(e =>
        {
            using var stream = e.Open();
            var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return ($"{archive}!{e.FullName}", bytes.ToArray());
        }).ToList();
    }

    [WindowsRustFact]
    public void An_external_sign_command_signs_the_driver_client_and_catalog()
    {
        using var temp = new TempDirectory("sign-command");
        ToolProcess.Succeed(temp.Path, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "hsm.key", "-out", "hsm.crt", "-days", "30", "-sha256", "-subj", "/CN=Signing service", "-addext", "extendedKeyUsage=codeSigning");
        ToolProcess.Succeed(temp.Path, "openssl", "x509", "-in", "hsm.crt", "-outform", "DER", "-out", "hsm.cer");
        var project = Booster(temp.Combine("hsm.cer"));
        // In the project file, as a user would write it: command-line properties lose their quotes.
        var command = $"/bin/sh -c \"osslsigncode sign -certs {temp.Combine("hsm.crt")} -key {temp.Combine("hsm.key")} -h sha256 -in $0 -out $0.out &amp;&amp; mv $0.out $0\" {{file}}";
        var projectFile = project.Path("Booster.proj");
        File.WriteAllText(projectFile, File.ReadAllText(projectFile).Replace("</Project>", $"  <PropertyGroup><SignMode>ProductionSign</SignMode><SignCommand>{command}</SignCommand></PropertyGroup>\n</Project>"));

        project.ShouldSucceed(project.Build());

        foreach (var file in SignedFiles(project))
        {
            ToolProcess.Succeed(temp.Path, "osslsigncode", "verify", "-CAfile", "hsm.crt", "-in", file);
        }
    }
}
