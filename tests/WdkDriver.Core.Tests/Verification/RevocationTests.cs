using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Verification;

/// <summary>
/// Offline revocation: a certificate a given list revokes before the signature's time stamp, or at all without one,
/// is refused; one revoked after the time stamp signed while it was good. Lists from .NET's builder and from openssl.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class RevocationTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly DateTime Stamped = Now.AddDays(-5).UtcDateTime;
    private readonly TempDirectory temp = new("crl");
    private readonly RSA caKey = RSA.Create(2048);
    private readonly X509Certificate2 ca;
    private readonly X509Certificate2 leaf;
    private readonly X509Certificate2 authority;

    public RevocationTests()
    {
        ca = Authority("CN=Revoking CA", caKey, ca: true);
        using var leafKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=Revocable signer", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new("1.3.6.1.5.5.7.3.3") }, false));
        leaf = request.Create(ca, Now.AddDays(-30), Now.AddDays(30), new byte[] { 0x42, 0x17 }).CopyWithPrivateKey(leafKey);
        using var tsaKey = RSA.Create(2048);
        authority = Authority("CN=Revocation test TSA", tsaKey, ca: false);
    }

    public void Dispose()
    {
        caKey.Dispose();
        temp.Dispose();
    }

    private static X509Certificate2 Authority(string name, RSA key, bool ca)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(ca ? new X509BasicConstraintsExtension(true, false, 0, true) : new X509EnhancedKeyUsageExtension(new OidCollection { new("1.3.6.1.5.5.7.3.8") }, true));
        if (ca)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        }

        return request.CreateSelfSigned(Now.AddDays(-60), Now.AddDays(60));
    }

    /// <summary>A catalog signed by the leaf, countersigned (legacy time stamp) by the authority at <see cref="Stamped"/> when asked.</summary>
    private string Catalog(bool stamped)
    {
        var cms = new SignedCms(new ContentInfo(new Oid("1.3.6.1.4.1.311.10.1"), new byte[] { 0x30, 0x00 }));
        cms.ComputeSignature(new CmsSigner(leaf) { IncludeOption = X509IncludeOption.EndCertOnly });
        cms.AddCertificate(X509CertificateLoader.LoadCertificate(ca.RawData));
        if (stamped)
        {
            var counter = new CmsSigner(authority) { IncludeOption = X509IncludeOption.EndCertOnly };
            counter.SignedAttributes.Add(new Pkcs9SigningTime(Stamped));
            cms.SignerInfos[0].ComputeCounterSignature(counter);
        }

        var path = temp.Combine(stamped ? "stamped.cat" : "bare.cat");
        File.WriteAllBytes(path, cms.Encode());
        return path;
    }

    private RevocationList List(DateTimeOffset revoked, X509Certificate2? signer = null)
    {
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(leaf, revoked);
        var path = temp.Combine($"list-{Guid.NewGuid():N}.crl");
        File.WriteAllBytes(path, builder.Build(signer ?? ca, BigInteger.One, Now.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, Now.AddDays(-1)));
        return RevocationList.Load(path);
    }

    private IReadOnlyList<Diagnostic> Verify(string catalog, params RevocationList[] lists) =>
        SignatureVerifier.VerifyCatalog(catalog, new TrustOptions(new[] { X509CertificateLoader.LoadCertificate(ca.RawData), X509CertificateLoader.LoadCertificate(authority.RawData) }) { RevocationLists = lists });

    [Fact]
    public void Revoked_before_the_time_stamp_is_refused_and_after_it_is_accepted()
    {
        var catalog = Catalog(stamped: true);

        Assert.Empty(Verify(catalog));
        var before = Assert.Single(Verify(catalog, List(Stamped.AddDays(-1))));
        Assert.Equal("WDK4016", before.Code);
        Assert.Contains("CN=Revocable signer", before.Message);
        Assert.Empty(Verify(catalog, List(Stamped.AddDays(1))));
    }

    [Fact]
    public void Without_a_time_stamp_a_revoked_certificate_is_refused_whenever_it_was_revoked()
    {
        Assert.Equal("WDK4016", Assert.Single(Verify(Catalog(stamped: false), List(Now.AddDays(-1)))).Code);
    }

    [Fact]
    public void A_list_in_the_issuers_name_that_another_key_signed_is_refused()
    {
        using var otherKey = RSA.Create(2048);
        using var impostor = Authority("CN=Revoking CA", otherKey, ca: true);

        Assert.Equal("WDK4017", Assert.Single(Verify(Catalog(stamped: true), List(Stamped.AddDays(1), impostor))).Code);
    }

    [Fact]
    public void A_list_openssl_wrote_in_PEM_revokes_what_it_lists()
    {
        File.WriteAllText(temp.Combine("ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(temp.Combine("ca.key"), caKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(temp.Combine("leaf.pem"), leaf.ExportCertificatePem());
        temp.Write("index.txt", string.Empty);
        temp.Write("ca.cnf", "[ ca ]\ndefault_ca = own\n[ own ]\ndatabase = index.txt\ncertificate = ca.pem\nprivate_key = ca.key\ndefault_md = sha256\ndefault_crl_days = 7\n");
        ToolProcess.Succeed(temp.Path, "openssl", "ca", "-config", "ca.cnf", "-revoke", "leaf.pem");
        ToolProcess.Succeed(temp.Path, "openssl", "ca", "-config", "ca.cnf", "-gencrl", "-out", "ca.crl");

        Assert.Equal("WDK4016", Assert.Single(Verify(Catalog(stamped: false), RevocationList.Load(temp.Combine("ca.crl")))).Code);
    }

    [Fact]
    public void A_file_that_is_no_revocation_list_is_WDK4017_at_the_file()
    {
        var path = temp.Write("not.crl", "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");

        var error = Assert.Throws<WdkException>(() => RevocationList.Load(path));

        Assert.Equal("WDK4017", error.Diagnostic.Code);
        Assert.Equal(path, error.Diagnostic.File);
    }
}
