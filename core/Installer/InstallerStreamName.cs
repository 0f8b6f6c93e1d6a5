using System.Text;

namespace WdkDriver.Core.Installer;

/// <summary>
/// How Windows Installer names its streams in the compound file: pairs of characters of the alphabet 0-9 A-Z a-z . _
/// packed into one code unit (0x3800 + first + 64 × second), a lone one as 0x4800 + it, others as they are; a table's
/// stream starts with 0x4840.
/// </summary>
public static class InstallerStreamName
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._";

    public static string Table(string name) => "\u4840" + Encode(name);

    public static string Encode(string name)
    {
        var encoded = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var first = Alphabet.IndexOf(name[i]);
            if (first < 0)
            {
                encoded.Append(name[i]);
                continue;
            }

            var second = i + 1 < name.Length ? Alphabet.IndexOf(name[i + 1]) : -1;
            if (second >= 0)
            {
                encoded.Append((char)(0x3800 + first + 64 * second));
                i++;
            }
            else
            {
                encoded.Append((char)(0x4800 + first));
            }
        }

        return encoded.ToString();
    }

    /// <summary>The name a stream stands for, and whether it is a table's.</summary>
    public static (string Name, bool IsTable) Decode(string encoded)
    {
        var table = encoded.Length > 0 && encoded[0] == '\u4840';
        var decoded = new StringBuilder();
        foreach (var c in table ? encoded.Substring(1) : encoded)
        {
            if (c >= 0x3800 && c < 0x4800)
            {
                decoded.Append(Alphabet[(c - 0x3800) & 0x3F]).Append(Alphabet[((c - 0x3800) >> 6) & 0x3F]);
            }
            else if (c >= 0x4800 && c < 0x4840)
            {
                decoded.Append(Alphabet[c - 0x4800]);
            }
            else
            {
                decoded.Append(c);
            }
        }

        return (decoded.ToString(), table);
    }
}
