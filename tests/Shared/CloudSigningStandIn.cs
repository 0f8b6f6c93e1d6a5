using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WdkDriver.Core.Signing;

namespace WdkDriver.Tests;

/// <summary>A fault the stand-in answers the next request whose path contains <paramref name="PathPart"/> with.</summary>
internal sealed record CloudFault(string PathPart, int Status, int? RetryAfterSeconds = null);

/// <summary>
/// A STAND-IN of the cloud signing services, written from their documentation (../shared/docs/cloud-keys.md) because
/// they cannot be reached from the tests: it is not Azure or AWS. One local listener answers as Entra ID's token
/// endpoint (client secret or federated assertion) and a managed identity's endpoint, as Azure Key Vault (the bearer
/// challenge, certificates with versions, a key's sign operation), as Azure Artifact Signing (the sign operation, run
/// as a long-running operation that is polled, with a short-lived certificate chain in each answer) and as AWS KMS
/// (JSON 1.1: GetPublicKey and Sign, for the official client). Keys and certificates are local, issued by the
/// stand-in's own root (<see cref="Root"/>). Requests are answered side by side, each signature after
/// <see cref="SignDelay"/>; faults are injected (429 with Retry-After, 500, 403), tokens expired on demand.
/// </summary>
internal sealed class CloudSigningStandIn : IDisposable
{
    public const string Tenant = "contoso.onmicrosoft.com";
    public const string ClientId = "0b5f5a8e-3c1d-4f7e-9a51-2f8d6c1e7b40";
    public const string Secret = "stand-in-secret";
    public const string AwsAccessKey = "AKIASTANDIN000000001";
    public const string AwsSecretKey = "stand-in-aws-secret";
    public const string KmsKeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";

    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> tokens = new();
    private readonly ConcurrentDictionary<string, int> operations = new();
    private readonly ConcurrentDictionary<string, byte[]> results = new();
    private readonly Dictionary<string, List<X509Certificate2>> vault = new();
    private readonly RSA rootKey = RSA.Create(2048);
    private readonly X509Certificate2 root;
    private readonly X509Certificate2 kmsCertificate;
    private readonly X509Certificate2 profileCertificate;
    private int signing;

    public CloudSigningStandIn()
    {
        var now = DateTimeOffset.UtcNow;
        var request = new CertificateRequest("CN=Cloud Stand-in Root (not a CA)", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        root = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        Root = X509CertificateLoader.LoadCertificate(root.RawData);
        AddVaultVersion("driver-signing", ec: false);
        AddVaultVersion("driver-signing-ec", ec: true);
        kmsCertificate = Issue("CN=Contoso KMS Signer", RSA.Create(3072), now.AddYears(1));
        profileCertificate = Issue("CN=Contoso Ltd (Artifact Signing stand-in)", RSA.Create(3072), now.AddDays(3));

        Address = LoopbackListener.Start(listener);
        _ = Task.Run(Serve);
    }

    public Uri Address { get; }

    /// <summary>The root every certificate of the stand-in chains to (public part only).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The KMS key's certificate as its CA would issue it (public part only).</summary>
    public X509Certificate2 KmsCertificate => X509CertificateLoader.LoadCertificate(kmsCertificate.RawData);

    public TimeSpan SignDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    public ConcurrentQueue<CloudFault> Faults { get; } = new();

    /// <summary>Every request, as "METHOD path" (no header, no body: nothing secret).</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    public int SignCalls;

    /// <summary>The most signatures made at the same time.</summary>
    public int MostAtOnce;

    /// <summary>Identities whose tokens the vault refuses with 403 (no role on the vault).</summary>
    public HashSet<string> Forbidden { get; } = new();

    /// <summary>The environment a build or command signs in with: Entra ID at the stand-in, KMS at the stand-in, a client secret and AWS keys.</summary>
    public Dictionary<string, string?> Environment() => new()
    {
        ["AZURE_TENANT_ID"] = Tenant,
        ["AZURE_CLIENT_ID"] = ClientId,
        ["AZURE_CLIENT_SECRET"] = Secret,
        ["AZURE_AUTHORITY_HOST"] = Address.AbsoluteUri,
        ["AZURE_FEDERATED_TOKEN_FILE"] = null,
        ["AWS_ACCESS_KEY_ID"] = AwsAccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = AwsSecretKey,
        ["AWS_REGION"] = "eu-west-1",
        ["AWS_ENDPOINT_URL_KMS"] = Address.AbsoluteUri.TrimEnd('/'),
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    /// <summary>Makes every token given so far expire (the next call with one gets 401).</summary>
    public void ExpireTokens()
    {
        foreach (var token in tokens.Keys)
        {
            tokens[token] = DateTimeOffset.UtcNow.AddSeconds(-1);
        }
    }

    /// <summary>A new version of a vault certificate, with a new key (a renewal).</summary>
    public void AddVaultVersion(string name, bool ec)
    {
        AsymmetricAlgorithm key = ec ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        var certificate = Issue($"CN=Contoso Vault Signer {name}", key, DateTimeOffset.UtcNow.AddYears(1));
        lock (vault)
        {
            if (!vault.TryGetValue(name, out var versions))
            {
                vault[name] = versions = new List<X509Certificate2>();
            }

            versions.Add(certificate);
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
    }

    private X509Certificate2 Issue(string subject, AsymmetricAlgorithm key, DateTimeOffset notAfter)
    {
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new(TestCertificate.CodeSigning) }, false));
        using var issued = request.Create(root.SubjectName, X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1), DateTimeOffset.UtcNow.AddDays(-1), notAfter, RandomNumberGenerator.GetBytes(8));
        return key is RSA r ? issued.CopyWithPrivateKey(r) : issued.CopyWithPrivateKey((ECDsa)key);
    }

    private async Task Serve()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await Handle(context);
                }
                catch (Exception e)
                {
                    Log.Enqueue("stand-in error: " + e.Message);
                    Answer(context, 500, new JsonObject { ["error"] = new JsonObject { ["code"] = "StandInError", ["message"] = e.Message } });
                }
            });
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        var body = await new StreamReader(request.InputStream).ReadToEndAsync();
        Log.Enqueue($"{request.HttpMethod} {path}");
        if (Faults.TryPeek(out var next) && (path + request.Headers["X-Amz-Target"]).Contains(next.PathPart, StringComparison.Ordinal) && Faults.TryDequeue(out var fault))
        {
            if (fault.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers["Retry-After"] = seconds.ToString();
            }

            Answer(context, fault.Status, new JsonObject { ["error"] = new JsonObject { ["code"] = fault.Status == 429 ? "Throttled" : "Injected", ["message"] = "injected by the stand-in" } });
            return;
        }

        if (path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
        {
            Token(context, body);
        }
        else if (path == "/metadata/identity/oauth2/token" && request.Headers["Metadata"] == "true")
        {
            Answer(context, 200, new JsonObject { ["access_token"] = NewToken("managed-identity"), ["expires_on"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString() });
        }
        else if (request.Headers["X-Amz-Target"] is { } target)
        {
            await Kms(context, target, body);
        }
        else if (Bearer(context) is not { } who)
        {
            context.Response.Headers["WWW-Authenticate"] = $"Bearer authorization=\"{Address.AbsoluteUri}{Tenant}\", resource=\"https://vault.azure.net\"";
            Answer(context, 401, new JsonObject { ["error"] = new JsonObject { ["code"] = "Unauthorized", ["message"] = "AKV10000: Request is missing a Bearer or PoP token." } });
        }
        else if (path.StartsWith("/codesigningaccounts/", StringComparison.Ordinal))
        {
            await ArtifactSigning(context, path, body);
        }
        else if (Forbidden.Contains(who))
        {
            Answer(context, 403, new JsonObject { ["error"] = new JsonObject { ["code"] = "Forbidden", ["message"] = $"Caller is not authorized to perform action on resource. Caller: appid={who}" } });
        }
        else
        {
            await KeyVault(context, path, body);
        }
    }

    private void Token(HttpListenerContext context, string body)
    {
        var form = body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : string.Empty));
        var client = form.GetValueOrDefault("client_id") ?? string.Empty;
        var secretOk = form.GetValueOrDefault("client_secret") == Secret || (form.GetValueOrDefault("client_assertion")?.StartsWith("eyJ", StringComparison.Ordinal) ?? false);
        if (!secretOk || form.GetValueOrDefault("grant_type") != "client_credentials")
        {
            Answer(context, 401, new JsonObject { ["error"] = "invalid_client", ["error_description"] = "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1" });
            return;
        }

        Answer(context, 200, new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["access_token"] = NewToken(client) });
    }

    private string NewToken(string who)
    {
        var token = $"{who}.{Guid.NewGuid():N}";
        tokens[token] = DateTimeOffset.UtcNow.AddHours(1);
        return token;
    }

    private string? Bearer(HttpListenerContext context)
    {
        var authorization = context.Request.Headers["Authorization"] ?? string.Empty;
        return authorization.StartsWith("Bearer ", StringComparison.Ordinal) && tokens.TryGetValue(authorization[7..], out var expires) && expires > DateTimeOffset.UtcNow
            ? authorization[7..].Split('.')[0]
            : null;
    }

    private async Task KeyVault(HttpListenerContext context, string path, string body)
    {
        var parts = path.Trim('/').Split('/');
        List<X509Certificate2>? versions;
        lock (vault)
        {
            versions = parts.Length >= 2 && vault.TryGetValue(parts[1], out var found) ? found.ToList() : null;
        }

        var certificate = versions is null ? null : parts.Length >= 3 && parts[2] != "sign" ? versions.FirstOrDefault(c => c.Thumbprint == parts[2]) : versions[^1];
        if (certificate is null)
        {
            Answer(context, 404, new JsonObject { ["error"] = new JsonObject { ["code"] = parts[0] == "keys" ? "KeyNotFound" : "CertificateNotFound", ["message"] = $"A {parts[0].TrimEnd('s')} with (name/id) {string.Join("/", parts.Skip(1))} was not found in this key vault." } });
            return;
        }

        var version = certificate.Thumbprint;
        if (parts[0] == "certificates" && context.Request.HttpMethod == "GET")
        {
            var ec = certificate.GetECDsaPublicKey() is not null;
            Answer(context, 200, new JsonObject
            {
                ["id"] = $"{Address.AbsoluteUri}certificates/{parts[1]}/{version}",
                ["kid"] = $"{Address.AbsoluteUri}keys/{parts[1]}/{version}",
                ["cer"] = Convert.ToBase64String(certificate.RawData),
                ["attributes"] = new JsonObject { ["enabled"] = true },
                ["policy"] = new JsonObject { ["key_props"] = new JsonObject { ["kty"] = ec ? "EC-HSM" : "RSA-HSM", ["exportable"] = false } },
            });
            return;
        }

        if (parts[0] == "keys" && parts[^1] == "sign" && context.Request.HttpMethod == "POST")
        {
            using var json = JsonDocument.Parse(body);
            var alg = json.RootElement.GetProperty("alg").GetString()!;
            var digest = Base64UrlDecode(json.RootElement.GetProperty("value").GetString()!);
            await Signing();
            byte[] signature;
            if (alg.StartsWith("RS", StringComparison.Ordinal) && alg != "RSNULL")
            {
                signature = certificate.GetRSAPrivateKey()!.SignHash(digest, Hash(alg), RSASignaturePadding.Pkcs1);
            }
            else if (alg == "RSNULL" && digest.Length == 35 && certificate.GetRSAPrivateKey() is { } rsa)
            {
                // A SHA-1 DigestInfo, signed as it is: what PKCS#1 v1.5 makes of the SHA-1 hash it ends with.
                signature = rsa.SignHash(digest[^20..], HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
            }
            else if (alg.StartsWith("ES", StringComparison.Ordinal) && certificate.GetECDsaPrivateKey() is { } ecdsa && digest.Length * 8 == int.Parse(alg[2..]))
            {
                signature = ecdsa.SignHash(digest);
            }
            else
            {
                Answer(context, 400, new JsonObject { ["error"] = new JsonObject { ["code"] = "BadParameter", ["message"] = $"The algorithm {alg} does not fit the key or the digest." } });
                return;
            }

            Answer(context, 200, new JsonObject { ["kid"] = $"{Address.AbsoluteUri}keys/{parts[1]}/{version}", ["value"] = Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_') });
            return;
        }

        Answer(context, 400, new JsonObject { ["error"] = new JsonObject { ["code"] = "BadParameter", ["message"] = "not an operation of the stand-in" } });
    }

    private async Task ArtifactSigning(HttpListenerContext context, string path, string body)
    {
        // POST …/certificateprofiles/{profile}:sign starts; GET …/certificateprofiles/{profile}/sign/{id} polls.
        if (context.Request.HttpMethod == "POST" && path.EndsWith(":sign", StringComparison.Ordinal))
        {
            using var json = JsonDocument.Parse(body);
            var digest = Convert.FromBase64String(json.RootElement.GetProperty("digest").GetString()!);
            var algorithm = json.RootElement.GetProperty("signatureAlgorithm").GetString()!;
            var id = Guid.NewGuid().ToString();
            operations[id] = 0;
            _ = Task.Run(async () =>
            {
                await Signing();
                results[id] = profileCertificate.GetRSAPrivateKey()!.SignHash(digest, Hash(algorithm), RSASignaturePadding.Pkcs1);
            });
            context.Response.Headers["Operation-Location"] = $"{Address.AbsoluteUri.TrimEnd('/')}{path[..^":sign".Length]}/sign/{id}?api-version=2023-06-15-preview";
            Answer(context, 202, new JsonObject { ["operationId"] = id, ["status"] = "InProgress" });
            return;
        }

        var operation = path.Split('/')[^1];
        if (context.Request.HttpMethod == "GET" && operations.ContainsKey(operation))
        {
            if (!results.TryGetValue(operation, out var signature))
            {
                context.Response.Headers["Retry-After"] = "0";
                Answer(context, 200, new JsonObject { ["operationId"] = operation, ["status"] = "InProgress" });
                return;
            }

            var chain = new X509Certificate2Collection { X509CertificateLoader.LoadCertificate(profileCertificate.RawData), Root };
            var bundle = Encoding.ASCII.GetBytes(Convert.ToBase64String(chain.Export(X509ContentType.Pkcs7)!));
            Answer(context, 200, new JsonObject
            {
                ["operationId"] = operation,
                ["status"] = "Succeeded",
                ["signature"] = Convert.ToBase64String(signature),
                ["signingCertificate"] = Convert.ToBase64String(bundle),
            });
            return;
        }

        Answer(context, 404, new JsonObject { ["errorDetail"] = new JsonObject { ["code"] = "NotFound", ["message"] = "No such account, profile or operation." } });
    }

    private async Task Kms(HttpListenerContext context, string target, string body)
    {
        var authorization = context.Request.Headers["Authorization"] ?? string.Empty;
        if (!authorization.Contains($"Credential={AwsAccessKey}/", StringComparison.Ordinal))
        {
            AwsError(context, 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
            return;
        }

        using var json = JsonDocument.Parse(body);
        var keyId = json.RootElement.GetProperty("KeyId").GetString();
        if (keyId is not (KmsKeyId or "alias/driver-signing") && keyId != $"arn:aws:kms:eu-west-1:111122223333:key/{KmsKeyId}")
        {
            AwsError(context, 400, "NotFoundException", $"Key 'arn:aws:kms:eu-west-1:111122223333:key/{keyId}' does not exist");
            return;
        }

        var arn = $"arn:aws:kms:eu-west-1:111122223333:key/{KmsKeyId}";
        if (target == "TrentService.GetPublicKey")
        {
            Answer(context, 200, new JsonObject
            {
                ["KeyId"] = arn,
                ["KeySpec"] = "RSA_3072",
                ["KeyUsage"] = "SIGN_VERIFY",
                ["PublicKey"] = Convert.ToBase64String(kmsCertificate.PublicKey.ExportSubjectPublicKeyInfo()),
                ["SigningAlgorithms"] = new JsonArray("RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512"),
            }, "application/x-amz-json-1.1");
            return;
        }

        if (target == "TrentService.Sign" && json.RootElement.GetProperty("MessageType").GetString() == "DIGEST")
        {
            var algorithm = json.RootElement.GetProperty("SigningAlgorithm").GetString()!;
            await Signing();
            var signature = kmsCertificate.GetRSAPrivateKey()!.SignHash(Convert.FromBase64String(json.RootElement.GetProperty("Message").GetString()!), Hash(algorithm), RSASignaturePadding.Pkcs1);
            Answer(context, 200, new JsonObject { ["KeyId"] = arn, ["Signature"] = Convert.ToBase64String(signature), ["SigningAlgorithm"] = algorithm }, "application/x-amz-json-1.1");
            return;
        }

        AwsError(context, 400, "ValidationException", $"{target} is not an operation of the stand-in.");
    }

    private async Task Signing()
    {
        var now = Interlocked.Increment(ref signing);
        Interlocked.Increment(ref SignCalls);
        int most;
        while (now > (most = MostAtOnce) && Interlocked.CompareExchange(ref MostAtOnce, now, most) != most)
        {
        }

        await Task.Delay(SignDelay);
        Interlocked.Decrement(ref signing);
    }

    private static HashAlgorithmName Hash(string algorithm) =>
        algorithm.Contains("384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384 : algorithm.Contains("512", StringComparison.Ordinal) ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;

    private static byte[] Base64UrlDecode(string text)
    {
        var plain = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(plain + new string('=', (4 - plain.Length % 4) % 4));
    }

    private static void AwsError(HttpListenerContext context, int status, string type, string message) =>
        Answer(context, status, new JsonObject { ["__type"] = type, ["message"] = message }, "application/x-amz-json-1.1");

    private static void Answer(HttpListenerContext context, int status, JsonNode body, string contentType = "application/json")
    {
        try
        {
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            context.Response.ContentLength64 = bytes.Length;
            context.Response.OutputStream.Write(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away (a build killed mid-signing).
        }
    }
}
