using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Signing;

/// <summary>
/// Microsoft's driver signature, judged on real packages Microsoft signed (an attested one from Partner Center, a
/// WHQL one from the hardware portal) and on forgeries of them: a changed INF, a catalog re-signed by someone else, a
/// look-alike of Microsoft's chain, a removed or damaged time stamp.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class MicrosoftSignatureTests : IDisposable
{
    private static readonly string Attested = Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel");
    private static readonly X509Certificate2 Root2010 = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(RepositoryPaths.Corpus, "certs", "MicrosoftRootCertificateAuthority2010.cer"));
    private readonly TempDirectory temp = new("microsoft");

    public void Dispose() => temp.Dispose();

    private static IReadOnlyList<Diagnostic> Verify(string folder, params X509Certificate2[] anchors) =>
        PackageVerifier.VerifyPackage(CatalogContents.FolderFiles(folder), new TrustOptions(anchors, Microsoft: true));

    /// <summary>A copy of the attested package to change.</summary>
    private string Copy()
    {
        var folder = temp.Combine("package");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Attested))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            File.SetAttributes(Path.Combine(folder, Path.GetFileName(file)), FileAttributes.Normal);
        }

        return folder;
    }

    private static string Catalog(string folder) => Path.Combine(folder, "mullvad-split-tunnel.cat");

    [Fact]
    public void The_attested_package_from_Partner_Center_and_a_WHQL_package_carry_Microsofts_driver_signature()
    {
        Assert.Empty(Verify(Attested, Root2010));

        var whql = temp.Combine("whql");
        Directory.CreateDirectory(whql);
        // The catalog as Windows keeps it once installed (oem89.cat), under the name the INF gives it (CatalogFile), as the package shipped it.
        File.Copy(Path.Combine(RepositoryPaths.Corpus, "catalogs", "signify", "oem89.cat"), Path.Combine(whql, "amdacpbtscoext.cat"));
        File.Copy(Path.Combine(RepositoryPaths.Corpus, "catalogs", "signify", "amdacpbtscoext.inf"), Path.Combine(whql, "amdacpbtscoext.inf"));

        Assert.Empty(Verify(whql, Root2010));
    }

    [Fact]
    public void Microsofts_roots_ship_with_the_tool_so_no_root_need_be_given()
    {
        Assert.Empty(Verify(Attested));

        // The shipped roots are the public ones, byte for byte, and each is pinned.
        var published = Directory.GetFiles(Path.Combine(RepositoryPaths.Corpus, "certs"), "*.cer").Select(File.ReadAllBytes).Select(Convert.ToHexString).Order().ToList();
        Assert.Equal(published, MicrosoftRoots.Certificates.Select(c => Convert.ToHexString(c.RawData)).Order().ToList());
        Assert.Equal(MicrosoftRoots.Pinned.Keys.Order(), MicrosoftRoots.Certificates.Select(c => c.Thumbprint).Order());
    }

    [Fact]
    public void One_changed_INF_byte_is_caught()
    {
        var folder = Copy();
        var inf = Path.Combine(folder, "mullvad-split-tunnel.inf");
        var bytes = File.ReadAllBytes(inf);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(inf, bytes);

        var finding = Assert.Single(Verify(folder, Root2010));

        Assert.Equal("WDK4014", finding.Code);
        Assert.Equal(inf, finding.File);
    }

    [Fact]
    public void The_same_catalog_signed_by_a_test_certificate_is_not_Microsofts()
    {
        var folder = Copy();
        using var vendor = TestCertificate.Create("CN=Contoso Drivers", DateTimeOffset.UtcNow);
        var trustList = CatalogReader.TrustList(File.ReadAllBytes(Catalog(folder)), Catalog(folder));
        File.WriteAllBytes(Catalog(folder), AuthenticodeSigner.Sign("1.3.6.1.4.1.311.10.1", trustList, vendor, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256));

        // Trusting the test certificate as well changes nothing: the catalog must be Microsoft's.
        var finding = Assert.Single(Verify(folder, Root2010, vendor));

        Assert.Equal("WDK4015", finding.Code);
        Assert.Contains("not by Microsoft for drivers", finding.Message);
        Assert.DoesNotContain(PackageVerifier.VerifyPackage(CatalogContents.FolderFiles(folder), new TrustOptions(new[] { vendor }, IgnoreChain: true)), f => f.File == Catalog(folder));
    }

    [Fact]
    public void A_look_alike_of_Microsofts_chain_with_the_same_names_and_usages_is_refused_by_the_pinned_thumbprint()
    {
        var folder = Copy();
        var names = Root2010.Subject;
        var now = DateTimeOffset.UtcNow;
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest(Root2010.SubjectName, rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest(names.Replace("Microsoft Root Certificate Authority 2010", "Microsoft Windows Third Party Component CA 2014"), caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.Create(root, now.AddDays(-1), now.AddMonths(9), new byte[] { 1, 2, 3, 4 }).CopyWithPrivateKey(caKey);
        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest(names.Replace("Microsoft Root Certificate Authority 2010", "Microsoft Windows Hardware Compatibility Publisher"), leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new(MicrosoftRoots.WhqlUsage), new(MicrosoftRoots.AttestationUsage), new(TestCertificate.CodeSigning) }, false));
        using var leaf = leafRequest.Create(ca, now.AddDays(-1), now.AddMonths(6), new byte[] { 5, 6, 7, 8 }).CopyWithPrivateKey(leafKey);
        var trustList = CatalogReader.TrustList(File.ReadAllBytes(Catalog(folder)), Catalog(folder));
        File.WriteAllBytes(Catalog(folder), AuthenticodeSigner.Sign("1.3.6.1.4.1.311.10.1", trustList, leaf, new[] { X509CertificateLoader.LoadCertificate(ca.RawData) }, HashAlgorithmName.SHA256));

        // Someone who downloaded the look-alike root as Microsoft's gives it as the root to use.
        var finding = Assert.Single(Verify(folder, X509CertificateLoader.LoadCertificate(root.RawData)));

        Assert.Equal("WDK4015", finding.Code);
        Assert.Contains($"chains to '{root.Subject}' (thumbprint {root.Thumbprint}), which is not one of Microsoft's roots", finding.Message);
        // Given both roots, the chain still ends at neither pinned nor valid (the real root did not sign the fake CA).
        Assert.Contains(Assert.Single(Verify(folder, Root2010, X509CertificateLoader.LoadCertificate(root.RawData))).Code, new[] { "WDK4013", "WDK4015" });
        // Trusted as an ordinary anchor, the same chain is fine: only the pin tells it from Microsoft's.
        Assert.Empty(SignatureVerifier.VerifyCatalog(Catalog(folder), new TrustOptions(new[] { X509CertificateLoader.LoadCertificate(root.RawData) })));
    }

    [Fact]
    public void Without_its_time_stamp_the_expired_publisher_certificate_is_judged_now_and_with_a_damaged_one_the_signature_is_invalid()
    {
        var folder = Copy();
        var original = File.ReadAllBytes(Catalog(folder));

        var cms = new SignedCms();
        cms.Decode(original);
        cms.SignerInfos[0].RemoveUnsignedAttribute(cms.SignerInfos[0].UnsignedAttributes[0].Values[0]);
        File.WriteAllBytes(Catalog(folder), cms.Encode());
        var withoutStamp = Assert.Single(Verify(folder, Root2010));

        // The time in the token's TSTInfo, one digit later: the token's own signature no longer holds.
        var damaged = (byte[])original.Clone();
        var genTime = Encoding.ASCII.GetBytes("20220922095936");
        var at = damaged.AsSpan().IndexOf(genTime);
        damaged[at + 3] = (byte)'3';
        File.WriteAllBytes(Catalog(folder), damaged);
        var damagedStamp = Assert.Single(Verify(folder, Root2010));

        Assert.Equal("WDK4013", withoutStamp.Code);
        Assert.Contains("is not valid at now (it has no time stamp)", withoutStamp.Message);
        // WinVerifyTrust: a time stamp that does not verify fails the whole signature (TRUST_E_TIME_STAMP).
        Assert.Equal("WDK4018", damagedStamp.Code);
        Assert.Contains("The signature's RFC 3161 time stamp is not valid: its token's signature or message imprint does not verify", damagedStamp.Message);

        File.WriteAllBytes(Catalog(folder), original);
        Assert.Empty(Verify(folder, Root2010));
    }
}
