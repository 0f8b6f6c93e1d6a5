using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Signing;

[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public class VerifierTests : IDisposable
{
    private static readonly Lazy<X509Certificate2> Signer = new(() => TestCertificate.Create("CN=WdkDriver verify test", DateTimeOffset.UtcNow));
    private static readonly Lazy<X509Certificate2> Stranger = new(() => TestCertificate.Create("CN=Someone else", DateTimeOffset.UtcNow));
    private readonly TempDirectory temp = new("verify");

    public void Dispose() => temp.Dispose();

    private static TrustOptions TrustSigner => new(new[] { X509CertificateLoader.LoadCertificate(Signer.Value.RawData) });

    private static string Corpus(params string[] parts) => Path.Combine(new[] { RepositoryPaths.Corpus, "catalogs" }.Concat(parts).ToArray());

    private string SignedCopy(string source, string name)
    {
        var path = temp.Combine(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, PeSigner.Sign(File.ReadAllBytes(source), source, Signer.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256));
        return path;
    }

    [Fact]
    public void Our_signature_verifies_against_the_signers_certificate_and_only_that()
    {
        var signed = SignedCopy(Corpus("osslsigncode-makecat", "tests", "files", "unsigned.exe"), "tool.exe");

        Assert.Empty(SignatureVerifier.VerifyPe(signed, TrustSigner)!);
        Assert.Equal("WDK4013", Assert.Single(SignatureVerifier.VerifyPe(signed, new TrustOptions(new[] { Stranger.Value }))!).Code);
        Assert.Empty(SignatureVerifier.VerifyPe(signed, new TrustOptions(Array.Empty<X509Certificate2>(), IgnoreChain: true))!);
    }

    [Theory]
    [InlineData("signify", "pciide.sys")]
    [InlineData("arduino-gemma", "amd64", "libusb0.sys")]
    [InlineData("arduino-gemma", "x86", "libusb0.sys")]
    public void Real_signtool_signatures_pass_the_signature_math_and_digest_checks(params string[] parts)
    {
        Assert.Empty(SignatureVerifier.VerifyPe(Corpus(parts), new TrustOptions(Array.Empty<X509Certificate2>(), IgnoreChain: true))!);
    }

    [Theory]
    [InlineData("header", "WDK4012")]
    [InlineData("section", "WDK4012")]
    [InlineData("signature", "WDK4011")]
    public void A_byte_changed_in_the_headers_a_section_or_the_signature_is_caught(string where, string code)
    {
        var signed = SignedCopy(Corpus("osslsigncode-makecat", "tests", "files", "unsigned.exe"), "tool.exe");
        var bytes = File.ReadAllBytes(signed);
        var peOffset = BitConverter.ToInt32(bytes, 0x3C);
        var firstSection = BitConverter.ToInt32(bytes, peOffset + 24 + BitConverter.ToUInt16(bytes, peOffset + 20) + 20);
        var offset = where switch { "header" => peOffset + 8, "section" => firstSection + 16, _ => bytes.Length - 40 };
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(signed, bytes);

        Assert.Equal(code, Assert.Single(SignatureVerifier.VerifyPe(signed, TrustSigner)!).Code);
    }

    [Fact]
    public void An_unsigned_PE_is_WDK4010_and_a_file_that_is_not_a_PE_is_not_judged()
    {
        Assert.Equal("WDK4010", Assert.Single(SignatureVerifier.VerifyPe(Corpus("osslsigncode-makecat", "tests", "files", "unsigned.exe"), TrustSigner)!).Code);
        Assert.Null(SignatureVerifier.VerifyPe(Corpus("px4_drv", "PX-Q3U4.inf"), TrustSigner));
    }

    [Fact]
    public void A_byte_changed_in_a_signed_catalogs_members_breaks_its_signature()
    {
        temp.Write("pkg/driver.inf", "[Version]\nSignature=\"$Windows NT$\"\nDriverVer=01/02/2025,1.0.0.0\n");
        var catalog = CatalogBuilder.Build(CatalogContents.FolderFiles(temp.Combine("pkg")), new CatalogOptions("10_X64"), DateTimeOffset.UtcNow);
        var signed = CatalogSigner.Sign(catalog, "driver.cat", Signer.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);
        var member = signed.AsSpan().IndexOf(Convert.FromHexString(CatalogReader.Read(signed, "x").Members[0].IdentifierText));
        signed[member + 3] ^= 0x01;
        File.WriteAllBytes(temp.Combine("driver.cat"), signed);

        Assert.Equal("WDK4011", Assert.Single(SignatureVerifier.VerifyCatalog(temp.Combine("driver.cat"), TrustSigner)).Code);
    }

    [Fact]
    public void A_signed_package_verifies_and_a_changed_INF_is_not_a_catalog_member()
    {
        temp.Write("pkg/driver.inf", "[Version]\nSignature=\"$Windows NT$\"\nDriverVer=01/02/2025,1.0.0.0\nCatalogFile=driver.cat\n[SourceDisksNames]\n1=\"Disk\",,,\"\"\n[SourceDisksFiles]\ndriver.sys=1\n");
        // A driver of today (pciide.sys of 2009 breaks memory integrity's rules, which a package's verification checks too).
        SignedCopy(Path.Combine(RepositoryPaths.Samples, "PrebuiltDriver", "mingw", "hello.sys"), Path.Combine("pkg", "driver.sys"));
        var files = CatalogContents.FolderFiles(temp.Combine("pkg"));
        var catalog = CatalogBuilder.Build(files, new CatalogOptions("10_X64"), DateTimeOffset.UtcNow);
        File.WriteAllBytes(temp.Combine("pkg", "driver.cat"), CatalogSigner.Sign(catalog, "driver.cat", Signer.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256));
        files = CatalogContents.FolderFiles(temp.Combine("pkg"));

        Assert.Empty(PackageVerifier.VerifyPackage(files, TrustSigner));

        File.AppendAllText(temp.Combine("pkg", "driver.inf"), "; changed\n");
        var finding = Assert.Single(PackageVerifier.VerifyPackage(files, TrustSigner));
        Assert.Equal("WDK4014", finding.Code);
        Assert.Equal(temp.Combine("pkg", "driver.inf"), finding.File);
    }
}
