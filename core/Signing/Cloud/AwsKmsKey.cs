using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Amazon;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Signing.Cloud;

/// <summary>
/// An asymmetric key in AWS KMS with the certificate a CA issued for it (KMS holds no certificate): KMS Sign over a
/// digest made here (MessageType DIGEST), through the official client and its default credential chain (environment,
/// web identity from GitHub's OIDC token, SSO and profiles, instance and container roles), AWS_ENDPOINT_URL_KMS included.
/// The key's public key is compared with the certificate's once (kms:GetPublicKey) before anything is signed.
/// </summary>
public sealed class AwsKmsKey : DigestSigningKey
{
    private const string Permission = "kms:Sign and kms:GetPublicKey on the key";

    private readonly IAmazonKeyManagementService client;
    private readonly string keyId;
    private readonly string service;
    private readonly bool isRsa;

    private AwsKmsKey(IAmazonKeyManagementService client, string keyId, string service, X509Certificate2 certificate, X509Certificate2[] chain, bool isRsa)
    {
        this.client = client;
        this.keyId = keyId;
        this.service = service;
        Certificate = certificate;
        Chain = chain;
        this.isRsa = isRsa;
    }

    public override X509Certificate2 Certificate { get; }

    /// <summary>Certificates besides the signer's from the certificate file (its intermediates), embedded with each signature.</summary>
    public X509Certificate2[] Chain { get; }

    public override string Identity => $"aws-kms {keyId} {Certificate.Thumbprint}";

    /// <summary>KMS's public key was compared with the certificate's when the key was opened: no probe signature.</summary>
    public override string? CannotSign(DateTime utcNow) => CertificateCannotSign(Certificate, utcNow);

    /// <param name="key">The key's id, alias (alias/name) or ARN.</param>
    /// <param name="certificateFile">The CA's certificate for the key (.cer DER or PEM; a PEM or .p7b may add the intermediates).</param>
    /// <param name="region">The key's region; default: the ARN's, else the SDK's (AWS_REGION, the profile).</param>
    public static AwsKmsKey Open(string key, string certificateFile, string? region) =>
        OpenAsync(key, certificateFile, region).GetAwaiter().GetResult();

    private static async Task<AwsKmsKey> OpenAsync(string key, string certificateFile, string? region)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw Setup("ProductionAwsKmsKey (--aws-kms) needs the key's id, alias (alias/<name>) or ARN.");
        }

        if (string.IsNullOrWhiteSpace(certificateFile))
        {
            throw Setup("AWS KMS holds no certificate: give the one your CA issued for the key with ProductionCertificateFile (--cert).");
        }

        var certificates = CertificateFile.LoadBundle(certificateFile);
        region = string.IsNullOrWhiteSpace(region) ? ArnRegion(key) : region!.Trim();
        var service = $"AWS KMS{(region is null ? string.Empty : " (" + region + ")")}";
        var client = Client(region);
        try
        {
            var publicKey = await Call(service, "give the key's public key", () => client.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = key.Trim() })).ConfigureAwait(false);
            if (publicKey.KeyUsage != KeyUsageType.SIGN_VERIFY)
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, $"The KMS key '{key}' is for {publicKey.KeyUsage}, not SIGN_VERIFY: create an asymmetric signing key (RSA or ECC) for code signing."));
            }

            var der = publicKey.PublicKey.ToArray();
            var leaf = certificates.FirstOrDefault(c => c.PublicKey.EncodedKeyValue.RawData.Length > 0 && SubjectPublicKeyInfo(c).AsSpan().SequenceEqual(der));
            if (leaf is null)
            {
                throw new WdkException(Diagnostic.Error(
                    ErrorCodes.SigningKeyUnusable,
                    $"No certificate in the certificate file is for the KMS key '{key}' ({publicKey.KeySpec}): the file holds {string.Join(", ", certificates.Select(c => "'" + c.Subject + "'"))}. Give the certificate your CA issued for this key.",
                    certificateFile));
            }

            var isRsa = publicKey.KeySpec.Value.StartsWith("RSA", StringComparison.Ordinal);
            return new AwsKmsKey(client, key.Trim(), service, leaf, certificates.Where(c => c != leaf).ToArray(), isRsa);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    protected override KeySignature SignDigest(byte[] hash, HashAlgorithmName digest)
    {
        if (digest == HashAlgorithmName.SHA1)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SigningKeyUnusable, "AWS KMS signs SHA-256, SHA-384 or SHA-512 digests, not SHA-1 (FileDigestAlgorithm)."));
        }

        var bits = digest == HashAlgorithmName.SHA384 ? "384" : digest == HashAlgorithmName.SHA512 ? "512" : "256";
        var request = new SignRequest
        {
            KeyId = keyId,
            Message = new MemoryStream(hash),
            MessageType = MessageType.DIGEST,
            SigningAlgorithm = isRsa ? "RSASSA_PKCS1_V1_5_SHA_" + bits : "ECDSA_SHA_" + bits,
        };
        var answer = Call(service, "sign", () => client.SignAsync(request)).GetAwaiter().GetResult();
        // KMS gives ECDSA signatures DER-encoded already, as PKCS#7 stores them.
        return new KeySignature(isRsa ? RsaEncryption : EcdsaAlgorithm(digest), answer.Signature.ToArray(), Certificate, Chain);
    }

    public override void Dispose() => client.Dispose();

    private static AmazonKeyManagementServiceClient Client(string? region)
    {
        // The SDK retries throttling (ThrottlingException, 429, 503) itself, waiting longer each time.
        var config = new AmazonKeyManagementServiceConfig { MaxErrorRetry = 5 };
        if (Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_KMS") is { Length: > 0 } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION");
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        try
        {
            return new AmazonKeyManagementServiceClient(config);
        }
        catch (AmazonClientException e)
        {
            throw CannotCall("AWS KMS", e);
        }
    }

    /// <summary>One call, its failures said as the SDK's error code and message (which name the identity KMS refused), never retried into a lockout.</summary>
    private static async Task<T> Call<T>(string service, string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (NotFoundException e)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CloudKeyMissing, $"{service} did not {what}: {OneLine(e.Message)} Check ProductionAwsKmsKey (--aws-kms) and the region."), e);
        }
        catch (AmazonServiceException e) when (e.ErrorCode is "AccessDeniedException" or "UnrecognizedClientException" or "InvalidSignatureException" or "ExpiredTokenException" || e.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CloudSignInRefused, $"{service} refused to {what} ({e.ErrorCode}): {OneLine(e.Message)} The identity needs {Permission}."), e);
        }
        catch (AmazonServiceException e)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CloudSigningFailed, $"{service} did not {what} ({e.ErrorCode ?? ((int)e.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}): {OneLine(e.Message)}"), e);
        }
        catch (AmazonClientException e)
        {
            throw CannotCall(service, e);
        }
        catch (HttpRequestException e)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CloudSigningFailed, $"{service} did not {what}: no answer ({e.Message})."), e);
        }
    }

    /// <summary>The AWS SDK found no credentials or no region: its own words, then what to set.</summary>
    private static WdkException CannotCall(string service, AmazonClientException e) =>
        new(Diagnostic.Error(ErrorCodes.CloudSignInRefused, $"{service} cannot be called: {OneLine(e.Message).TrimEnd('.')}. Give the key's region (ProductionAwsRegion, --region, or AWS_REGION) and AWS credentials (docs/cloud-signing.md)."), e);

    /// <summary>The AWS SDK's message on one line (it lists each credential source it tried on a line of its own): a diagnostic is one line in a build log.</summary>
    private static string OneLine(string message) => System.Text.RegularExpressions.Regex.Replace(message.Trim(), @"\s*\n\s*", " ");

    /// <summary>The region in an ARN (arn:aws:kms:eu-west-1:111122223333:key/…), or null.</summary>
    private static string? ArnRegion(string key)
    {
        var parts = key.Trim().Split(':');
        return parts.Length >= 6 && parts[0] == "arn" && parts[2] == "kms" && parts[3].Length > 0 ? parts[3] : null;
    }

    private static byte[] SubjectPublicKeyInfo(X509Certificate2 certificate)
    {
        var reader = new System.Formats.Asn1.AsnReader(certificate.RawData, System.Formats.Asn1.AsnEncodingRules.DER);
        var tbs = reader.ReadSequence().ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 0)))
        {
            tbs.ReadEncodedValue();
        }

        for (var skip = 0; skip < 5; skip++)
        {
            tbs.ReadEncodedValue(); // serial, signature algorithm, issuer, validity, subject
        }

        return tbs.ReadEncodedValue().ToArray();
    }

    private static WdkException Setup(string message) => new(Diagnostic.Error(ErrorCodes.SignSetupInvalid, message));
}
