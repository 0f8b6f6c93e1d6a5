using System.Collections.Generic;
using System.Text;

namespace WdkDriver.Core.Installer;

/// <summary>
/// Windows-1252, the code page the SDK's installer databases declare: Latin-1 except 0x80-0x9F, where it has the
/// typographic characters (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ). Written here rather than taken from
/// the platform, which has it only with an encoding provider registered (.NET) and not on every runtime alike. Bytes
/// the code page leaves undefined read as the control character of that number, as Windows reads them.
/// </summary>
public static class CodePage1252
{
    public const int Number = 1252;

    private static readonly char[] High =
    {
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021', '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014', '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    };

    private static readonly Dictionary<char, byte> Encoded = Index();

    /// <summary>The first character of <paramref name="text"/> that code page 1252 cannot hold; null when it holds them all.</summary>
    public static char? FirstUnrepresentable(string text)
    {
        foreach (var c in text)
        {
            if (!Encoded.ContainsKey(c))
            {
                return c;
            }
        }

        return null;
    }

    /// <returns>Null when a character has no byte in the code page.</returns>
    public static byte[]? GetBytes(string text)
    {
        var bytes = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (!Encoded.TryGetValue(text[i], out bytes[i]))
            {
                return null;
            }
        }

        return bytes;
    }

    public static string GetString(byte[] bytes, int offset, int count)
    {
        var text = new StringBuilder(count);
        for (var i = offset; i < offset + count; i++)
        {
            var b = bytes[i];
            text.Append(b is >= 0x80 and < 0xA0 ? High[b - 0x80] : (char)b);
        }

        return text.ToString();
    }

    private static Dictionary<char, byte> Index()
    {
        var index = new Dictionary<char, byte>();
        for (var b = 0; b < 256; b++)
        {
            index[b is >= 0x80 and < 0xA0 ? High[b - 0x80] : (char)b] = (byte)b;
        }

        return index;
    }
}
