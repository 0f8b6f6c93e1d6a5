using System;
using System.Net.Http;
using System.Security.Cryptography;
#if !NETFRAMEWORK
using System.Net.Http.Headers;
using System.Security.Cryptography.Pkcs;
#endif
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Signing;

/// <summary>Gets an RFC 3161 time-stamp token for a signature (signtool's <c>/tr</c>).</summary>
public interface ITimestamper
{
    /// <returns>The TimeStampToken (a ContentInfo) over <paramref name="signature"/>.</returns>
    byte[] Timestamp(byte[] signature, HashAlgorithmName digest);
}

/// <summary>Asks a time-stamping authority over HTTP, checks its answer matches the request, and returns the token.</summary>
public sealed class Rfc3161Timestamper : ITimestamper
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly Uri server;

    public Rfc3161Timestamper(Uri server)
    {
        this.server = server;
    }

    /// <summary>The time-stamper of a server a user named (<paramref name="setting"/> names where); none for an empty one.</summary>
    public static Rfc3161Timestamper? For(string? server, string setting) =>
        string.IsNullOrWhiteSpace(server) ? null
        : Uri.TryCreate(server, UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https") ? new Rfc3161Timestamper(uri)
        : throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"{setting} '{server}' is not an http(s) URL."));

    public byte[] Timestamp(byte[] signature, HashAlgorithmName digest)
    {
#if NETFRAMEWORK
        // The .NET Framework build of the PKCS package has no RFC 3161 support.
        throw Failed("time-stamping needs the .NET build of the SDK's tasks (dotnet build, or MSBuild 18's .NET task host)");
#else
        var request = Rfc3161TimestampRequest.CreateFromData(signature, digest, requestSignerCertificates: true, nonce: Nonce());
        try
        {
            using var body = new ByteArrayContent(request.Encode());
            body.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
            using var response = Client.PostAsync(server, body).GetAwaiter().GetResult();
            var answer = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                throw Failed($"it answered HTTP {(int)response.StatusCode}");
            }

            return request.ProcessResponse(answer, out _).AsSignedCms().Encode();
        }
        catch (Exception e) when (e is HttpRequestException or CryptographicException or System.Threading.Tasks.TaskCanceledException)
        {
            throw Failed(e.Message);
        }
#endif
    }

    private WdkException Failed(string reason) =>
        new(Diagnostic.Error(ErrorCodes.TimestampFailed, $"Time-stamping at {server} failed: {reason}."));

    private static byte[] Nonce()
    {
        var nonce = new byte[8];
        using var random = RandomNumberGenerator.Create();
        random.GetBytes(nonce);
        nonce[0] &= 0x7F;
        return nonce;
    }
}
