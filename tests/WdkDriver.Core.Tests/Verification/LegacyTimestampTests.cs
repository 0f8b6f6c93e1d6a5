using System.Formats.Asn1;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Verification;

/// <summary>
/// Legacy Authenticode time stamps (the PKCS#9 countersignature of <c>signtool /t</c>): a signature outlives its
/// certificate when its countersignature verifies, on real signed files (a Microsoft inbox driver, GlobalSign-stamped
/// drivers and catalog) and on osslsigncode's <c>-t</c> against a loopback authority made of <c>openssl cms</c>.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class LegacyTimestampTests : IDisposable
{
    private static readonly string Files = Path.Combine(RepositoryPaths.Corpus, "catalogs");
    private readonly TempDirectory temp = new("legacy-ts");
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
        temp.Dispose();
    }

    private static X509Certificate2 Root(string name) => X509CertificateLoader.LoadCertificateFromFile(Path.Combine(RepositoryPaths.Corpus, "certs", name));

    [Fact]
    public void A_Microsoft_inbox_driver_signed_in_2009_verifies_at_its_countersignature_against_its_own_root_only()
    {
        var driver = Path.Combine(Files, "signify", "pciide.sys");

        Assert.Empty(SignatureVerifier.VerifyPe(driver, new TrustOptions(new[] { Root("MicrosoftRootCertificateAuthority.cer") }))!);
        // Microsoft's other legacy root did not issue it: the anchors are the whole trust store.
        Assert.Equal("WDK4013", Assert.Single(SignatureVerifier.VerifyPe(driver, new TrustOptions(new[] { Root("MicrosoftRootAuthority.cer") }))!).Code);
    }

    [Theory]
    [InlineData("arduino-gemma", "amd64", "libusb0.sys")]
    [InlineData("arduino-gemma", "x86", "libusb0.sys")]
    [InlineData("arduino-gemma", "arduino_gemma.cat")]
    public void GlobalSign_stamped_signatures_of_expired_certificates_verify_against_the_systems_roots(params string[] parts)
    {
        // GlobalSign Root CA is in Debian's ca-certificates, as in Windows' root store.
        Assert.True(File.Exists("/etc/ssl/certs/GlobalSign_Root_CA.pem") || OperatingSystem.IsWindows(), "the system's roots include GlobalSign Root CA (ca-certificates)");
        var file = Path.Combine(new[] { Files }.Concat(parts).ToArray());

        Assert.Empty(SignatureVerifier.VerifyFile(file, new TrustOptions(Array.Empty<X509Certificate2>())));
    }

    /// <summary>A loopback legacy time-stamping authority: it signs the signature it is sent with <c>openssl cms</c>, as old authorities answered.</summary>
    private Uri StartAuthority()
    {
        ToolProcess.Succeed(temp.Path, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.crt", "-days", "30", "-subj", "/CN=Legacy loopback TSA", "-addext", "extendedKeyUsage=critical,timeStamping");
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(() =>
        {
            for (var answered = 0; answered < 5 && !stop.IsCancellationRequested; answered++)
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

                // The request: SEQUENCE { 1.3.6.1.4.1.311.3.2.1, SEQUENCE { data, [0] { OCTET STRING signature } } }, base64.
                using var body = new StreamReader(context.Request.InputStream);
                var request = new AsnReader(Convert.FromBase64String(body.ReadToEnd()), AsnEncodingRules.BER).ReadSequence();
                request.ReadObjectIdentifier();
                var content = request.ReadSequence();
                content.ReadObjectIdentifier();
                File.WriteAllBytes(temp.Combine("blob"), content.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadOctetString());
                var (exitCode, _) = ToolProcess.Run(temp.Path, "openssl", new[] { "cms", "-sign", "-binary", "-nodetach", "-md", "sha256", "-in", "blob", "-signer", "tsa.crt", "-inkey", "tsa.key", "-outform", "DER", "-out", "reply.der" });
                var reply = exitCode == 0 ? System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(File.ReadAllBytes(temp.Combine("reply.der")))) : Array.Empty<byte>();
                context.Response.StatusCode = exitCode == 0 ? 200 : 500;
                context.Response.ContentType = "application/octet-stream";
                context.Response.ContentLength64 = reply.Length;
                context.Response.OutputStream.Write(reply);
                context.Response.Close();
            }
        });
        return new Uri($"http://127.0.0.1:{port}/");
    }

    [OsslsigncodeFact]
    public void Osslsigncodes_legacy_time_stamp_keeps_a_signature_valid_after_its_certificate_expired()
    {
        var authority = StartAuthority();
        ToolProcess.Succeed(temp.Path, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "signer.key", "-out", "signer.crt", "-days", "2", "-subj", "/CN=Short-lived signer", "-addext", "extendedKeyUsage=codeSigning");
        var exe = Path.Combine(Files, "osslsigncode-makecat", "tests", "files", "unsigned.exe");
        ToolProcess.Succeed(temp.Path, "osslsigncode", "sign", "-certs", "signer.crt", "-key", "signer.key", "-t", authority.ToString(), "-in", exe, "-out", "stamped.exe");
        ToolProcess.Succeed(temp.Path, "osslsigncode", "sign", "-certs", "signer.crt", "-key", "signer.key", "-in", exe, "-out", "bare.exe");
        var anchors = new[] { X509CertificateLoader.LoadCertificateFromFile(temp.Combine("signer.crt")), X509CertificateLoader.LoadCertificateFromFile(temp.Combine("tsa.crt")) };
        var later = new TrustOptions(anchors) { At = DateTime.UtcNow.AddDays(10) };

        Assert.Empty(SignatureVerifier.VerifyPe(temp.Combine("stamped.exe"), new TrustOptions(anchors))!);
        Assert.Empty(SignatureVerifier.VerifyPe(temp.Combine("stamped.exe"), later)!);
        var expired = Assert.Single(SignatureVerifier.VerifyPe(temp.Combine("bare.exe"), later)!);
        Assert.Equal("WDK4013", expired.Code);
        Assert.Contains("the time asked for", expired.Message);
        // An authority the anchors do not trust makes the time stamp, and with it the signature, invalid (TRUST_E_TIME_STAMP).
        var untrusted = Assert.Single(SignatureVerifier.VerifyPe(temp.Combine("stamped.exe"), new TrustOptions(anchors.Take(1).ToList()) { At = DateTime.UtcNow.AddDays(10) })!);
        Assert.Equal("WDK4018", untrusted.Code);
        Assert.Contains("The signature's countersignature time stamp is not valid", untrusted.Message);
    }

    /// <summary>
    /// VeriSign's G2 and Thawte's old authorities padded the bare digest, without its DigestInfo; Windows accepts those
    /// countersignatures. The countersignature here is written by hand (RSA's private operation on the padded digest).
    /// </summary>
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void A_countersignature_over_the_bare_digest_counts_and_a_wrong_one_does_not(bool bareDigest, bool intact)
    {
        var now = DateTimeOffset.UtcNow;
        var (signer, authority, authorityKey) = ExpiredSignerAndAuthority(now, new OidCollection { new("1.3.6.1.5.5.7.3.3") });

        var cms = new SignedCms(new ContentInfo(new Oid("1.3.6.1.4.1.311.10.1"), new byte[] { 0x30, 0x00 }));
        cms.ComputeSignature(new CmsSigner(signer) { IncludeOption = X509IncludeOption.EndCertOnly });
        var signerInfo = cms.SignerInfos[0];
        var time = now.AddDays(-20).UtcDateTime;
        signerInfo.AddUnsignedAttribute(new AsnEncodedData("1.2.840.113549.1.9.6", Countersignature(authority, authorityKey, signerInfo.GetSignature(), time, bareDigest, intact)));
        cms.AddCertificate(X509CertificateLoader.LoadCertificate(authority.RawData));
        var catalog = temp.Combine("old.cat");
        File.WriteAllBytes(catalog, cms.Encode());

        var findings = SignatureVerifier.VerifyCatalog(catalog, new TrustOptions(new[] { X509CertificateLoader.LoadCertificate(signer.RawData), X509CertificateLoader.LoadCertificate(authority.RawData) }));

        if (intact)
        {
            Assert.Empty(findings);
        }
        else
        {
            // A countersignature that does not verify fails the whole signature, as WinVerifyTrust's TRUST_E_TIME_STAMP.
            Assert.Equal("WDK4018", Assert.Single(findings).Code);
        }
    }

    /// <summary>
    /// A certificate for lifetime signing (1.3.6.1.4.1.311.10.3.13) ends its signatures with itself: WinVerifyTrust
    /// judges them at the present time even with a valid time stamp from the certificate's lifetime.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_time_stamp_keeps_an_expired_signature_valid_unless_its_certificate_is_for_lifetime_signing(bool lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        var usages = new OidCollection { new("1.3.6.1.5.5.7.3.3") };
        if (lifetime)
        {
            usages.Add(new Oid("1.3.6.1.4.1.311.10.3.13"));
        }

        var (signer, authority, authorityKey) = ExpiredSignerAndAuthority(now, usages);
        var cms = new SignedCms(new ContentInfo(new Oid("1.3.6.1.4.1.311.10.1"), new byte[] { 0x30, 0x00 }));
        cms.ComputeSignature(new CmsSigner(signer) { IncludeOption = X509IncludeOption.EndCertOnly });
        cms.SignerInfos[0].AddUnsignedAttribute(new AsnEncodedData("1.2.840.113549.1.9.6", Countersignature(authority, authorityKey, cms.SignerInfos[0].GetSignature(), now.AddDays(-20).UtcDateTime, bareDigest: false, intact: true)));
        cms.AddCertificate(X509CertificateLoader.LoadCertificate(authority.RawData));
        var catalog = temp.Combine("stamped.cat");
        File.WriteAllBytes(catalog, cms.Encode());

        var findings = SignatureVerifier.VerifyCatalog(catalog, new TrustOptions(new[] { X509CertificateLoader.LoadCertificate(signer.RawData), X509CertificateLoader.LoadCertificate(authority.RawData) }));

        if (!lifetime)
        {
            Assert.Empty(findings);
            return;
        }

        var expired = Assert.Single(findings);
        Assert.Equal("WDK4013", expired.Code);
        Assert.Contains("is not valid at now (its certificate is for lifetime signing, 1.3.6.1.4.1.311.10.3.13: the signature ends with the certificate, time stamp or not)", expired.Message);
    }

    /// <summary>A self-signed signer that expired ten days ago (valid from 30 days ago), and a time-stamping authority valid now.</summary>
    private static (X509Certificate2 Signer, X509Certificate2 Authority, RSA AuthorityKey) ExpiredSignerAndAuthority(DateTimeOffset now, OidCollection signerUsages)
    {
        using var signerKey = RSA.Create(2048);
        var signerRequest = new CertificateRequest("CN=Old signer", signerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        signerRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(signerUsages, false));
        var authorityKey = RSA.Create(2048);
        var authorityRequest = new CertificateRequest("CN=Old time-stamping authority", authorityKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        authorityRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new("1.3.6.1.5.5.7.3.8") }, true));
        return (signerRequest.CreateSelfSigned(now.AddDays(-30), now.AddDays(-10)), authorityRequest.CreateSelfSigned(now.AddDays(-60), now.AddDays(60)), authorityKey);
    }

    /// <summary>A PKCS#9 countersignature SignerInfo over <paramref name="signature"/>, signed with SHA-1 as old authorities did.</summary>
    private static byte[] Countersignature(X509Certificate2 authority, RSA key, byte[] signature, DateTime time, bool bareDigest, bool intact)
    {
        var attributes = new AsnWriter(AsnEncodingRules.DER);
        using (attributes.PushSetOf())
        {
            using (attributes.PushSequence())
            {
                attributes.WriteObjectIdentifier("1.2.840.113549.1.9.3");
                using (attributes.PushSetOf())
                {
                    attributes.WriteObjectIdentifier("1.2.840.113549.1.7.1");
                }
            }

            using (attributes.PushSequence())
            {
                attributes.WriteObjectIdentifier("1.2.840.113549.1.9.5");
                using (attributes.PushSetOf())
                {
                    attributes.WriteUtcTime(time);
                }
            }

            using (attributes.PushSequence())
            {
                attributes.WriteObjectIdentifier("1.2.840.113549.1.9.4");
                using (attributes.PushSetOf())
                {
                    attributes.WriteOctetString(SHA1.HashData(intact ? signature : signature.Reverse().ToArray()));
                }
            }
        }

        var signedAttributes = attributes.Encode();
        var digest = SHA1.HashData(signedAttributes);
        var encrypted = bareDigest ? RawPkcs1(key, digest) : key.SignHash(digest, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);

        var info = new AsnWriter(AsnEncodingRules.DER);
        using (info.PushSequence())
        {
            info.WriteInteger(1);
            using (info.PushSequence())
            {
                info.WriteEncodedValue(authority.IssuerName.RawData);
                info.WriteIntegerUnsigned(authority.GetSerialNumber().Reverse().ToArray());
            }

            using (info.PushSequence())
            {
                info.WriteObjectIdentifier("1.3.14.3.2.26");
                info.WriteNull();
            }

            // The attributes under [0] IMPLICIT: the SET's tag byte becomes A0.
            var tagged = (byte[])signedAttributes.Clone();
            tagged[0] = 0xA0;
            info.WriteEncodedValue(tagged);
            using (info.PushSequence())
            {
                info.WriteObjectIdentifier("1.2.840.113549.1.1.1");
                info.WriteNull();
            }

            info.WriteOctetString(encrypted);
        }

        return info.Encode();
    }

    /// <summary>RSA's private operation on 00 01 FF..FF 00 digest: a PKCS#1 v1.5 signature without a DigestInfo.</summary>
    private static byte[] RawPkcs1(RSA key, byte[] digest)
    {
        var parameters = key.ExportParameters(true);
        var length = parameters.Modulus!.Length;
        var block = new byte[length];
        block[1] = 1;
        block.AsSpan(2, length - digest.Length - 3).Fill(0xFF);
        digest.CopyTo(block, length - digest.Length);
        var value = BigInteger.ModPow(new BigInteger(block, isUnsigned: true, isBigEndian: true), new BigInteger(parameters.D!, isUnsigned: true, isBigEndian: true), new BigInteger(parameters.Modulus, isUnsigned: true, isBigEndian: true));
        var result = new byte[length];
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(result, length - bytes.Length);
        return result;
    }
}
