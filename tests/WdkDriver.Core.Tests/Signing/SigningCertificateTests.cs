using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Signing;

/// <summary>A certificate that cannot make a signature Windows accepts is refused before anything is signed.</summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
[Collection(ProcessEnvironment.Name)]
public class SigningCertificateTests : IDisposable
{
    private readonly TempDirectory temp = new("signing-cert");

    public void Dispose() => temp.Dispose();

    private static X509Certificate2 Certificate(DateTimeOffset notBefore, DateTimeOffset notAfter, string usage = TestCertificate.CodeSigning, RSA? key = null)
    {
        key ??= RSA.Create(2048);
        var request = new CertificateRequest("CN=Refused", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(usage) }, critical: false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    private static void AssertRefused(X509Certificate2 certificate, string reason)
    {
        var error = Assert.Throws<WdkException>(() => FileSigner.WithCertificate(certificate));
        Assert.Equal(ErrorCodes.SigningKeyUnusable, error.Diagnostic.Code);
        Assert.Contains(reason, error.Diagnostic.Message);
    }

    [Fact]
    public void An_expired_certificate_is_WDK4001()
    {
        using var certificate = Certificate(DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1));

        AssertRefused(certificate, "not now");
    }

    [Fact]
    public void A_certificate_not_for_code_signing_is_WDK4001()
    {
        using var certificate = Certificate(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), usage: "1.3.6.1.5.5.7.3.1");

        AssertRefused(certificate, "does not include code signing");
    }

    [Fact]
    public void A_PFX_whose_key_is_not_the_certificates_is_WDK4001()
    {
        // A PKCS#12 file pairing a certificate with another key under one local key id, as a mixed-up export makes it.
        using var certificate = Certificate(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var other = RSA.Create(2048);
        var keyId = new Pkcs9LocalKeyId(new byte[] { 1, 2, 3, 4 });
        var keys = new Pkcs12SafeContents();
        keys.AddShroudedKey(other, "pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)).Attributes.Add(keyId);
        var certificates = new Pkcs12SafeContents();
        certificates.AddCertificate(X509CertificateLoader.LoadCertificate(certificate.RawData)).Attributes.Add(keyId);
        var builder = new Pkcs12Builder();
        builder.AddSafeContentsUnencrypted(keys);
        builder.AddSafeContentsUnencrypted(certificates);
        builder.SealWithMac("pw", HashAlgorithmName.SHA256, 1000);
        var pfx = temp.Combine("mixed.pfx");
        File.WriteAllBytes(pfx, builder.Encode());
        Environment.SetEnvironmentVariable("WDK_TEST_MIXED_PFX", "pw");

        using var loaded = FileSigner.LoadPfx(pfx, "WDK_TEST_MIXED_PFX");

        AssertRefused(loaded, "not the key of the certificate");
    }

    [Fact]
    public void The_test_certificate_is_accepted()
    {
        using var certificate = TestCertificate.Create("CN=Accepted", DateTimeOffset.UtcNow);

        using var signer = FileSigner.WithCertificate(certificate);
        signer.Sign(Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe"), temp.Combine("signed.exe"), HashAlgorithmName.SHA256, CancellationToken.None);

        Assert.Empty(SignatureVerifier.VerifyPe(temp.Combine("signed.exe"), new TrustOptions(new[] { certificate }))!);
    }
}
