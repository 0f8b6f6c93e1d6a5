using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Storage.Sas;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Tests;

/// <summary>A fault the stand-in injects into the next request that matches.</summary>
/// <param name="Status">The status to answer instead (429, 500, 401, ...), or 0 to handle the request and then drop the connection (a lost answer).</param>
internal sealed record Fault(string Method, string PathEnd, int Status, int? RetryAfterSeconds = null);

/// <summary>
/// A STAND-IN of Microsoft's Hardware API and of Entra ID's token endpoint, written from their documentation
/// (../shared/docs/partner-center.md) because Partner Center cannot be reached from the tests: it is not Partner Center.
/// Products and submissions with 64-bit ids, the upload and download addresses in Azurite (a real blob service), the
/// commit, the workflow's steps (one per read after the commit), a failing submission with messages and an error
/// report, and injected faults: 429 with Retry-After, 5xx, 401, a lost answer, tokens that expire. What it returns is
/// signed as Microsoft does it, with a new catalog, but by its own test publisher and root (<see cref="Root"/>), which a
/// test pins in place of Microsoft's.
/// </summary>
internal sealed class HardwareApiStandIn : IDisposable
{
    private static readonly string[] Steps = { "packageInfoValidation", "preparation", "scanning", "validation", "catalogCreation", "signing", "finalizeIngestion" };
    private readonly HttpListener listener = new();
    private readonly Azurite storage;
    private readonly string clientId;
    private readonly string secret;
    private readonly ConcurrentDictionary<string, DateTimeOffset> tokens = new();
    private readonly ConcurrentDictionary<string, Product> products = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long nextProduct = 14631253285588838;
    private long nextSubmission = 1152921504621465124;

    private readonly X509Certificate2 publisher;

    public HardwareApiStandIn(Azurite storage, string clientId, string secret)
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=Stand-in Root (not Microsoft)", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        Root = X509CertificateLoader.LoadCertificate(root.RawData);
        using var publisherKey = RSA.Create(2048);
        var publisherRequest = new CertificateRequest("CN=Stand-in Hardware Compatibility Publisher", publisherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        publisherRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new(MicrosoftRoots.AttestationUsage), new(TestCertificate.CodeSigning) }, false));
        using var issued = publisherRequest.Create(root, now.AddDays(-1), now.AddMonths(6), new byte[] { 7, 1, 2, 3 });
        publisher = issued.CopyWithPrivateKey(publisherKey);

        this.storage = storage;
        this.clientId = clientId;
        this.secret = secret;
        Authority = LoopbackListener.Start(listener);
        loop = Task.Run(Serve);
    }

    public Uri Authority { get; }

    /// <summary>The root of the stand-in's "Microsoft" signatures (public part only).</summary>
    public X509Certificate2 Root { get; }

    public Uri ApiAddress => new(Authority, "v2.0/my/hardware/");

    /// <summary>Faults for the next matching requests, in order.</summary>
    public ConcurrentQueue<Fault> Faults { get; } = new();

    /// <summary>Seconds each token lives.</summary>
    public int TokenLifetime { get; set; } = 3600;

    /// <summary>The workflow step at which submissions fail, or null.</summary>
    public string? FailAt { get; set; }

    public int TokensIssued { get; private set; }

    /// <summary>Requests that came with a missing, unknown or expired token (injected 401s not counted).</summary>
    public int Unauthorized { get; private set; }

    public int ProductsCreated => products.Count;

    public int SubmissionsCreated => products.Values.Sum(p => p.Submissions.Count);

    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>The client's product request body, as received.</summary>
    public JsonNode? LastProductRequest { get; private set; }

    private sealed class Product
    {
        public ConcurrentDictionary<string, Submission> Submissions { get; } = new();
    }

    private sealed class Submission
    {
        public string Id { get; init; } = string.Empty;
        public string CommitStatus { get; set; } = "commitPending";
        public int Step { get; set; } = -1;
        public string State { get; set; } = "notStarted";
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

            try
            {
                Handle(context);
            }
            catch (Exception e)
            {
                Log.Enqueue("stand-in error: " + e);
                Answer(context, 500, new JsonObject { ["error"] = new JsonObject { ["code"] = "internal", ["message"] = e.Message } });
            }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        var body = new StreamReader(request.InputStream).ReadToEnd();
        Log.Enqueue($"{request.HttpMethod} {path}");
        Fault? fault = null;
        if (Faults.TryPeek(out var next) && next.Method == request.HttpMethod && path.EndsWith(next.PathEnd, StringComparison.Ordinal) && Faults.TryDequeue(out fault) && fault.Status != 0)
        {
            if (fault.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers["Retry-After"] = seconds.ToString();
            }

            Answer(context, fault.Status, new JsonObject { ["error"] = new JsonObject { ["code"] = fault.Status == 429 ? "TooManyRequests" : "injected", ["message"] = "injected by the stand-in" } });
            return;
        }

        if (path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
        {
            Token(context, body);
            return;
        }

        var authorization = request.Headers["Authorization"] ?? string.Empty;
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !tokens.TryGetValue(authorization.Substring(7), out var expires) || expires < DateTimeOffset.UtcNow)
        {
            Unauthorized++;
            Answer(context, 401, new JsonObject { ["error"] = new JsonObject { ["code"] = "Unauthorized", ["message"] = "token missing or expired" } });
            return;
        }

        var parts = path.Substring(ApiAddress.AbsolutePath.Length).Trim('/').Split('/');
        JsonObject answer;
        var status = 200;
        switch (request.HttpMethod, parts.Length)
        {
            case ("POST", 1) when parts[0] == "products":
                LastProductRequest = JsonNode.Parse(body);
                var productId = Interlocked.Increment(ref nextProduct).ToString();
                products[productId] = new Product();
                answer = new JsonObject { ["id"] = JsonValue.Create(long.Parse(productId)), ["productName"] = LastProductRequest?["productName"]?.GetValue<string>(), ["testHarness"] = "attestation" };
                status = 201;
                break;
            case ("POST", 3) when parts[2] == "submissions" && products.TryGetValue(parts[1], out var product):
                if (!product.Submissions.IsEmpty)
                {
                    Answer(context, 400, new JsonObject { ["error"] = new JsonObject { ["code"] = "RequestInvalidForCurrentState", ["message"] = "Initial submission already exists" } });
                    return;
                }

                var submissionId = Interlocked.Increment(ref nextSubmission).ToString();
                product.Submissions[submissionId] = new Submission { Id = submissionId };
                // As observed live: the create answer may lack the upload address.
                answer = new JsonObject { ["id"] = JsonValue.Create(long.Parse(submissionId)), ["productId"] = JsonValue.Create(long.Parse(parts[1])), ["commitStatus"] = "commitPending", ["type"] = "initial" };
                status = 201;
                break;
            case ("GET", 4) when products.TryGetValue(parts[1], out var product) && product.Submissions.TryGetValue(parts[3], out var submission):
                answer = Read(submission);
                break;
            case ("POST", 5) when parts[4] == "commit" && products.TryGetValue(parts[1], out var product) && product.Submissions.TryGetValue(parts[3], out var submission):
                if (submission.CommitStatus != "commitPending")
                {
                    Answer(context, 400, new JsonObject { ["error"] = new JsonObject { ["code"] = "RequestInvalidForCurrentState", ["message"] = "Only pending submissions can be committed" } });
                    return;
                }

                if (!storage.Container.GetBlobClient($"{submission.Id}/initial.cab").Exists().Value)
                {
                    Answer(context, 400, new JsonObject { ["error"] = new JsonObject { ["code"] = "InvalidInput", ["message"] = "The package has not been uploaded" } });
                    return;
                }

                submission.CommitStatus = "commitComplete";
                if (fault is { Status: 0 })
                {
                    // Done, but the answer is lost on the way.
                    context.Response.Abort();
                    return;
                }

                context.Response.StatusCode = 202;
                context.Response.Close();
                return;
            default:
                Answer(context, 404, new JsonObject { ["error"] = new JsonObject { ["code"] = "EntityNotFound", ["message"] = $"No resource at {path}" } });
                return;
        }

        Answer(context, status, answer);
    }

    private void Token(HttpListenerContext context, string body)
    {
        var form = body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : string.Empty));
        var credential = form.GetValueOrDefault("client_secret") ?? form.GetValueOrDefault("client_assertion");
        if (form.GetValueOrDefault("client_id") != clientId || credential != secret || form.GetValueOrDefault("scope") != "https://manage.devcenter.microsoft.com/.default")
        {
            Answer(context, 401, new JsonObject { ["error"] = "invalid_client", ["error_description"] = "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 0" });
            return;
        }

        var token = "stand-in-token-" + Guid.NewGuid().ToString("N");
        tokens[token] = DateTimeOffset.UtcNow.AddSeconds(TokenLifetime);
        TokensIssued++;
        Answer(context, 200, new JsonObject { ["access_token"] = token, ["token_type"] = "Bearer", ["expires_in"] = TokenLifetime });
    }

    /// <summary>The submission as read now; after the commit each read moves the workflow one step on.</summary>
    private JsonObject Read(Submission submission)
    {
        if (submission.CommitStatus == "commitComplete" && submission.State is not ("completed" or "failed"))
        {
            submission.Step = Math.Min(submission.Step + 1, Steps.Length);
            submission.State = submission.Step == Steps.Length ? "completed" : Steps[submission.Step] == FailAt ? "failed" : "started";
        }

        var items = new JsonArray { new JsonObject { ["type"] = "initialPackage", ["url"] = storage.Address($"{submission.Id}/initial.cab", BlobSasPermissions.Create | BlobSasPermissions.Write).AbsoluteUri } };
        var workflow = new JsonObject { ["currentStep"] = Steps[Math.Clamp(submission.Step, 0, Steps.Length - 1)], ["state"] = submission.State, ["messages"] = new JsonArray() };
        if (submission.State == "failed")
        {
            workflow["messages"] = new JsonArray { "The INF file failed validation.", "Error 1324 in driver.inf" };
            var report = storage.Container.GetBlobClient($"{submission.Id}/errorreport.txt");
            report.Upload(BinaryData.FromString("Line 12: [Version] section lacks CatalogFile.\nSubmission rejected."), overwrite: true);
            workflow["errorReport"] = storage.Address($"{submission.Id}/errorreport.txt", BlobSasPermissions.Read).AbsoluteUri;
        }

        if (submission.State == "completed")
        {
            items.Add(new JsonObject { ["type"] = "signedPackage", ["url"] = SignedPackage(submission).AbsoluteUri });
        }

        return new JsonObject
        {
            ["id"] = JsonValue.Create(long.Parse(submission.Id)),
            ["commitStatus"] = submission.CommitStatus,
            ["workflowStatus"] = workflow,
            ["downloads"] = new JsonObject { ["items"] = items, ["messages"] = new JsonArray() },
        };
    }

    /// <summary>"Microsoft's" package: the uploaded cabinet's folders, each with a new catalog signed by the stand-in's publisher, zipped.</summary>
    private Uri SignedPackage(Submission submission)
    {
        var blob = storage.Container.GetBlobClient($"{submission.Id}/signed.zip");
        if (!blob.Exists().Value)
        {
            using var cabinet = Cabinet.Read(new MemoryStream(storage.Container.GetBlobClient($"{submission.Id}/initial.cab").DownloadContent().Value.Content.ToArray()), "initial.cab");
            using var temp = new TempDirectory("stand-in");
            cabinet.ExtractTo(temp.Path);
            foreach (var package in Directory.GetFiles(temp.Path, "*.inf", SearchOption.AllDirectories).Select(Path.GetDirectoryName).Distinct())
            {
                foreach (var old in Directory.GetFiles(package!, "*.cat"))
                {
                    File.Delete(old);
                }

                foreach (var catalog in CatalogBuilder.Create(CatalogContents.FolderFiles(package!), package!, outputIsFolder: true, new CatalogOptions("10_X64"), DateTimeOffset.UtcNow))
                {
                    File.WriteAllBytes(catalog, CatalogSigner.Sign(File.ReadAllBytes(catalog), catalog, publisher, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256));
                }
            }

            var zip = new MemoryStream();
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var file in Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    archive.CreateEntryFromFile(file, Path.GetRelativePath(temp.Path, file).Replace('\\', '/'));
                }
            }

            zip.Position = 0;
            blob.Upload(zip);
        }

        return storage.Address($"{submission.Id}/signed.zip", BlobSasPermissions.Read);
    }

    private static void Answer(HttpListenerContext context, int status, JsonNode body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    public void Dispose()
    {
        publisher.Dispose();
        stop.Cancel();
        // Close alone: after Stop, .NET's managed listener looks the port up again to close, and binds it anew, which
        // fails when another test's stand-in has taken the freed port meanwhile ("Address already in use").
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener.
        }
    }
}
