using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Identity;

namespace WdkDriver.Core.Signing.Cloud;

/// <summary>
/// A key in Azure Key Vault (software or HSM-backed) with the certificate the vault holds for it: the certificate is
/// read once (GET certificates/{name}[/{version}]), every signature is the key's sign operation over a digest made
/// here. Key Vault's REST API directly (the Keys client library is not served where the SDK is built), with the
/// vault's bearer challenge naming the tenant as Azure's clients use it.
/// </summary>
public sealed class AzureKeyVaultKey : DigestSigningKey
{
    public const string ApiVersion = "7.4";
    public const string Resource = "https://vault.azure.net";
    private const string Permission = "Key Vault Crypto User and Key Vault Certificate User (or an access policy with keys/sign and certificates/get)";

    private readonly CloudCall call;
    private readonly Uri keyId;
    private readonly string keyType;
    private readonly string certificateId;

    private AzureKeyVaultKey(CloudCall call, X509Certificate2 certificate, Uri keyId, string keyType, string certificateId)
    {
        this.call = call;
        Certificate = certificate;
        this.keyId = keyId;
        this.keyType = keyType;
        this.certificateId = certificateId;
    }

    public override X509Certificate2 Certificate { get; }

    /// <summary>The certificate's full id, version included: a certificate renewed in the vault is another signer.</summary>
    public override string Identity => "azure-key-vault " + certificateId;

    /// <param name="vault">The vault's address (https://contoso.vault.azure.net).</param>
    /// <param name="certificate">The certificate's name, optionally with /version.</param>
    public static AzureKeyVaultKey Open(string vault, string certificate, CancellationToken cancellation = default) =>
        OpenAsync(vault, certificate, cancellation).GetAwaiter().GetResult();

    private static async Task<AzureKeyVaultKey> OpenAsync(string vaultText, string certificateText, CancellationToken cancellation)
    {
        var vault = AzureCredential.Endpoint(vaultText, "ProductionAzureKeyVault (--azure-key-vault)", "https://contoso.vault.azure.net");
        var name = certificateText.Trim().Trim('/');
        if (name.Length == 0 || name.Split('/').Length > 2 || name.Split('/').Any(p => p.Length == 0))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"ProductionAzureKeyVaultCertificate (--certificate-name) '{certificateText}' is not a certificate's name, or name/version."));
        }

        var address = new Uri(vault, $"certificates/{string.Join("/", name.Split('/').Select(Uri.EscapeDataString))}?api-version={ApiVersion}");
        var tenant = await ChallengeTenant(address, cancellation).ConfigureAwait(false);
        var call = new CloudCall($"Key Vault {vault.GetLeftPart(UriPartial.Authority)}", AzureCredential.For(CloudCall.Http, Resource, tenant), Permission);
        using var answer = await call.SendAsync(HttpMethod.Get, address, null, $"give the certificate '{name}'", cancellation).ConfigureAwait(false);
        var root = answer.Root;
        var cer = CloudJson.Text(root, "cer");
        var kid = CloudJson.Text(root, "kid");
        var id = CloudJson.Text(root, "id");
        if (cer is null || kid is null || id is null || !Uri.TryCreate(kid, UriKind.Absolute, out var keyId))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CloudSigningFailed, $"{call.Service} answered for the certificate '{name}' without its cer, kid and id."));
        }

        if (root.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object
            && attributes.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.False)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, $"The certificate '{name}' in {call.Service} is disabled: enable it, or name another version."));
        }

        // The key must be in the vault the user named: a kid elsewhere would take the token somewhere else.
        if (!string.Equals(keyId.GetLeftPart(UriPartial.Authority), vault.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CloudSigningFailed, $"{call.Service} named a key in another vault ({keyId.GetLeftPart(UriPartial.Authority)})."));
        }

        var keyType = root.TryGetProperty("policy", out var policy) && policy.TryGetProperty("key_props", out var props) ? CloudJson.Text(props, "kty") ?? string.Empty : string.Empty;
        X509Certificate2 x509;
        try
        {
            x509 = new X509Certificate2(Convert.FromBase64String(cer));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CloudSigningFailed, $"{call.Service} gave a certificate '{name}' that is not one: {e.Message}"), e);
        }

        return new AzureKeyVaultKey(call, x509, keyId, keyType, id);
    }

    /// <summary>
    /// The tenant named by the vault's answer to a request without a token (401, WWW-Authenticate: Bearer
    /// authorization="https://login.microsoftonline.com/{tenant}"), or null when it names none.
    /// </summary>
    private static async Task<string?> ChallengeTenant(Uri address, CancellationToken cancellation)
    {
        try
        {
            using var response = await CloudCall.Http.GetAsync(address, cancellation).ConfigureAwait(false);
            var challenge = response.StatusCode == HttpStatusCode.Unauthorized ? response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme == "Bearer")?.Parameter : null;
            var authority = challenge?.Split(',')
                .Select(p => p.Trim().Split(new[] { '=' }, 2))
                .Where(p => p.Length == 2 && (p[0] == "authorization" || p[0] == "authorization_uri"))
                .Select(p => p[1].Trim('"'))
                .FirstOrDefault();
            return authority is not null && Uri.TryCreate(authority, UriKind.Absolute, out var uri) ? uri.AbsolutePath.Trim('/').Split('/')[0] : null;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CloudSigningFailed, $"Cannot reach Key Vault at {address.GetLeftPart(UriPartial.Authority)}: {e.Message}"), e);
        }
    }

    /// <summary>The vault gave the certificate and its key together: no probe signature, which would be a remote call.</summary>
    public override string? CannotSign(DateTime utcNow) => CertificateCannotSign(Certificate, utcNow) ?? KindCannotSign();

    private bool IsRsa => keyType.StartsWith("RSA", StringComparison.OrdinalIgnoreCase);

    /// <summary>Refused before any call: a key of another kind than the certificate's.</summary>
    private string? KindCannotSign()
    {
        using var rsa = Certificate.GetRSAPublicKey();
        return keyType.Length > 0 && IsRsa != (rsa is not null)
            ? $"its key in the vault is {keyType}, the certificate's is {(rsa is not null ? "RSA" : "not RSA")}."
            : null;
    }

    /// <summary>Refused before the call: a key of another kind, or a digest the key's curve does not take.</summary>
    private string? AlgorithmCannotSign(HashAlgorithmName digest)
    {
        if (KindCannotSign() is { } reason)
        {
            return reason;
        }

        using var rsa = Certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return null;
        }

        // ES256 is P-256 with SHA-256, ES384 P-384 with SHA-384, ES512 P-521 with SHA-512: the vault takes no other pair.
        using var ecdsa = Certificate.GetECDsaPublicKey();
        var fits = ecdsa?.KeySize switch { 256 => HashAlgorithmName.SHA256, 384 => HashAlgorithmName.SHA384, 521 => HashAlgorithmName.SHA512, _ => default };
        return fits == digest ? null : $"its key in the vault is {keyType} on a {ecdsa?.KeySize}-bit curve, which Key Vault signs {fits.Name ?? "no"} digests with, not {digest.Name} (FileDigestAlgorithm).";
    }

    protected override KeySignature SignDigest(byte[] hash, HashAlgorithmName digest)
    {
        if (AlgorithmCannotSign(digest) is { } reason)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, $"The signing certificate '{Certificate.Subject}' cannot sign: {reason}"));
        }

        // RSNULL signs a DigestInfo made here (Key Vault has no RS1); ES256/384/512 go with the curve's size.
        bool isRsa;
        using (var rsa = Certificate.GetRSAPublicKey())
        {
            isRsa = rsa is not null;
        }

        var (algorithm, value) = isRsa
            ? (digest == HashAlgorithmName.SHA1 ? "RSNULL" : "RS" + DigestBits(digest), digest == HashAlgorithmName.SHA1 ? DigestInfo(hash, digest) : hash)
            : ("ES" + DigestBits(digest), hash);
        var body = $"{{\"alg\":\"{algorithm}\",\"value\":\"{Base64Url.Encode(value)}\"}}";
        using var answer = call.SendAsync(HttpMethod.Post, new Uri(keyId.AbsoluteUri.TrimEnd('/') + $"/sign?api-version={ApiVersion}"), body, "sign", CancellationToken.None).GetAwaiter().GetResult();
        var signature = CloudJson.Text(answer.Root, "value") is { } text ? Base64Url.Decode(text) : null;
        if (signature is null)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CloudSigningFailed, $"{call.Service} answered the sign operation without a signature."));
        }

        return new KeySignature(isRsa ? RsaEncryption : EcdsaAlgorithm(digest), isRsa ? signature : DerSignature(signature), Certificate, Array.Empty<X509Certificate2>());
    }

    private static string DigestBits(HashAlgorithmName digest) =>
        digest == HashAlgorithmName.SHA384 ? "384" : digest == HashAlgorithmName.SHA512 ? "512" : "256";
}
