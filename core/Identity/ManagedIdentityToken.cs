using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Identity;

/// <summary>
/// A token from the managed identity of the Azure machine the build runs on: App Service, Functions and Container Apps
/// give an endpoint and a header secret (IDENTITY_ENDPOINT, IDENTITY_HEADER); virtual machines and scale sets the
/// instance metadata service (IMDS, at AZURE_POD_IDENTITY_AUTHORITY_HOST where that is set, as Azure.Identity reads it).
/// AZURE_CLIENT_ID picks a user-assigned identity.
/// </summary>
public sealed class ManagedIdentityToken : IAccessToken
{
    private static readonly Uri Imds = new("http://169.254.169.254/");
    private readonly HttpClient http;
    private readonly string resource;
    private readonly string? clientId;
    private readonly SemaphoreSlim gate = new(1, 1);
    private string? token;
    private DateTimeOffset renewAt;

    public ManagedIdentityToken(HttpClient http, string resource, string? clientId)
    {
        this.http = http;
        this.resource = resource;
        this.clientId = string.IsNullOrEmpty(clientId) ? null : clientId;
    }

    public string Who => clientId is null ? "the machine's managed identity" : $"the managed identity '{clientId}'";

    public async Task<string> GetAsync(bool renew, CancellationToken cancellation)
    {
        await gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (token is not null && !renew && DateTimeOffset.UtcNow < renewAt)
            {
                return token;
            }

            using var request = Request();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            // Off Azure nothing answers IMDS's address; a few seconds tell.
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
            {
                throw new WdkException(Diagnostic.Error(
                    ErrorCodes.CloudSignInRefused,
                    $"No Azure credential: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE are not all set, and no managed identity answered at {request.RequestUri!.GetLeftPart(UriPartial.Authority)} ({e.Message}). Set them (docs/cloud-signing.md), or build on an Azure machine with a managed identity."), e);
            }

            using (response)
            {
                var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                using var json = CloudJson.Parse(body);
                if (!response.IsSuccessStatusCode || json?.RootElement.TryGetProperty("access_token", out _) != true)
                {
                    throw new WdkException(Diagnostic.Error(
                        ErrorCodes.CloudSignInRefused,
                        $"The managed identity gave no token for {resource} ({(int)response.StatusCode}{CloudJson.ErrorText(json)}). Check that {Who} is assigned to this machine."));
                }

                token = json!.RootElement.GetProperty("access_token").GetString();
                renewAt = DateTimeOffset.UtcNow + Lifetime(json.RootElement) - TimeSpan.FromMinutes(5);
                return token!;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private HttpRequestMessage Request()
    {
        var query = "resource=" + Uri.EscapeDataString(resource) + (clientId is null ? string.Empty : "&client_id=" + Uri.EscapeDataString(clientId));
        var endpoint = Environment.GetEnvironmentVariable("IDENTITY_ENDPOINT");
        var header = Environment.GetEnvironmentVariable("IDENTITY_HEADER");
        if (!string.IsNullOrEmpty(endpoint) && !string.IsNullOrEmpty(header))
        {
            var service = new HttpRequestMessage(HttpMethod.Get, $"{endpoint}?api-version=2019-08-01&{query}");
            service.Headers.Add("X-IDENTITY-HEADER", header);
            return service;
        }

        var host = Environment.GetEnvironmentVariable("AZURE_POD_IDENTITY_AUTHORITY_HOST") is { Length: > 0 } pod ? new Uri(pod.TrimEnd('/') + "/") : Imds;
        var imds = new HttpRequestMessage(HttpMethod.Get, new Uri(host, "metadata/identity/oauth2/token?api-version=2018-02-01&" + query));
        imds.Headers.Add("Metadata", "true");
        return imds;
    }

    /// <summary>expires_in (seconds from now), else expires_on (seconds since 1970), as a string or a number.</summary>
    private static TimeSpan Lifetime(JsonElement answer)
    {
        if (CloudJson.Number(answer, "expires_in") is { } seconds && seconds > 600)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (CloudJson.Number(answer, "expires_on") is { } epoch)
        {
            var left = DateTimeOffset.FromUnixTimeSeconds(epoch) - DateTimeOffset.UtcNow;
            return left > TimeSpan.FromMinutes(10) ? left : TimeSpan.FromMinutes(10);
        }

        return TimeSpan.FromHours(1);
    }
}
