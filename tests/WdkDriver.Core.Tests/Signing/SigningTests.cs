using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;

namespace WdkDriver.Core.Tests.Signing;

/// <summary>Signatures this project writes, judged by osslsigncode and by .NET's SignedCms.</summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public class SigningTests : IDisposable
{
    private static readonly Lazy<X509Certificate2> Certificate = new(() => TestCertificate.Create("CN=WdkDriver signing test", DateTimeOffset.UtcNow));
    private readonly TempDirectory temp = new("sign");

    public SigningTests()
    {
        File.WriteAllText(temp.Combine("test.pem"), "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(Certificate.Value.RawData, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n");
    }

    public void Dispose() => temp.Dispose();

    private static string Makecat(string name) => Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", name);

    private int Osslsigncode(params string[] arguments) => ToolProcess.Run(temp.Path, "osslsigncode", arguments).ExitCode;

    /// <summary>The PKCS#7 inside a signed PE's WIN_CERTIFICATE.</summary>
    private static byte[] EmbeddedSignature(byte[] image)
    {
        var layout = PeImage.TryRead(new MemoryStream(image), "x")!;
        var length = BitConverter.ToInt32(image, (int)layout.CertificateTableOffset);
        return image.AsSpan((int)layout.CertificateTableOffset + 8, length - 8).ToArray();
    }

    [OsslsigncodeTheory]
    [InlineData("unsigned.exe")]
    [InlineData("pciide.sys")]
    public void A_signed_PE_verifies_with_osslsigncode_and_SignedCms_and_keeps_its_image_hash(string name)
    {
        var source = name == "pciide.sys" ? Path.Combine(RepositoryPaths.Corpus, "catalogs", "signify", name) : Makecat(name);
        var original = File.ReadAllBytes(source);

        var signed = PeSigner.Sign(original, source, Certificate.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);
        File.WriteAllBytes(temp.Combine(name), signed);

        Assert.Equal(0, Osslsigncode("verify", "-CAfile", "test.pem", "-in", temp.Combine(name)));
        var cms = new SignedCms();
        cms.Decode(EmbeddedSignature(signed));
        cms.CheckSignature(new X509Certificate2Collection(Certificate.Value), verifySignatureOnly: true);
        Assert.Equal(1, cms.Version);
        Assert.Equal(FileDigest.Compute(source, HashAlgorithmName.SHA256).Digest, FileDigest.Compute(temp.Combine(name), HashAlgorithmName.SHA256).Digest);
        var layout = PeImage.TryRead(new MemoryStream(signed), name)!;
        Assert.Equal(PeChecksum.Compute(signed, layout.ChecksumOffset), BitConverter.ToUInt32(signed, (int)layout.ChecksumOffset));
        Assert.Equal(0, layout.CertificateTableOffset % 8);
    }

    [OsslsigncodeTheory]
    [InlineData("unsigned.exe", 0)]
    [InlineData("unsigned.exe", 1)]
    [InlineData("unsigned.exe", 3)]
    [InlineData("pciide.sys", 0)]
    public void Signing_a_file_in_place_streams_the_same_bytes_and_a_CheckSum_osslsigncode_calculates_too(string name, int extraBytes)
    {
        var source = name == "pciide.sys" ? Path.Combine(RepositoryPaths.Corpus, "catalogs", "signify", name) : Makecat(name);
        // Bytes after the image (an odd count puts the end of the signed image on an odd offset before padding).
        var original = File.ReadAllBytes(source).Concat(Enumerable.Range(1, extraBytes).Select(b => (byte)b)).ToArray();
        var target = temp.Combine("in-place-" + name);
        File.WriteAllBytes(target, original);

        PeSigner.Sign(target, target, Certificate.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);

        Assert.Equal(PeSigner.Sign(original, source, Certificate.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256), File.ReadAllBytes(target));
        var verify = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", "test.pem", "-in", target });
        Assert.Equal(0, verify.ExitCode);
        // osslsigncode prints one "PE checksum" when the stored one is what it calculates, and both when they differ.
        var signed = File.ReadAllBytes(target);
        var stored = BitConverter.ToUInt32(signed, (int)PeImage.TryRead(new MemoryStream(signed), name)!.ChecksumOffset);
        Assert.Matches(new Regex($"^PE checksum\\s*:\\s*{stored:X8}$", RegexOptions.Multiline), verify.Output);
        Assert.DoesNotContain("Calculated PE checksum", verify.Output);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void Signing_a_file_that_is_not_a_PE_leaves_no_output()
    {
        var target = temp.Write("notes.txt", "not an image");

        var error = Assert.Throws<WdkException>(() => PeSigner.Sign(target, temp.Combine("signed.exe"), Certificate.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256));

        Assert.Equal(ErrorCodes.SignInputInvalid, error.Diagnostic.Code);
        Assert.Equal(new[] { "notes.txt", "test.pem" }, Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order());
    }

    [OsslsigncodeFact]
    public void Signing_again_replaces_the_signature_instead_of_growing_the_file()
    {
        var once = PeSigner.Sign(File.ReadAllBytes(Makecat("unsigned.exe")), "x", Certificate.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);

        var twice = PeSigner.Sign(once, "x", Certificate.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);

        Assert.Equal(once, twice);
    }

    [OsslsigncodeFact]
    public void A_tampered_signed_PE_is_rejected_by_osslsigncode()
    {
        var signed = PeSigner.Sign(File.ReadAllBytes(Makecat("unsigned.exe")), "x", Certificate.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);
        signed[0x1000] ^= 0x01;
        File.WriteAllBytes(temp.Combine("tampered.exe"), signed);

        Assert.NotEqual(0, Osslsigncode("verify", "-CAfile", "test.pem", "-in", temp.Combine("tampered.exe")));
    }

    [OsslsigncodeFact]
    public void A_signed_catalog_verifies_and_vouches_for_its_members()
    {
        temp.Write("package/oracle.inf", "[Version]\nSignature=\"$Windows NT$\"\nDriverVer=01/02/2025,1.0.0.0\n[SourceDisksNames]\n1=\"Disk\",,,\"\"\n[SourceDisksFiles]\ntool.exe=1\n");
        File.Copy(Makecat("unsigned.exe"), temp.Combine("package", "tool.exe"));
        var unsigned = CatalogBuilder.Build(CatalogContents.FolderFiles(temp.Combine("package")), new CatalogOptions("10_X64"), DateTimeOffset.UtcNow);

        var signed = CatalogSigner.Sign(unsigned, "x.cat", Certificate.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);
        File.WriteAllBytes(temp.Combine("signed.cat"), signed);
        // The tool is signed too, afterwards: its image hash, and so the catalog, stay valid.
        File.WriteAllBytes(temp.Combine("signed.exe"), PeSigner.Sign(File.ReadAllBytes(Makecat("unsigned.exe")), "x", Certificate.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256));

        Assert.Equal(0, Osslsigncode("verify", "-CAfile", "test.pem", "-in", temp.Combine("signed.cat")));
        Assert.Equal(0, Osslsigncode("verify", "-catalog", temp.Combine("signed.cat"), "-CAfile", "test.pem", "-in", temp.Combine("signed.exe")));
        Assert.Equal(CatalogReader.TrustList(unsigned, "u"), CatalogReader.TrustList(signed, "s"));
        Assert.True(CatalogReader.Read(signed, "s").IsSigned);
        var cms = new SignedCms();
        cms.Decode(signed);
        cms.CheckSignature(new X509Certificate2Collection(Certificate.Value), verifySignatureOnly: true);
    }

    [OsslsigncodeFact]
    public void An_ECDSA_certificate_signs_too()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ECDSA signer", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(TestCertificate.CodeSigning) }, false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(temp.Combine("ecdsa.pem"), certificate.ExportCertificatePem());

        var signed = PeSigner.Sign(File.ReadAllBytes(Makecat("unsigned.exe")), "x", certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);
        File.WriteAllBytes(temp.Combine("ecdsa.exe"), signed);

        Assert.Equal(0, Osslsigncode("verify", "-CAfile", "ecdsa.pem", "-in", temp.Combine("ecdsa.exe")));
        var cms = new SignedCms();
        cms.Decode(EmbeddedSignature(signed));
        cms.CheckSignature(new X509Certificate2Collection(certificate), verifySignatureOnly: true);
    }

    [Fact]
    public void The_test_certificate_is_a_code_signing_leaf_that_lasts()
    {
        var certificate = Certificate.Value;

        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(2048, certificate.GetRSAPublicKey()!.KeySize);
        Assert.Equal("sha256RSA", certificate.SignatureAlgorithm.FriendlyName);
        Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == TestCertificate.CodeSigning);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Empty(certificate.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.Equal(2039, certificate.NotAfter.ToUniversalTime().Year);
    }
}
