using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Verification;

/// <summary>
/// Whom a signer chains to, on signatures osslsigncode made with certificates openssl made: the given roots are the
/// trust store (a cross-signed copy of the root in the signature does not hide it), a key usage without digital
/// signatures may not sign code, and a root that spells out its elliptic curve (CVE-2020-0601) is named as a spoof.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class ChainTrustTests : IDisposable
{
    private const string CaExtensions = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";
    private static readonly string UnsignedExe = Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe");
    private readonly TempDirectory temp = new("chains");

    public void Dispose() => temp.Dispose();

    private void Openssl(params string[] arguments) => ToolProcess.Succeed(temp.Path, "openssl", arguments);

    private X509Certificate2 Load(string name) => X509CertificateLoader.LoadCertificateFromFile(temp.Combine(name));

    private void Root(string name, string subject) =>
        Openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", $"{name}.key", "-out", $"{name}.crt", "-days", "365", "-subj", subject,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-addext", "subjectKeyIdentifier=hash");

    /// <summary>A certificate for <paramref name="key"/>'s key (made when missing) issued by <paramref name="issuer"/>.</summary>
    private void Issue(string name, string subject, string issuer, string extensions, string? key = null)
    {
        key ??= name;
        if (!File.Exists(temp.Combine($"{key}.key")))
        {
            Openssl("genrsa", "-out", $"{key}.key", "2048");
        }

        temp.Write($"{name}.ext", extensions);
        Openssl("req", "-new", "-key", $"{key}.key", "-subj", subject, "-out", $"{name}.csr");
        Openssl("x509", "-req", "-in", $"{name}.csr", "-CA", $"{issuer}.crt", "-CAkey", $"{issuer}.key", "-set_serial", Random.Shared.Next(1, int.MaxValue).ToString(), "-days", "200", "-extfile", $"{name}.ext", "-out", $"{name}.crt");
    }

    private string Sign(string leaf, params string[] chain)
    {
        File.WriteAllText(temp.Combine($"{leaf}.chain.pem"), string.Concat(new[] { leaf }.Concat(chain).Select(c => File.ReadAllText(temp.Combine($"{c}.crt")))));
        ToolProcess.Succeed(temp.Path, "osslsigncode", "sign", "-certs", $"{leaf}.chain.pem", "-key", $"{leaf}.key", "-h", "sha256", "-in", UnsignedExe, "-out", $"{leaf}.exe");
        return temp.Combine($"{leaf}.exe");
    }

    [OsslsigncodeFact]
    public void A_chain_that_carries_a_cross_signed_copy_of_its_root_verifies_against_that_root()
    {
        Root("root", "/CN=Contoso Root CA");
        Root("bridge", "/CN=Old Bridge CA");
        // The same name and key as the root, issued by the bridge: what commercial chains carry for older clients.
        Issue("cross", "/CN=Contoso Root CA", "bridge", CaExtensions, key: "root");
        Issue("issuing", "/CN=Contoso Code Signing CA", "root", CaExtensions);
        Issue("leaf", "/CN=Contoso Drivers", "issuing", "extendedKeyUsage=codeSigning\nkeyUsage=critical,digitalSignature\n");
        var signed = Sign("leaf", "issuing", "cross");
        ToolProcess.Succeed(temp.Path, "osslsigncode", "verify", "-CAfile", "root.crt", "-in", signed);

        Assert.Empty(SignatureVerifier.VerifyPe(signed, new TrustOptions(new[] { Load("root.crt") }))!);
        Root("stranger", "/CN=Someone else");
        Assert.Equal("WDK4013", Assert.Single(SignatureVerifier.VerifyPe(signed, new TrustOptions(new[] { Load("stranger.crt") }))!).Code);
    }

    [OsslsigncodeFact]
    public void A_key_usage_without_digital_signatures_may_not_sign_code_even_without_an_extended_key_usage()
    {
        Root("root", "/CN=Usage Root");
        Issue("encipher", "/CN=Encryption only", "root", "keyUsage=critical,keyEncipherment\n");
        Issue("signing", "/CN=Signing", "root", "keyUsage=critical,digitalSignature\n");
        var trust = new TrustOptions(new[] { Load("root.crt") });

        var refused = Assert.Single(SignatureVerifier.VerifyPe(Sign("encipher", "root"), trust)!);

        Assert.Equal("WDK4013", refused.Code);
        Assert.Contains("key usage does not include digital signatures", refused.Message);
        Assert.Empty(SignatureVerifier.VerifyPe(Sign("signing", "root"), trust)!);
    }

    [OsslsigncodeFact]
    public void A_root_that_spells_out_its_elliptic_curve_is_refused_as_the_CVE_2020_0601_spoof_it_looks_like()
    {
        Openssl("ecparam", "-name", "prime256v1", "-param_enc", "explicit", "-genkey", "-noout", "-out", "spoof.key");
        Openssl("req", "-x509", "-new", "-key", "spoof.key", "-out", "spoof.crt", "-days", "30", "-subj", "/CN=Microsoft ECC Product Root Certificate Authority 2018",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        Openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "leaf.key");
        Issue("leaf", "/CN=Forged publisher", "spoof", "extendedKeyUsage=codeSigning\n");
        var signed = Sign("leaf", "spoof");

        var finding = Assert.Single(SignatureVerifier.VerifyPe(signed, new TrustOptions(new[] { Load("spoof.crt") }))!);

        Assert.Equal("WDK4013", finding.Code);
        Assert.Contains("CVE-2020-0601", finding.Message);
        Assert.DoesNotContain("OpenSSL", finding.Message);
    }
}
