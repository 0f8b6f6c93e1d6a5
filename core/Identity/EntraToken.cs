using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Identity;

/// <summary>
/// What a token is for: the scope asked for, and the codes of the errors said on its behalf (a submission's are
/// WDK7xxx, signing's WDK4xxx).
/// </summary>
public sealed record EntraAudience(string Scope, string SetupCode, string SignInCode)
{
    /// <summary>Partner Center's Hardware API.</summary>
    public static readonly EntraAudience HardwareApi = new("https://manage.devcenter.microsoft.com/.default", ErrorCodes.SubmissionSetupInvalid, ErrorCodes.SignInFailed);

    /// <summary>A resource signing uses (Key Vault, Artifact Signing), by its resource URL.</summary>
    public static EntraAudience Signing(string resource) => new(resource.TrimEnd('/') + "/.default", ErrorCodes.SignSetupInvalid, ErrorCodes.CloudSignInRefused);
}

/// <summary>
/// An access token from Microsoft Entra ID (client credentials, the v2 token endpoint): with a
/// client secret read from an environment variable, or with a federated token file (GitHub Actions and Azure
/// Pipelines workload identity), read again for every token because the runner renews it. A token is renewed five
/// minutes before it expires, and on demand after a 401; a submission can outlive several tokens.
/// </summary>
public sealed class EntraToken : IAccessToken
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    private readonly HttpClient http;
    private readonly Uri endpoint;
    private readonly string clientId;
    private readonly EntraAudience audience;
    private readonly Func<KeyValuePair<string, string>[]> credential;
    private readonly Func<DateTimeOffset> clock;
    private readonly SemaphoreSlim gate = new(1, 1);
    private string? token;
    private DateTimeOffset renewAt;

    private EntraToken(HttpClient http, Uri authority, string tenant, string clientId, Func<KeyValuePair<string, string>[]> credential, Func<DateTimeOffset>? clock, EntraAudience? audience)
    {
        this.audience = audience ?? EntraAudience.HardwareApi;
        this.http = http;
        endpoint = new Uri(authority, $"{Uri.EscapeDataString(tenant)}/oauth2/v2.0/token");
        this.clientId = clientId;
        this.credential = credential;
        this.clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// The sign-in a submission is set up with: exactly one of a secret (read from the variable named) and a
    /// federated token file; <paramref name="settings"/> names the two settings in the message when that is not so.
    /// </summary>
    public static EntraToken For(HttpClient http, Uri authority, string tenant, string clientId, string? secretVariable, string? federatedTokenFile, string settings, EntraAudience? audience = null)
    {
        if (string.IsNullOrEmpty(secretVariable) == string.IsNullOrEmpty(federatedTokenFile))
        {
            throw new WdkException(Diagnostic.Error((audience ?? EntraAudience.HardwareApi).SetupCode, $"Give exactly one of {settings}."));
        }

        return string.IsNullOrEmpty(secretVariable)
            ? WithFederatedToken(http, authority, tenant, clientId, federatedTokenFile!, audience: audience)
            : WithSecret(http, authority, tenant, clientId, secretVariable!, audience: audience);
    }

    /// <summary>The client this token signs in as (an app's id: no secret).</summary>
    public string Who => $"the app '{clientId}'";

    /// <summary>Client credentials with a secret; the secret is read from <paramref name="secretVariable"/> and nowhere else.</summary>
    public static EntraToken WithSecret(HttpClient http, Uri authority, string tenant, string clientId, string secretVariable, Func<DateTimeOffset>? clock = null, EntraAudience? audience = null)
    {
        var secret = Environment.GetEnvironmentVariable(secretVariable);
        if (string.IsNullOrEmpty(secret))
        {
            throw new WdkException(Diagnostic.Error((audience ?? EntraAudience.HardwareApi).SetupCode, $"The environment variable '{secretVariable}' named for the client secret is not set."));
        }

        return new EntraToken(http, authority, tenant, clientId, () => new[] { new KeyValuePair<string, string>("client_secret", secret!) }, clock, audience);
    }

    /// <summary>Client credentials with a federated token (a JWT the CI system writes to a file) as the client assertion.</summary>
    public static EntraToken WithFederatedToken(HttpClient http, Uri authority, string tenant, string clientId, string tokenFile, Func<DateTimeOffset>? clock = null, EntraAudience? audience = null) =>
        new(http, authority, tenant, clientId, () =>
        {
            string assertion;
            try
            {
                assertion = File.ReadAllText(tokenFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new WdkException(Diagnostic.Error((audience ?? EntraAudience.HardwareApi).SignInCode, $"Cannot read the federated token file: {e.Message}", tokenFile), e);
            }

            return new[]
            {
                new KeyValuePair<string, string>("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                new KeyValuePair<string, string>("client_assertion", assertion),
            };
        }, clock, audience);

    /// <summary>The current token, fetched when there is none, it is about to expire, or <paramref name="renew"/> (the API answered 401).</summary>
    public async Task<string> GetAsync(bool renew, CancellationToken cancellation)
    {
        await gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (token is not null && !renew && clock() < renewAt)
            {
                return token;
            }

            var form = new List<KeyValuePair<string, string>>
            {
                new("client_id", clientId),
                new("scope", audience.Scope),
                new("grant_type", "client_credentials"),
            };
            form.AddRange(credential());
            using var response = await Send(form, cancellation).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            using var json = Parse(body);
            if (!response.IsSuccessStatusCode || json?.RootElement.TryGetProperty("access_token", out _) != true)
            {
                // Entra's error and description say what is wrong (an expired secret is invalid_client); they hold no secret.
                var error = json?.RootElement.TryGetProperty("error", out var e) == true ? e.GetString() : null;
                var description = json?.RootElement.TryGetProperty("error_description", out var d) == true ? d.GetString()?.Split('\n')[0].Trim() : null;
                throw new WdkException(Diagnostic.Error(
                    audience.SignInCode,
                    $"Microsoft Entra ID refused the sign-in of client '{clientId}' ({(int)response.StatusCode}{(error is null ? string.Empty : ", " + error)}){(description is null ? "." : ": " + description)} Check the tenant, the client id and the secret or federated credential."));
            }

            token = json!.RootElement.GetProperty("access_token").GetString();
            var seconds = 0;
            if (json.RootElement.TryGetProperty("expires_in", out var expires))
            {
                _ = expires.ValueKind == JsonValueKind.Number ? expires.TryGetInt32(out seconds) : int.TryParse(expires.GetString(), out seconds);
            }

            var lifetime = TimeSpan.FromSeconds(seconds > 0 ? seconds : 3600);
            renewAt = clock() + (lifetime > Margin + Margin ? lifetime - Margin : TimeSpan.FromTicks(lifetime.Ticks / 2));
            return token!;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<HttpResponseMessage> Send(List<KeyValuePair<string, string>> form, CancellationToken cancellation)
    {
        try
        {
            return await http.PostAsync(endpoint, new FormUrlEncodedContent(form), cancellation).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new WdkException(Diagnostic.Error(audience.SignInCode, $"Cannot reach Microsoft Entra ID at {endpoint.GetLeftPart(UriPartial.Authority)}: {e.Message}"), e);
        }
    }

    private static JsonDocument? Parse(string body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
