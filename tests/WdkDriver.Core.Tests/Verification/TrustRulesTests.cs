using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Verification;

/// <summary>
/// WinVerifyTrust's rules where a chain or a signature's content says more than its math: an issuer's extended key
/// usages narrow what it can issue, and each kind of file takes a signature over its own kind of content only.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class TrustRulesTests : IDisposable
{
    private const string CodeSigning = "1.3.6.1.5.5.7.3.3";
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    private readonly TempDirectory temp = new("trust-rules");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(null, true)]
    [InlineData(CodeSigning, true)]
    [InlineData("2.5.29.37.0", true)]
    [InlineData(ServerAuthentication, false)]
    public void An_intermediate_limited_to_other_usages_cannot_issue_a_code_signer(string? intermediateUsage, bool valid)
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=Test root", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var intermediateKey = RSA.Create(2048);
        var intermediateRequest = new CertificateRequest("CN=Test intermediate", intermediateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        if (intermediateUsage is not null)
        {
            intermediateRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new(intermediateUsage) }, false));
        }

        using var intermediate = intermediateRequest.Create(root, now.AddDays(-1), now.AddDays(20), new byte[] { 2 }).CopyWithPrivateKey(intermediateKey);

        using var signerKey = RSA.Create(2048);
        var signerRequest = new CertificateRequest("CN=Test code signer", signerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        signerRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new(CodeSigning) }, false));
        using var signer = signerRequest.Create(intermediate, now.AddDays(-1), now.AddDays(10), new byte[] { 3 }).CopyWithPrivateKey(signerKey);

        var cms = new SignedCms(new ContentInfo(new Oid("1.3.6.1.4.1.311.10.1"), new byte[] { 0x30, 0x00 }));
        var cmsSigner = new CmsSigner(signer) { IncludeOption = X509IncludeOption.EndCertOnly };
        cmsSigner.Certificates.Add(X509CertificateLoader.LoadCertificate(intermediate.RawData));
        cms.ComputeSignature(cmsSigner);
        var catalog = temp.Combine("narrowed.cat");
        File.WriteAllBytes(catalog, cms.Encode());

        var findings = SignatureVerifier.VerifyCatalog(catalog, new TrustOptions(new[] { X509CertificateLoader.LoadCertificate(root.RawData) }));

        if (valid)
        {
            Assert.Empty(findings);
            return;
        }

        var narrowed = Assert.Single(findings);
        Assert.Equal("WDK4013", narrowed.Code);
        Assert.Contains($"'CN=Test intermediate' in the chain of 'CN=Test code signer' is limited to {ServerAuthentication}, which leaves out {CodeSigning}", narrowed.Message);
    }

    [Fact]
    public void A_catalog_takes_a_signature_over_a_certificate_trust_list_only()
    {
        using var certificate = WdkDriver.Core.Signing.TestCertificate.Create("CN=Catalog signer", DateTimeOffset.UtcNow);
        var cms = new SignedCms(new ContentInfo(new Oid("1.2.840.113549.1.7.1"), new byte[] { 0x30, 0x00 }));
        cms.ComputeSignature(new CmsSigner(certificate));
        var catalog = temp.Combine("data.cat");
        File.WriteAllBytes(catalog, cms.Encode());

        var finding = Assert.Single(SignatureVerifier.VerifyCatalog(catalog, new TrustOptions(new[] { X509CertificateLoader.LoadCertificate(certificate.RawData) })));

        Assert.Equal("WDK4011", finding.Code);
        Assert.Contains("it signs content of type 1.2.840.113549.1.7.1, not a certificate trust list (1.3.6.1.4.1.311.10.1)", finding.Message);
    }
}
