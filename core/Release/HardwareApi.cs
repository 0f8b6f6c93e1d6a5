using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Identity;

namespace WdkDriver.Core.Release;

/// <summary>A submission as the Hardware API reports it; ids are kept as the JSON's digits (they exceed a double's 53 bits).</summary>
public sealed record HardwareSubmission(
    string Id,
    string CommitStatus,
    string? Step,
    string? State,
    IReadOnlyList<string> Messages,
    string? ErrorReport,
    IReadOnlyDictionary<string, Uri> Downloads);

/// <summary>How often and how long a request is tried again after 429, 5xx or a network error.</summary>
public sealed record RetryPolicy(int Attempts, TimeSpan FirstDelay, TimeSpan LongestDelay)
{
    public static readonly RetryPolicy Default = new(8, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(2));
}

/// <summary>
/// The calls of Microsoft's Hardware API (Partner Center) that attestation signing needs. Every request carries a
/// fresh-enough token (renewed once on 401), and is tried again after 429 (waiting as long as Retry-After says),
/// 500, 502, 503, 504 and network errors, with doubling delays, a bounded number of times. Nothing here logs a token
/// or an upload address.
/// </summary>
public sealed class HardwareApi
{
    public static readonly Uri DefaultAddress = new("https://manage.devcenter.microsoft.com/v2.0/my/hardware/");

    private readonly HttpClient http;
    private readonly Uri address;
    private readonly EntraToken token;
    private readonly RetryPolicy retry;
    private readonly Func<TimeSpan, CancellationToken, Task> delay;
    private readonly string correlation = Guid.NewGuid().ToString();

    public HardwareApi(HttpClient http, Uri address, EntraToken token, RetryPolicy? retry = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        this.http = http;
        this.address = address.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? address : new Uri(address.AbsoluteUri + "/");
        this.token = token;
        this.retry = retry ?? RetryPolicy.Default;
        this.delay = delay ?? Task.Delay;
    }

    /// <summary>An http(s) address from a setting (a trailing slash added), or the fallback when it is empty.</summary>
    public static Uri Address(string? text, string fallback, string setting)
    {
        var value = string.IsNullOrWhiteSpace(text) ? fallback : text!;
        return Uri.TryCreate(value.EndsWith("/", StringComparison.Ordinal) ? value : value + "/", UriKind.Absolute, out var address) && (address.Scheme == "https" || address.Scheme == "http")
            ? address
            : throw new WdkException(Diagnostic.Error(ErrorCodes.SubmissionSetupInvalid, $"{setting} '{value}' is not an http(s) address."));
    }

    /// <summary>Creates the attestation product; returns its id.</summary>
    public async Task<string> CreateProductAsync(string name, IReadOnlyList<string> signatures, CancellationToken cancellation)
    {
        var body = Json(writer =>
        {
            writer.WriteString("productName", name);
            writer.WriteString("testHarness", "Attestation");
            writer.WriteString("announcementDate", DateTime.UtcNow.Date.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteStartArray("deviceMetadataIds");
            writer.WriteEndArray();
            writer.WriteString("firmwareVersion", "0");
            writer.WriteString("deviceType", "internal");
            writer.WriteBoolean("isTestSign", false);
            writer.WriteBoolean("isFlightSign", false);
            writer.WriteStartArray("marketingNames");
            writer.WriteEndArray();
            writer.WriteStartObject("selectedProductTypes");
            writer.WriteEndObject();
            writer.WriteStartArray("requestedSignatures");
            foreach (var signature in signatures)
            {
                writer.WriteStringValue(signature);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("additionalAttributes");
            writer.WriteEndObject();
        });
        using var json = await SendAsync(HttpMethod.Post, "products", body, "create the product", cancellation).ConfigureAwait(false);
        return Id(json!.RootElement, "product");
    }

    /// <summary>Creates the product's initial submission; returns its id.</summary>
    public async Task<string> CreateSubmissionAsync(string productId, string name, CancellationToken cancellation)
    {
        var body = Json(writer =>
        {
            writer.WriteString("name", name);
            writer.WriteString("type", "initial");
        });
        using var json = await SendAsync(HttpMethod.Post, $"products/{productId}/submissions", body, "create the submission", cancellation).ConfigureAwait(false);
        return Id(json!.RootElement, "submission");
    }

    public async Task<HardwareSubmission> GetSubmissionAsync(string productId, string submissionId, CancellationToken cancellation)
    {
        using var json = await SendAsync(HttpMethod.Get, $"products/{productId}/submissions/{submissionId}", null, "read the submission", cancellation).ConfigureAwait(false);
        return Submission(json!.RootElement);
    }

    /// <summary>
    /// Commits the uploaded package. A commit whose answer was lost, or that a rerun repeats, is refused by the API
    /// (the submission is no longer pending): then the submission is read, and a commit it shows is the success.
    /// </summary>
    public async Task CommitAsync(string productId, string submissionId, CancellationToken cancellation)
    {
        try
        {
            using var _ = await SendAsync(HttpMethod.Post, $"products/{productId}/submissions/{submissionId}/commit", "{}", "commit the submission", cancellation).ConfigureAwait(false);
        }
        catch (WdkException)
        {
            var submission = await GetSubmissionAsync(productId, submissionId, cancellation).ConfigureAwait(false);
            if (submission.CommitStatus.Equals("commitPending", StringComparison.OrdinalIgnoreCase) || submission.CommitStatus.Equals("commitFailed", StringComparison.OrdinalIgnoreCase))
            {
                throw;
            }
        }
    }

    private async Task<JsonDocument?> SendAsync(HttpMethod method, string path, string? body, string what, CancellationToken cancellation)
    {
        var renewed = false;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            string? failure;
            TimeSpan? wait = null;
            try
            {
                using var request = new HttpRequestMessage(method, new Uri(address, path));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token.GetAsync(false, cancellation).ConfigureAwait(false));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Headers.Add("MS-CorrelationId", correlation);
                request.Headers.Add("MS-RequestId", Guid.NewGuid().ToString());
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }

                response = await http.SendAsync(request, cancellation).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return text.Trim().Length == 0 ? null : JsonDocument.Parse(text);
                }

                if (response.StatusCode == HttpStatusCode.Unauthorized && !renewed)
                {
                    // The token expired early, or was revoked: one new token, then the same request.
                    renewed = true;
                    await token.GetAsync(true, cancellation).ConfigureAwait(false);
                    attempt--;
                    continue;
                }

                failure = $"{(int)response.StatusCode} {ErrorText(text)}";
                if (!Transient(response.StatusCode))
                {
                    throw Failed(what, failure);
                }

                wait = RetryAfter(response);
            }
            catch (HttpRequestException e)
            {
                failure = e.Message;
            }
            catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
            {
                failure = "no answer in time: " + e.Message;
            }
            catch (JsonException e)
            {
                throw Failed(what, "the answer is not JSON: " + e.Message);
            }
            finally
            {
                response?.Dispose();
            }

            if (attempt >= retry.Attempts)
            {
                throw Failed(what, $"{failure} (tried {attempt} times)");
            }

            var backoff = TimeSpan.FromTicks(Math.Min(retry.LongestDelay.Ticks, retry.FirstDelay.Ticks << Math.Min(attempt - 1, 20)));
            await delay(wait is { } w && w > backoff ? (w < retry.LongestDelay ? w : retry.LongestDelay) : backoff, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>A JSON object written field by field (no reflection: the command is also compiled ahead of time).</summary>
    private static string Json(Action<Utf8JsonWriter> fields)
    {
        using var buffer = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static bool Transient(HttpStatusCode status) =>
        status is (HttpStatusCode)429 or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter is { } after
            ? after.Delta ?? (after.Date is { } date ? date - DateTimeOffset.UtcNow : null)
            : null;

    private static WdkException Failed(string what, string why) =>
        new(Diagnostic.Error(ErrorCodes.HardwareApiFailed, $"Partner Center's Hardware API did not {what}: {why}"));

    /// <summary>The API's error body ({"error": {"code", "message"}} or {"code"/"statusCode", "message"}), short.</summary>
    private static string ErrorText(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var error = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var inner) ? inner : json.RootElement;
            var code = error.TryGetProperty("code", out var c) ? c.ToString() : null;
            var message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
            return string.Join(": ", new[] { code, message }.Where(x => !string.IsNullOrEmpty(x)));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return body.Length > 200 ? body.Substring(0, 200) : body;
        }
    }

    /// <summary>An id as the JSON's digits, whether the API wrote it as a number or a string.</summary>
    private static string Id(JsonElement resource, string what) =>
        resource.TryGetProperty("id", out var id) && (id.ValueKind == JsonValueKind.Number ? id.GetRawText() : id.GetString()) is { Length: > 0 } text && text.All(char.IsDigit)
            ? text
            : throw new WdkException(Diagnostic.Error(ErrorCodes.HardwareApiFailed, $"Partner Center's Hardware API answered without a {what} id."));

    private static HardwareSubmission Submission(JsonElement resource)
    {
        string? Text(JsonElement element, string name) => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var workflow = resource.TryGetProperty("workflowStatus", out var w) ? w : default;
        var messages = workflow.ValueKind == JsonValueKind.Object && workflow.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().Select(x => x.ToString()).ToList()
            : new List<string>();
        var downloads = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
        if (resource.TryGetProperty("downloads", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                if (Text(item, "type") is { } type && Uri.TryCreate(Text(item, "url"), UriKind.Absolute, out var url))
                {
                    downloads[type] = url;
                }
            }
        }

        return new HardwareSubmission(Id(resource, "submission"), Text(resource, "commitStatus") ?? string.Empty, Text(workflow, "currentStep"), Text(workflow, "state"), messages, Text(workflow, "errorReport"), downloads);
    }
}
