using System;
using System.Net.Http;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Identity;

/// <summary>
/// The Azure sign-in CI has, from the environment names Azure.Identity's EnvironmentCredential and workload identity
/// read: AZURE_CLIENT_ID with AZURE_CLIENT_SECRET (a secret) or AZURE_FEDERATED_TOKEN_FILE (GitHub's or Azure
/// Pipelines' OIDC token, through the app's federated credential), AZURE_TENANT_ID, AZURE_AUTHORITY_HOST for sovereign
/// clouds; else the machine's managed identity. Nothing of it is a property: properties end up in build logs.
/// </summary>
public static class AzureCredential
{
    public static readonly Uri PublicCloud = new("https://login.microsoftonline.com/");

    /// <param name="resource">The service's resource (https://vault.azure.net, https://codesigning.azure.net).</param>
    /// <param name="challengeTenant">The tenant the service's own challenge names, used where AZURE_TENANT_ID is not set.</param>
    public static IAccessToken For(HttpClient http, string resource, string? challengeTenant = null)
    {
        var clientId = Variable("AZURE_CLIENT_ID");
        var tenant = Variable("AZURE_TENANT_ID") ?? challengeTenant;
        var secret = Variable("AZURE_CLIENT_SECRET");
        var tokenFile = Variable("AZURE_FEDERATED_TOKEN_FILE");
        if (secret is null && tokenFile is null)
        {
            return new ManagedIdentityToken(http, resource, clientId);
        }

        if (clientId is null || tenant is null)
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.SignSetupInvalid,
                $"{(secret is null ? "AZURE_FEDERATED_TOKEN_FILE" : "AZURE_CLIENT_SECRET")} is set, but {(clientId is null ? "AZURE_CLIENT_ID" : "AZURE_TENANT_ID")} is not: set the app's client id and its tenant id."));
        }

        var authority = Variable("AZURE_AUTHORITY_HOST") is { } host ? Endpoint(host, "AZURE_AUTHORITY_HOST", "https://login.microsoftonline.us") : PublicCloud;
        var audience = EntraAudience.Signing(resource);
        return secret is not null
            ? EntraToken.WithSecret(http, authority, tenant, clientId, "AZURE_CLIENT_SECRET", audience: audience)
            : EntraToken.WithFederatedToken(http, authority, tenant, clientId, tokenFile!, audience: audience);
    }

    /// <summary>
    /// An address a token is sent to: https, or http on this machine only (a local stand-in of the service); a token
    /// sent in clear text over a network could be replayed by whoever reads it.
    /// </summary>
    public static Uri Endpoint(string text, string setting, string example)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"{setting} '{text}' is not an https:// address (for example {example})."));
        }

        return new Uri(uri.AbsoluteUri.TrimEnd('/') + "/");
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
