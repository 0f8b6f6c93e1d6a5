using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Identity;

namespace WdkDriver.Core.Signing.Cloud;

/// <summary>
/// Azure Artifact Signing (formerly Trusted Signing): a certificate profile signs a digest in a long-running operation
/// (POST …:sign, then polled), and answers with the signature and the short-lived certificate chain it made it
/// with. Each signature takes the certificate from its own answer: the service may issue a new one at any time.
/// </summary>
public sealed class ArtifactSigningKey : DigestSigningKey
{
    public const string ApiVersion = "2023-06-15-preview";
    public const string Resource = "https://codesigning.azure.net";
    private const string Permission = "Artifact Signing Certificate Profile Signer on the certificate profile";
    private static readonly TimeSpan LongestOperation = TimeSpan.FromMinutes(5);

    private readonly CloudCall call;
    private readonly Uri profile;
    private readonly string identity;
    private X509Certificate2? last;

    private ArtifactSigningKey(CloudCall call, Uri profile, string identity)
    {
        this.call = call;
        this.profile = profile;
        this.identity = identity;
    }

    /// <summary>The certificate of the latest signature; none before the first.</summary>
    public override X509Certificate2 Certificate =>
        last ?? throw new InvalidOperationException("Artifact Signing gives its certificate with a signature; nothing is signed yet.");

    /// <summary>The profile, not the certificate: the service renews its certificates every few days, and a build must not sign again for that.</summary>
    public override string Identity => identity;

    /// <summary>Checked on each signature's own certificate instead (the service's certificates are issued for the signature).</summary>
    public override string? CannotSign(DateTime utcNow) => null;

    /// <param name="endpoint">The region's endpoint (https://eus.codesigning.azure.net).</param>
    public static ArtifactSigningKey Open(string endpoint, string account, string profileName)
    {
        var address = AzureCredential.Endpoint(endpoint, "ProductionArtifactSigningEndpoint (--artifact-signing)", "https://eus.codesigning.azure.net");
        foreach (var (value, setting) in new[] { (account, "ProductionArtifactSigningAccount (--account)"), (profileName, "ProductionArtifactSigningProfile (--profile)") })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Contains('/'))
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"Artifact Signing needs {setting}: the name, as the Azure portal shows it."));
            }
        }

        var profile = new Uri(address, $"codesigningaccounts/{Uri.EscapeDataString(account.Trim())}/certificateprofiles/{Uri.EscapeDataString(profileName.Trim())}");
        var call = new CloudCall($"Artifact Signing ({address.Host}, account '{account.Trim()}', profile '{profileName.Trim()}')", AzureCredential.For(CloudCall.Http, Resource), Permission);
        return new ArtifactSigningKey(call, profile, $"artifact-signing {profile.AbsoluteUri}");
    }

    protected override KeySignature SignDigest(byte[] hash, HashAlgorithmName digest) =>
        SignAsync(hash, digest, CancellationToken.None).GetAwaiter().GetResult();

    private async Task<KeySignature> SignAsync(byte[] hash, HashAlgorithmName digest, CancellationToken cancellation)
    {
        if (digest == HashAlgorithmName.SHA1)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, "Artifact Signing signs SHA-256, SHA-384 or SHA-512 digests, not SHA-1 (FileDigestAlgorithm)."));
        }

        var algorithm = "RS" + (digest == HashAlgorithmName.SHA384 ? "384" : digest == HashAlgorithmName.SHA512 ? "512" : "256");
        var body = $"{{\"signatureAlgorithm\":\"{algorithm}\",\"digest\":\"{Convert.ToBase64String(hash)}\"}}";
        var started = DateTime.UtcNow;
        var answer = await call.SendAsync(HttpMethod.Post, new Uri(profile.AbsoluteUri + $":sign?api-version={ApiVersion}"), body, "sign", cancellation).ConfigureAwait(false);
        try
        {
            var operation = CloudJson.Text(answer.Root, "operationId");
            var poll = answer.OperationLocation is { } location && Uri.TryCreate(profile, location, out var pointed) ? pointed
                : operation is not null ? new Uri(profile.AbsoluteUri + $"/sign/{Uri.EscapeDataString(operation)}?api-version={ApiVersion}")
                : null;
            while (true)
            {
                var status = CloudJson.Text(answer.Root, "status");
                if (status == "Succeeded")
                {
                    return Result(answer, hash, digest);
                }

                if (status is not (null or "InProgress" or "NotStarted" or "Running") || poll is null)
                {
                    throw new WdkException(Diagnostic.Error(ErrorCodes.CloudSigningFailed, $"{call.Service} did not sign: the operation ended {status ?? "without a status"}{CloudJson.ErrorText(answer.Json)}."));
                }

                if (DateTime.UtcNow - started > LongestOperation)
                {
                    throw new WdkException(Diagnostic.Error(ErrorCodes.CloudSigningFailed, $"{call.Service} did not finish signing in {LongestOperation.TotalMinutes} minutes (operation {operation})."));
                }

                var wait = answer.RetryAfter ?? TimeSpan.FromMilliseconds(250);
                answer.Dispose();
                await Task.Delay(wait < TimeSpan.FromSeconds(10) ? wait : TimeSpan.FromSeconds(10), cancellation).ConfigureAwait(false);
                answer = await call.SendAsync(HttpMethod.Get, poll, null, "say how the signing goes", cancellation).ConfigureAwait(false);
            }
        }
        finally
        {
            answer.Dispose();
        }
    }

    /// <summary>
    /// The signature and its chain: signingCertificate is base64 of a base64 text of a PKCS#7 bundle. The leaf is the
    /// certificate whose key verifies the signature, checked here as Windows will (validity, code signing).
    /// </summary>
    private KeySignature Result(CloudAnswer answer, byte[] hash, HashAlgorithmName digest)
    {
        var signature = CloudJson.Text(answer.Root, "signature") is { } s ? Base64Url.Decode(s) : null;
        var bundle = CloudJson.Text(answer.Root, "signingCertificate") is { } c ? Base64Url.Decode(c) : null;
        var chain = new X509Certificate2Collection();
        try
        {
            if (bundle is not null)
            {
                chain.Import(Base64Url.Decode(Encoding.ASCII.GetString(bundle).Trim()) ?? bundle);
            }
        }
        catch (CryptographicException)
        {
            chain.Clear();
        }

        var leaf = signature is null ? null : chain.Cast<X509Certificate2>().FirstOrDefault(x => VerifiesHash(x, hash, signature, digest));
        if (leaf is null)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CloudSigningFailed, $"{call.Service} answered without a signature and a certificate that verifies it."));
        }

        if (CertificateCannotSign(leaf, DateTime.UtcNow) is { } reason)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, $"The certificate Artifact Signing gave ('{leaf.Subject}') cannot sign: {reason}"));
        }

        last = leaf;
        return new KeySignature(RsaEncryption, signature!, leaf, chain.Cast<X509Certificate2>().Where(x => x.Thumbprint != leaf.Thumbprint && x.SubjectName.RawData.AsSpan().SequenceEqual(x.IssuerName.RawData) == false).ToList());
    }

    private static bool VerifiesHash(X509Certificate2 certificate, byte[] hash, byte[] signature, HashAlgorithmName digest)
    {
        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyHash(hash, signature, digest, RSASignaturePadding.Pkcs1);
    }
}
