using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Processes;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Signing;

[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
[Collection(ProcessEnvironment.Name)]
public class FileSignerTests : IDisposable
{
    private readonly TempDirectory temp = new("file-signer");

    public void Dispose() => temp.Dispose();

    private static string UnsignedExe => Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe");

    [Fact]
    public void Parallel_first_uses_create_exactly_one_test_certificate_readable_by_its_owner_only()
    {
        var pfx = temp.Combine("store", "WdkDriverTestCert.pfx");

        var thumbprints = Enumerable.Range(0, 6).AsParallel().WithDegreeOfParallelism(6)
            .Select(_ => TestCertificateStore.GetOrCreate(pfx, TimeSpan.FromMinutes(1)).Thumbprint)
            .ToList();

        Assert.Single(thumbprints.Distinct());
        Assert.True(File.Exists(TestCertificateStore.CerPath(pfx)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pfx));
        }
        Assert.Equal(new[] { "WdkDriverTestCert.cer", "WdkDriverTestCert.pfx" }, Directory.GetFiles(temp.Combine("store")).Select(Path.GetFileName).Order());
    }

    [OsslsigncodeFact]
    public void A_production_PFX_signs_with_its_password_taken_from_the_named_environment_variable()
    {
        using var certificate = TestCertificate.Create("CN=Production test", DateTimeOffset.UtcNow);
        var pfx = temp.Combine("production.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "s3cret-Passw0rd"));
        Environment.SetEnvironmentVariable("WDK_TEST_PFX_PASSWORD", "s3cret-Passw0rd");
        File.WriteAllText(temp.Combine("production.pem"), certificate.ExportCertificatePem());

        var signer = FileSigner.WithCertificate(FileSigner.LoadPfx(pfx, "WDK_TEST_PFX_PASSWORD"));
        signer.Sign(UnsignedExe, temp.Combine("signed.exe"), HashAlgorithmName.SHA256, CancellationToken.None);

        Assert.Equal(0, ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", "production.pem", "-in", "signed.exe" }).ExitCode);
        var unset = Assert.Throws<WdkException>(() => FileSigner.LoadPfx(pfx, "WDK_TEST_PFX_PASSWORD_UNSET"));
        Assert.Equal("WDK4005", unset.Diagnostic.Code);
        Environment.SetEnvironmentVariable("WDK_TEST_PFX_PASSWORD_WRONG", "wrong");
        var wrong = Assert.Throws<WdkException>(() => FileSigner.LoadPfx(pfx, "WDK_TEST_PFX_PASSWORD_WRONG"));
        Assert.Equal("WDK4001", wrong.Diagnostic.Code);
        Assert.Contains("the password in the environment variable 'WDK_TEST_PFX_PASSWORD_WRONG' (ProductionCertificatePasswordVariable) does not open it", wrong.Diagnostic.Message);
        // No variable named: the message says which property names one, and that a password property is never read.
        var none = Assert.Throws<WdkException>(() => FileSigner.LoadPfx(pfx, null));
        Assert.Equal(("WDK4001", pfx), (none.Diagnostic.Code, none.Diagnostic.File));
        Assert.Contains("name that variable with ProductionCertificatePasswordVariable", none.Diagnostic.Message);
        Assert.Contains("a password given as a property or on the command line is never read", none.Diagnostic.Message);
        Assert.DoesNotContain("may be incorrect", none.Diagnostic.Message);
        Assert.DoesNotContain("s3cret", unset.Diagnostic.Message + wrong.Diagnostic.Message);
    }

    [OsslsigncodeFact]
    public void An_external_sign_command_signs_the_file_named_by_its_placeholder()
    {
        ToolProcess.Succeed(temp.Path, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "hsm.key", "-out", "hsm.crt", "-days", "30", "-sha256", "-subj", "/CN=Signing service", "-addext", "extendedKeyUsage=codeSigning");
        var command = $"/bin/sh -c \"osslsigncode sign -certs {temp.Combine("hsm.crt")} -key {temp.Combine("hsm.key")} -h sha256 -in $0 -out $0.out && mv $0.out $0\" {{file}}";

        FileSigner.WithCommand(command, ProcessRunner.Instance).Sign(UnsignedExe, temp.Combine("out", "signed.exe"), HashAlgorithmName.SHA256, CancellationToken.None);

        Assert.Equal(0, ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", "hsm.crt", "-in", temp.Combine("out", "signed.exe") }).ExitCode);
        Assert.Equal(new[] { "signed.exe" }, Directory.GetFiles(temp.Combine("out")).Select(Path.GetFileName));

        // A cabinet goes the same way: the command gets a copy with the cabinet's extension.
        var inf = temp.Write("in/Driver/driver.inf", "[Version]\r\n");
        CabinetWriter.Write(temp.Combine("submission.cab"), new[] { new CabinetSource("Driver\\driver.inf", inf) }, CabinetCompression.MsZip, new DateTime(2026, 11, 30));
        FileSigner.WithCommand(command, ProcessRunner.Instance).Sign(temp.Combine("submission.cab"), temp.Combine("out", "submission.cab"), HashAlgorithmName.SHA256, CancellationToken.None);
        Assert.Equal(0, ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", "hsm.crt", "-in", temp.Combine("out", "submission.cab") }).ExitCode);
        Assert.Empty(SignatureVerifier.VerifyCabinet(temp.Combine("out", "submission.cab"), new TrustOptions(new[] { X509CertificateLoader.LoadCertificateFromFile(temp.Combine("hsm.crt")) })));
    }

    [Fact]
    public void A_failing_sign_command_is_WDK4006_and_writes_nothing()
    {
        var signer = FileSigner.WithCommand("/bin/sh -c \"echo no token >&2; exit 7\" {file}", ProcessRunner.Instance);

        var error = Assert.Throws<WdkException>(() => signer.Sign(UnsignedExe, temp.Combine("out", "signed.exe"), HashAlgorithmName.SHA256, CancellationToken.None));

        Assert.Equal("WDK4006", error.Diagnostic.Code);
        Assert.Contains("exited with 7", error.Diagnostic.Message);
        Assert.Contains("no token", error.Diagnostic.Message);
        Assert.Empty(Directory.GetFiles(temp.Combine("out")));
    }

    [Theory]
    [InlineData("signtool sign")]
    [InlineData("")]
    public void A_sign_command_without_a_file_placeholder_is_WDK4005(string template) =>
        Assert.Equal("WDK4005", Assert.Throws<WdkException>(() => FileSigner.WithCommand(template, ProcessRunner.Instance)).Diagnostic.Code);
}

public class CertificateStoreLookupTests
{
    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
    public void A_certificate_in_the_users_personal_store_is_found_by_thumbprint()
    {
        using var certificate = TestCertificate.Create("CN=Store lookup test", DateTimeOffset.UtcNow);
        using var exportable = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.PersistKeySet);
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(exportable);
        try
        {
            using var found = CertificateStoreLookup.Find(certificate.Thumbprint.ToLowerInvariant());

            Assert.Equal(certificate.Thumbprint, found.Thumbprint);
            Assert.True(found.HasPrivateKey);
        }
        finally
        {
            store.Remove(exportable);
        }
    }

    [Theory]
    [InlineData("not-a-thumbprint", "WDK4005")]
    [InlineData("0000000000000000000000000000000000000000", "WDK4005")]
    public void A_thumbprint_that_finds_nothing_is_a_coded_error(string thumbprint, string code) =>
        Assert.Equal(code, Assert.Throws<WdkException>(() => CertificateStoreLookup.Find(thumbprint)).Diagnostic.Code);
}
