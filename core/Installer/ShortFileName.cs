using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace WdkDriver.Core.Installer;

/// <summary>
/// The <c>SHORT|Long name</c> form the File and Directory tables need: a name that is already 8.3 stands alone;
/// another gets an 8.3 name made from its letters and a hash of the whole name, so it is the same in every build.
/// </summary>
public static class ShortFileName
{
    private const string Allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";

    /// <param name="taken">The short names already used in the same folder (upper case); the new one is added.</param>
    public static string For(string longName, ISet<string> taken)
    {
        if (IsShort(longName) && taken.Add(longName.ToUpperInvariant()))
        {
            return longName;
        }

        var dot = longName.LastIndexOf('.');
        var stem = Letters(dot > 0 ? longName.Substring(0, dot) : longName, 4);
        var extension = dot > 0 ? Letters(longName.Substring(dot + 1), 3) : string.Empty;
        for (var attempt = 0; ; attempt++)
        {
            var hash = Hash(longName + (attempt == 0 ? string.Empty : "|" + attempt));
            var candidate = (stem + hash).Substring(0, Math.Min(8, stem.Length + hash.Length)) + (extension.Length > 0 ? "." + extension : string.Empty);
            if (taken.Add(candidate))
            {
                return candidate + "|" + longName;
            }
        }
    }

    private static bool IsShort(string name)
    {
        var parts = name.Split('.');
        return parts.Length <= 2 && parts[0].Length is >= 1 and <= 8 && (parts.Length == 1 || parts[1].Length is >= 1 and <= 3)
            && name.All(c => c == '.' || Allowed.IndexOf(char.ToUpperInvariant(c)) >= 0);
    }

    private static string Letters(string text, int count) =>
        new(text.ToUpperInvariant().Where(c => Allowed.IndexOf(c) >= 0).Take(count).ToArray());

    private static string Hash(string text)
    {
        using var sha1 = SHA1.Create();
        var digest = sha1.ComputeHash(Encoding.UTF8.GetBytes(text));
        return string.Concat(digest.Take(4).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
