using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Verification;

/// <summary>
/// What the WIN_CERTIFICATE around a PE's signature holds, which lies outside the Authenticode hash: Windows reads a
/// signature only from revision 2.0 of type PKCS_SIGNED_DATA (osslsigncode refuses any other too; the PE checksum is
/// made right so that nothing else differs), and only one made for a PE image.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class WinCertificateTests : IDisposable
{
    private readonly TempDirectory temp = new("win-certificate");
    private readonly X509Certificate2 certificate = TestCertificate.Create("CN=Win Certificate", DateTimeOffset.UtcNow);

    public void Dispose()
    {
        certificate.Dispose();
        temp.Dispose();
    }

    /// <summary>A PE image carrying a cabinet's signature: the PE SIP takes only SPC_PE_IMAGE_DATA.</summary>
    [Fact]
    public void A_cabinets_signature_on_a_PE_image_is_refused_for_its_kind_before_its_digest()
    {
        temp.Write("in/a.txt", "a cabinet's content");
        CabinetWriter.Write(temp.Combine("a.cab"), new[] { new CabinetSource("a.txt", temp.Combine("in", "a.txt")) }, CabinetCompression.MsZip, DateTime.UnixEpoch);
        CabinetSigner.Sign(temp.Combine("a.cab"), temp.Combine("signed.cab"), certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);
        byte[] cabinetSignature;
        using (var cabinet = File.OpenRead(temp.Combine("signed.cab")))
        {
            var (offset, length) = CabinetSigningLayout.Read(cabinet, "signed.cab", "WDK5000").Signature!.Value;
            cabinetSignature = File.ReadAllBytes(temp.Combine("signed.cab")).AsSpan((int)offset, (int)length).ToArray();
        }

        var unsigned = File.ReadAllBytes(Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe"));
        var signed = PeSigner.Sign(unsigned, "tool.exe", certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);
        var layout = PeImage.TryRead(new MemoryStream(signed), "tool.exe")!;
        var table = new byte[(8 + cabinetSignature.Length + 7) / 8 * 8];
        BitConverter.GetBytes((uint)(8 + cabinetSignature.Length)).CopyTo(table, 0);
        BitConverter.GetBytes((ushort)0x0200).CopyTo(table, 4);
        BitConverter.GetBytes((ushort)0x0002).CopyTo(table, 6);
        cabinetSignature.CopyTo(table, 8);
        var image = signed.AsSpan(0, (int)layout.CertificateTableOffset).ToArray().Concat(table).ToArray();
        BitConverter.GetBytes((uint)table.Length).CopyTo(image, layout.CertificateDirectoryOffset + 4);
        BitConverter.GetBytes(PeChecksum.Compute(image, layout.ChecksumOffset)).CopyTo(image, layout.ChecksumOffset);
        File.WriteAllBytes(temp.Combine("tool.exe"), image);

        var finding = Assert.Single(SignatureVerifier.VerifyPe(temp.Combine("tool.exe"), new TrustOptions(new[] { certificate }))!);

        Assert.Equal("WDK4011", finding.Code);
        Assert.Contains("The signature is not a PE image's: its indirect data is of type 1.3.6.1.4.1.311.2.1.25, not 1.3.6.1.4.1.311.2.1.15", finding.Message);
    }

    [OsslsigncodeTheory]
    [InlineData(0x0200, 0x0002, null)]
    [InlineData(0x0100, 0x0002, "revision 0x0100, type 2")]
    [InlineData(0x0200, 0x0001, "revision 0x0200, type 1")]
    public void Only_a_revision_2_PKCS_signed_data_header_carries_a_signature(int revision, int type, string? refused)
    {
        var unsigned = File.ReadAllBytes(Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe"));
        var image = PeSigner.Sign(unsigned, "tool.exe", certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256);
        var layout = PeImage.TryRead(new MemoryStream(image), "tool.exe")!;
        BitConverter.GetBytes((ushort)revision).CopyTo(image, layout.CertificateTableOffset + 4);
        BitConverter.GetBytes((ushort)type).CopyTo(image, layout.CertificateTableOffset + 6);
        BitConverter.GetBytes(PeChecksum.Compute(image, layout.ChecksumOffset)).CopyTo(image, layout.ChecksumOffset);
        var path = temp.Combine("tool.exe");
        File.WriteAllBytes(path, image);
        File.WriteAllText(temp.Combine("signer.pem"), certificate.ExportCertificatePem());

        var findings = SignatureVerifier.VerifyPe(path, new TrustOptions(new[] { certificate }))!;
        var osslsigncode = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", "signer.pem", "-in", path });

        if (refused is null)
        {
            Assert.Empty(findings);
            Assert.True(osslsigncode.ExitCode == 0, osslsigncode.Output);
        }
        else
        {
            var finding = Assert.Single(findings);
            Assert.Equal("WDK4011", finding.Code);
            Assert.Contains($"The WIN_CERTIFICATE is {refused}: Windows reads a signature only from revision 0x0200 of type PKCS_SIGNED_DATA (2)", finding.Message);
            Assert.NotEqual(0, osslsigncode.ExitCode);
        }
    }
}
