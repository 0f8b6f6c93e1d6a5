using System;

namespace WdkDriver.Core.Signing.Cloud;

/// <summary>Base64 with '-' and '_' and no padding (RFC 4648 §5), as Key Vault's JSON Web Key operations carry bytes.</summary>
internal static class Base64Url
{
    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Reads base64url, and plain base64 too.</summary>
    public static byte[]? Decode(string text)
    {
        var plain = text.Replace('-', '+').Replace('_', '/');
        try
        {
            return Convert.FromBase64String(plain + new string('=', (4 - plain.Length % 4) % 4));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
