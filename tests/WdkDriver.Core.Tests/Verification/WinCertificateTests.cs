using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Verification;

/// <summary>
/// The WIN_CERTIFICATE around a PE's signature lies outside the Authenticode hash, so a changed header leaves the
/// signature itself intact: Windows reads a signature only from revision 2.0 of type PKCS_SIGNED_DATA, and
/// osslsigncode refuses any other, with the PE checksum made right so that nothing else differs.
/// </summary>
public sealed class WinCertificateTests : IDisposable
{
    private readonly TempDirectory temp = new("win-certificate");
    private readonly X509Certificate2 certificate = TestCertificate.Create("CN=Win Certificate", DateTimeOffset.UtcNow);

    public void Dispose()
    {
        certificate.Dispose();
        temp.Dispose();
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
