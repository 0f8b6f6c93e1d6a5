using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Signing;

/// <summary>RFC 3161 time stamps from a real time-stamping authority (openssl ts) on loopback; never the internet.</summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class TimestampTests : IDisposable
{
    private readonly TempDirectory temp = new("timestamps");
    private LoopbackTimestampAuthority? authority;

    public void Dispose()
    {
        authority?.Dispose();
        temp.Dispose();
    }

    private int Answered => authority!.Answered;

    /// <summary>Starts the authority and puts its certificate beside the test's files as tsa.crt.</summary>
    private Uri StartAuthority()
    {
        authority = new LoopbackTimestampAuthority();
        File.Copy(authority.CertificatePath, temp.Combine("tsa.crt"));
        return authority.Address;
    }

    [OsslsigncodeFact]
    public void Signatures_carry_a_time_stamp_that_osslsigncode_and_SignedCms_accept()
    {
        var address = StartAuthority();
        using var certificate = TestCertificate.Create("CN=Timestamped signer", DateTimeOffset.UtcNow);
        File.WriteAllText(temp.Combine("signer.pem"), certificate.ExportCertificatePem());
        var signer = FileSigner.WithCertificate(certificate).WithTimestamps(new Rfc3161Timestamper(address));
        var exe = Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe");

        signer.Sign(exe, temp.Combine("signed.exe"), HashAlgorithmName.SHA256, CancellationToken.None);

        var (exitCode, output) = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", "signer.pem", "-TSA-CAfile", "tsa.crt", "-ignore-cdp", "-in", "signed.exe" });
        Assert.True(exitCode == 0, output);
        Assert.Contains("Timestamp", output);
        Assert.Equal(1, Answered);
        // The time-stamping authority is trusted as osslsigncode's -TSA-CAfile trusts it. Without it osslsigncode
        // reports the time stamp failed and still passes the signature; WinVerifyTrust refuses the whole signature
        // (TRUST_E_TIME_STAMP), and so does the SDK.
        var tsa = X509CertificateLoader.LoadCertificateFromFile(temp.Combine("tsa.crt"));
        Assert.Empty(SignatureVerifier.VerifyPe(temp.Combine("signed.exe"), new TrustOptions(new[] { X509CertificateLoader.LoadCertificate(certificate.RawData), tsa }))!);
        var untrusted = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", "signer.pem", "-TSA-CAfile", "signer.pem", "-ignore-cdp", "-in", "signed.exe" });
        Assert.Contains("Timestamp Server Signature verification: failed", untrusted.Output);
        Assert.Equal("WDK4018", Assert.Single(SignatureVerifier.VerifyPe(temp.Combine("signed.exe"), new TrustOptions(new[] { X509CertificateLoader.LoadCertificate(certificate.RawData) }))!).Code);
        var cms = new System.Security.Cryptography.Pkcs.SignedCms();
        var image = File.ReadAllBytes(temp.Combine("signed.exe"));
        var table = BitConverter.ToInt32(image, BitConverter.ToInt32(image, 0x3C) + 24 + 144);
        System.Formats.Asn1.AsnDecoder.ReadEncodedValue(image.AsSpan(table + 8), System.Formats.Asn1.AsnEncodingRules.BER, out _, out _, out var length);
        cms.Decode(image.AsSpan(table + 8, length));
        Assert.Contains(cms.SignerInfos[0].UnsignedAttributes.Cast<CryptographicAttributeObject>(), a => a.Oid.Value == "1.3.6.1.4.1.311.3.3.1");
    }

    [OsslsigncodeFact]
    public void A_cabinets_signature_carries_a_time_stamp_that_osslsigncode_accepts()
    {
        var address = StartAuthority();
        using var certificate = TestCertificate.Create("CN=Timestamped cabinet signer", DateTimeOffset.UtcNow);
        File.WriteAllText(temp.Combine("signer.pem"), certificate.ExportCertificatePem());
        using var signer = FileSigner.WithCertificate(certificate).WithTimestamps(new Rfc3161Timestamper(address));
        var inf = temp.Write("in/Driver/driver.inf", "[Version]\r\nSignature=\"$WINDOWS NT$\"\r\n");
        CabinetWriter.Write(temp.Combine("submission.cab"), new[] { new CabinetSource("Driver\\driver.inf", inf) }, CabinetCompression.MsZip, new DateTime(2026, 11, 30));

        signer.Sign(temp.Combine("submission.cab"), temp.Combine("signed.cab"), HashAlgorithmName.SHA256, CancellationToken.None);

        var (exitCode, output) = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", "signer.pem", "-TSA-CAfile", "tsa.crt", "-ignore-cdp", "-in", "signed.cab" });
        Assert.True(exitCode == 0, output);
        Assert.Contains("Timestamp", output);
        Assert.Equal(1, Answered);
        Assert.Empty(SignatureVerifier.VerifyCabinet(temp.Combine("signed.cab"), new TrustOptions(new[] { X509CertificateLoader.LoadCertificate(certificate.RawData), X509CertificateLoader.LoadCertificateFromFile(temp.Combine("tsa.crt")) })));
    }

    [Fact]
    public void An_authority_that_is_not_there_is_WDK4007()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var error = Assert.Throws<WdkException>(() => new Rfc3161Timestamper(new Uri($"http://127.0.0.1:{port}/")).Timestamp(new byte[] { 1, 2, 3 }, HashAlgorithmName.SHA256));

        Assert.Equal("WDK4007", error.Diagnostic.Code);
    }
}
