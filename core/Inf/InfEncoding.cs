using System;
using System.Linq;
using System.Text;

namespace WdkDriver.Core.Inf;

/// <summary>The encodings an INF may be stored in. The one a file was read in is the one it is written back in.</summary>
public enum InfEncodingKind
{
    /// <summary>Windows-1252 (or, where a file uses the five bytes 1252 leaves undefined, byte for byte as Latin-1).</summary>
    Ansi,
    Utf8,
    Utf8Bom,
    Utf16LeBom,
}

/// <summary>Detects, decodes and encodes INF text without losing a byte.</summary>
public static class InfEncoding
{
    private static readonly byte[] Utf16LeBom = { 0xFF, 0xFE };
    private static readonly byte[] Utf8Bom = { 0xEF, 0xBB, 0xBF };
    private static readonly byte[] Undefined1252 = { 0x81, 0x8D, 0x8F, 0x90, 0x9D };

    static InfEncoding()
    {
#if !NETFRAMEWORK
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
#endif
    }

    /// <summary>Decodes <paramref name="bytes"/>; null with a reason when they are not text an INF can be.</summary>
    public static (string? Text, InfEncodingKind Kind, bool Latin1, string? Problem) Decode(byte[] bytes)
    {
        if (StartsWith(bytes, Utf16LeBom))
        {
            if ((bytes.Length - 2) % 2 != 0)
            {
                return (null, InfEncodingKind.Utf16LeBom, false, "the UTF-16 text ends in half a character (the file is truncated)");
            }

            var utf16 = Strict(new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), bytes, 2);
            return utf16 is null
                ? (null, InfEncodingKind.Utf16LeBom, false, "the UTF-16 text has unpaired surrogates")
                : (utf16, InfEncodingKind.Utf16LeBom, false, null);
        }

        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            return (null, InfEncodingKind.Ansi, false, "UTF-16 big-endian is not an INF encoding");
        }

        if (StartsWith(bytes, Utf8Bom))
        {
            var withBom = Strict(new UTF8Encoding(false, throwOnInvalidBytes: true), bytes, 3);
            return withBom is null
                ? (null, InfEncodingKind.Utf8Bom, false, "the file starts with a UTF-8 byte order mark but is not valid UTF-8")
                : (withBom, InfEncodingKind.Utf8Bom, false, null);
        }

        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            return (null, InfEncodingKind.Ansi, false, "the file holds NUL bytes: it is binary, or UTF-16 without a byte order mark");
        }

        if (bytes.Any(b => b >= 0x80) && Strict(new UTF8Encoding(false, throwOnInvalidBytes: true), bytes, 0) is { } utf8)
        {
            return (utf8, InfEncodingKind.Utf8, false, null);
        }

        var latin1 = bytes.Any(b => Array.IndexOf(Undefined1252, b) >= 0);
        return (AnsiEncoding(latin1).GetString(bytes), InfEncodingKind.Ansi, latin1, null);
    }

    public static byte[] Encode(string text, InfEncodingKind kind, bool latin1)
    {
        switch (kind)
        {
            case InfEncodingKind.Utf16LeBom:
                return Utf16LeBom.Concat(new UnicodeEncoding(false, false).GetBytes(text)).ToArray();
            case InfEncodingKind.Utf8Bom:
                return Utf8Bom.Concat(new UTF8Encoding(false).GetBytes(text)).ToArray();
            case InfEncodingKind.Utf8:
                return new UTF8Encoding(false).GetBytes(text);
            default:
                return AnsiEncoding(latin1).GetBytes(text);
        }
    }

    /// <summary>1252 maps every byte but five one to one; a file with those five is kept byte for byte as Latin-1.</summary>
    private static Encoding AnsiEncoding(bool latin1) => latin1 ? Encoding.GetEncoding(28591) : Encoding.GetEncoding(1252);

    private static string? Strict(Encoding encoding, byte[] bytes, int offset)
    {
        try
        {
            return encoding.GetString(bytes, offset, bytes.Length - offset);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static bool StartsWith(byte[] bytes, byte[] prefix) =>
        bytes.Length >= prefix.Length && prefix.Select((b, i) => bytes[i] == b).All(x => x);
}
