using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace WdkDriver.Core.Cargo;

/// <summary>
/// What a sysroot holds for a target: <c>core</c> (all a <c>#![no_std]</c> driver needs), <c>std</c> (what a client
/// needs), and whether they were built by the rustc at hand. Every sysroot keeps a target's libraries in
/// <c>lib/rustlib/&lt;target&gt;/lib</c>, as <c>rustup target add</c> and Debian's packages install them.
/// </summary>
public static class StandardLibrary
{
    // Each crate's metadata starts with this magic; the rustc version line that wrote it follows within a few bytes.
    private static readonly byte[] MetadataMagic = { (byte)'r', (byte)'u', (byte)'s', (byte)'t', 0, 0, 0 };

    public static string Directory(string sysroot, string target) => Path.Combine(sysroot, "lib", "rustlib", target, "lib");

    public static string? Core(string sysroot, string target) => Find(sysroot, target, "libcore-*.rlib");

    public static bool HasStd(string sysroot, string target) => Find(sysroot, target, "libstd-*.rlib") is not null;

    /// <summary>The targets whose <c>core</c> the sysroot holds, for saying what a toolchain can build.</summary>
    public static IReadOnlyList<string> Targets(string sysroot)
    {
        var rustlib = Path.Combine(sysroot, "lib", "rustlib");
        return System.IO.Directory.Exists(rustlib)
            ? System.IO.Directory.EnumerateDirectories(rustlib).Select(Path.GetFileName).Where(t => Core(sysroot, t!) is not null).Select(t => t!).OrderBy(t => t, StringComparer.Ordinal).ToList()
            : new List<string>();
    }

    /// <summary>
    /// False when the target's <c>core</c> was written by a rustc other than <paramref name="rustcVersionLine"/>
    /// (<c>rustc --version</c>): rustc stops on it with E0786 or E0514. A library whose metadata cannot be found is
    /// given the benefit of the doubt; rustc says what is wrong with it.
    /// </summary>
    public static bool BuiltBy(string coreLibrary, string rustcVersionLine)
    {
        var head = MetadataHead(coreLibrary);
        if (head is null)
        {
            return true;
        }

        var magic = IndexOf(head, MetadataMagic);
        if (magic < 0)
        {
            return true;
        }

        var line = Encoding.UTF8.GetBytes(rustcVersionLine.Trim());
        var window = head.Skip(magic).Take(256 + line.Length).ToArray();
        return IndexOf(window, line) >= 0;
    }

    private static string? Find(string sysroot, string target, string pattern)
    {
        var directory = Directory(sysroot, target);
        return System.IO.Directory.Exists(directory) ? System.IO.Directory.EnumerateFiles(directory, pattern).OrderBy(f => f, StringComparer.Ordinal).FirstOrDefault() : null;
    }

    /// <summary>The first bytes of the rlib's <c>lib.rmeta</c> member (an <c>ar</c> archive; members are walked by
    /// their headers, never read whole: a <c>core</c> rlib is tens of megabytes).</summary>
    private static byte[]? MetadataHead(string rlib)
    {
        try
        {
            using var stream = File.OpenRead(rlib);
            var signature = new byte[8];
            if (stream.Read(signature, 0, 8) != 8 || Encoding.ASCII.GetString(signature) != "!<arch>\n")
            {
                return null;
            }

            var header = new byte[60];
            string longNames = string.Empty;
            for (var members = 0; members < 64 && stream.Read(header, 0, 60) == 60; members++)
            {
                var name = Encoding.ASCII.GetString(header, 0, 16).TrimEnd();
                if (!long.TryParse(Encoding.ASCII.GetString(header, 48, 10).Trim(), out var size) || size < 0 || stream.Position + size > stream.Length)
                {
                    return null;
                }

                if (name == "//")
                {
                    var table = new byte[Math.Min(size, 1 << 20)];
                    stream.Read(table, 0, table.Length);
                    longNames = Encoding.ASCII.GetString(table);
                    stream.Position += size - table.Length;
                }
                else
                {
                    if (name.Length > 1 && name[0] == '/' && int.TryParse(name.Substring(1), out var offset) && offset < longNames.Length)
                    {
                        var end = longNames.IndexOf('/', offset);
                        name = end < 0 ? longNames.Substring(offset) : longNames.Substring(offset, end - offset);
                    }

                    if (name.TrimEnd('/') == "lib.rmeta")
                    {
                        var head = new byte[Math.Min(size, 4096)];
                        return stream.Read(head, 0, head.Length) == head.Length ? head : null;
                    }

                    stream.Position += size;
                }

                stream.Position += stream.Position & 1;
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return i;
            }
        }

        return -1;
    }
}
