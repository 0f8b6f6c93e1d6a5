using System.Text;

namespace WdkDriver.Core.Tests.Inf;

/// <summary>The INF and INX files of ../shared/corpus/inf, and the same text as Windows checks it out (UTF-16LE, BOM, CRLF).</summary>
public static class CorpusInfs
{
    public static string Root => Path.Combine(RepositoryPaths.Corpus, "inf");

    public static IEnumerable<string> RelativePaths() => Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
        .Where(IsInf)
        .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
        .Order(StringComparer.Ordinal);

    public static IEnumerable<object[]> All() => RelativePaths().Select(p => new object[] { p });

    public static string Full(string relativePath) => Path.Combine(Root, relativePath);

    /// <summary>.inf, .inx in any case, and cargo-wdk's .inx.tmp templates.</summary>
    public static bool IsInf(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        return name.EndsWith(".inf") || name.EndsWith(".inx") || name.EndsWith(".inx.tmp");
    }

    /// <summary>The file as UTF-16LE with a byte order mark and CRLF line breaks, decoded as Windows would (ANSI is 1252).</summary>
    public static byte[] AsUtf16Crlf(byte[] bytes)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        string text;
        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
        {
            text = Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        }
        else if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        }
        else
        {
            try
            {
                text = new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                text = Encoding.GetEncoding(1252).GetString(bytes);
            }
        }

        var crlf = text.Replace("\r\n", "\n").Replace("\n", "\r\n");
        return new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes(crlf)).ToArray();
    }
}
