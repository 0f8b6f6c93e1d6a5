using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Identity;

namespace WdkDriver.Core.Signing.Cloud;

/// <summary>
/// One call of a cloud signing service with a bearer token: renewed once on 401 (expired early, revoked), waited for
/// and tried again on 429 and 503 as Retry-After says (a bounded number of times); anything else stops with one
/// coded error that names the service's error code and message, never a token or the rest of the answer. A refused
/// credential is not tried again: services lock out identities that keep failing.
/// </summary>
internal sealed class CloudCall
{
    /// <summary>One client for every call of the process (connections are reused; remote signing takes 100-300 ms a call).</summary>
    public static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(100) };

    private const int Attempts = 6;
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(60);

    private readonly string service;
    private readonly IAccessToken token;
    private readonly string permission;

    /// <param name="service">The service as messages name it ("Key Vault 'contoso'").</param>
    /// <param name="permission">The role the identity needs, said when it is refused.</param>
    public CloudCall(string service, IAccessToken token, string permission)
    {
        this.service = service;
        this.token = token;
        this.permission = permission;
    }

    public string Service => service;

    /// <summary>Sends a request (JSON body or none); returns the status, the JSON answer and the response's headers.</summary>
    public async Task<CloudAnswer> SendAsync(HttpMethod method, Uri address, string? body, string what, CancellationToken cancellation)
    {
        var renewed = false;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, address);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token.GetAsync(false, cancellation).ConfigureAwait(false));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            HttpResponseMessage response;
            try
            {
                response = await Http.SendAsync(request, cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
            {
                throw Failed(ErrorCodes.CloudSigningFailed, what, $"no answer from {address.GetLeftPart(UriPartial.Authority)} ({e.Message})", e);
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                var json = CloudJson.Parse(text);
                if (response.IsSuccessStatusCode)
                {
                    return new CloudAnswer(response.StatusCode, json, response.Headers.Location, Header(response, "Operation-Location"), RetryAfter(response));
                }

                var error = $"{(int)response.StatusCode}{CloudJson.ErrorText(json)}";
                json?.Dispose();
                if (response.StatusCode == HttpStatusCode.Unauthorized && !renewed)
                {
                    renewed = true;
                    await token.GetAsync(true, cancellation).ConfigureAwait(false);
                    attempt--;
                    continue;
                }

                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    throw Failed(ErrorCodes.CloudSignInRefused, what, $"{error}; {token.Who} needs the role {permission}");
                }

                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    throw Failed(ErrorCodes.CloudKeyMissing, what, $"{error}; check the name in the build's settings, and that {token.Who} may see it ({permission})");
                }

                if (response.StatusCode is not ((HttpStatusCode)429 or HttpStatusCode.ServiceUnavailable) || attempt >= Attempts)
                {
                    throw Failed(ErrorCodes.CloudSigningFailed, what, attempt > 1 ? $"{error} (tried {attempt} times)" : error);
                }

                var wait = RetryAfter(response) ?? TimeSpan.FromSeconds(1 << Math.Min(attempt - 1, 5));
                await Task.Delay(wait < LongestWait ? wait : LongestWait, cancellation).ConfigureAwait(false);
            }
        }
    }

    private WdkException Failed(string code, string what, string why, Exception? inner = null) =>
        new(Diagnostic.Error(code, $"{service} did not {what}: {why}."), inner);

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter is { } after
            ? after.Delta ?? (after.Date is { } date ? date - DateTimeOffset.UtcNow : null)
            : null;
}

/// <summary>A successful answer: its JSON (the caller disposes it), where it points, and how long to wait before asking again.</summary>
internal sealed record CloudAnswer(HttpStatusCode Status, JsonDocument? Json, Uri? Location, string? OperationLocation, TimeSpan? RetryAfter) : IDisposable
{
    public JsonElement Root => Json?.RootElement ?? default;

    public void Dispose() => Json?.Dispose();
}
