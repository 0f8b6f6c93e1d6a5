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
public sealed class TimestampTests : IDisposable
{
    private const string TsaConfig = """
        [ tsa ]
        default_tsa = tsa_config
        [ tsa_config ]
        dir = .
        serial = ./tsaserial
        crypto_device = builtin
        signer_cert = ./tsa.crt
        certs = ./tsa.crt
        signer_key = ./tsa.key
        signer_digest = sha256
        default_policy = 1.2.3.4.1
        digests = sha1, sha256, sha384, sha512
        accuracy = secs:1
        ordering = yes
        tsa_name = yes
        ess_cert_id_chain = no
        ess_cert_id_alg = sha256
        """;

    private readonly TempDirectory temp = new("tsa");
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();
    private int answered;

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
        temp.Dispose();
    }

    /// <summary>Starts the authority: a listener on a free loopback port that answers each query with openssl ts -reply.</summary>
    private Uri StartAuthority()
    {
        temp.Write("tsa.cnf", TsaConfig);
        temp.Write("tsaserial", "01\n");
        ToolProcess.Succeed(temp.Path, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.crt", "-days", "30", "-subj", "/CN=Loopback TSA", "-addext", "extendedKeyUsage=critical,timeStamping");
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var prefix = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(prefix);
        listener.Start();
        _ = Task.Run(() =>
        {
            // Bounded: a handful of queries per test, and it ends with the test.
            while (!stop.IsCancellationRequested && answered < 20)
            {
                HttpListenerContext context;
                try
                {
                    context = listener.GetContext();
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }

                using (var query = File.Create(temp.Combine("query.tsq")))
                {
                    context.Request.InputStream.CopyTo(query);
                }

                var (exitCode, _) = ToolProcess.Run(temp.Path, "openssl", new[] { "ts", "-reply", "-config", "tsa.cnf", "-queryfile", "query.tsq", "-out", "reply.tsr" });
                var reply = exitCode == 0 ? File.ReadAllBytes(temp.Combine("reply.tsr")) : Array.Empty<byte>();
                context.Response.StatusCode = exitCode == 0 ? 200 : 500;
                context.Response.ContentType = "application/timestamp-reply";
                context.Response.OutputStream.Write(reply);
                context.Response.Close();
                Interlocked.Increment(ref answered);
            }
        });
        return new Uri(prefix);
    }

    [OsslsigncodeFact]
    public void Signatures_carry_a_time_stamp_that_osslsigncode_and_SignedCms_accept()
    {
        var authority = StartAuthority();
        using var certificate = TestCertificate.Create("CN=Timestamped signer", DateTimeOffset.UtcNow);
        File.WriteAllText(temp.Combine("signer.pem"), certificate.ExportCertificatePem());
        var signer = FileSigner.WithCertificate(certificate).WithTimestamps(new Rfc3161Timestamper(authority));
        var exe = Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe");

        signer.Sign(exe, temp.Combine("signed.exe"), HashAlgorithmName.SHA256, CancellationToken.None);

        var (exitCode, output) = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", "signer.pem", "-TSA-CAfile", "tsa.crt", "-ignore-cdp", "-in", "signed.exe" });
        Assert.True(exitCode == 0, output);
        Assert.Contains("Timestamp", output);
        Assert.Equal(1, answered);
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
        var authority = StartAuthority();
        using var certificate = TestCertificate.Create("CN=Timestamped cabinet signer", DateTimeOffset.UtcNow);
        File.WriteAllText(temp.Combine("signer.pem"), certificate.ExportCertificatePem());
        using var signer = FileSigner.WithCertificate(certificate).WithTimestamps(new Rfc3161Timestamper(authority));
        var inf = temp.Write("in/Driver/driver.inf", "[Version]\r\nSignature=\"$WINDOWS NT$\"\r\n");
        CabinetWriter.Write(temp.Combine("submission.cab"), new[] { new CabinetSource("Driver\\driver.inf", inf) }, CabinetCompression.MsZip, new DateTime(2026, 11, 30));

        signer.Sign(temp.Combine("submission.cab"), temp.Combine("signed.cab"), HashAlgorithmName.SHA256, CancellationToken.None);

        var (exitCode, output) = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", "signer.pem", "-TSA-CAfile", "tsa.crt", "-ignore-cdp", "-in", "signed.cab" });
        Assert.True(exitCode == 0, output);
        Assert.Contains("Timestamp", output);
        Assert.Equal(1, answered);
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
