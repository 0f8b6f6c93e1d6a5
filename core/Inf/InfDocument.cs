using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Inf;

/// <summary>
/// An INF file that keeps every byte: its physical lines with their own line breaks, its encoding and byte order
/// mark, and over that the sections and entries with their positions. Written back unchanged, it is the same bytes.
/// </summary>
public sealed class InfDocument
{
    private readonly List<InfLine> lines;

    private InfDocument(string path, List<InfLine> lines, InfEncodingKind encoding, bool latin1)
    {
        Path = path;
        this.lines = lines;
        Encoding = encoding;
        Latin1 = latin1;
        (Sections, ParseErrors) = InfParser.Parse(lines);
    }

    public string Path { get; }

    public InfEncodingKind Encoding { get; }

    /// <summary>An ANSI file that uses bytes Windows-1252 leaves undefined, read byte for byte.</summary>
    public bool Latin1 { get; }

    public IReadOnlyList<InfLine> Lines => lines;

    public IReadOnlyList<InfSection> Sections { get; }

    public IReadOnlyList<InfParseError> ParseErrors { get; }

    /// <summary>The line break to use for new lines: the file's own.</summary>
    public string NewLine => lines.Select(l => l.Terminator).FirstOrDefault(t => t.Length > 0) ?? "\r\n";

    public static InfDocument Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.InfUnreadable, $"Cannot read the INF: {e.Message}", path));
        }

        return FromBytes(path, bytes);
    }

    public static InfDocument FromBytes(string path, byte[] bytes)
    {
        var (text, kind, latin1, problem) = InfEncoding.Decode(bytes);
        if (text is null)
        {
            throw new WdkException(Diagnostic.Error(
                "INF1003",
                $"The INF's encoding is invalid or unknown ({problem}). Save it as ANSI, UTF-8 or UTF-16 LE with a byte order mark.",
                path));
        }

        return new InfDocument(path, SplitLines(text), kind, latin1);
    }

    public static InfDocument FromText(string path, string text, InfEncodingKind encoding = InfEncodingKind.Utf8) =>
        new(path, SplitLines(text), encoding, latin1: false);

    public IEnumerable<InfSection> FindSections(string name) => Sections.Where(s => s.NameIs(name));

    public InfSection? FindSection(string name) => Sections.FirstOrDefault(s => s.NameIs(name));

    public string Text => string.Concat(lines.Select(l => l.Text + l.Terminator));

    public byte[] ToBytes() => InfEncoding.Encode(Text, Encoding, Latin1);

    /// <summary>A copy with physical lines <paramref name="first"/>..<paramref name="last"/> (1-based) replaced.</summary>
    public InfDocument ReplaceLines(int first, int last, IEnumerable<string> replacement)
    {
        var copy = new List<InfLine>(lines);
        var terminator = copy[last - 1].Terminator.Length > 0 ? copy[last - 1].Terminator : NewLine;
        var origin = copy[first - 1].Origin;
        copy.RemoveRange(first - 1, last - first + 1);
        var inserted = replacement.Select(text => new InfLine(text, NewLine, origin)).ToList();
        if (inserted.Count > 0)
        {
            inserted[inserted.Count - 1] = inserted[inserted.Count - 1] with { Terminator = terminator };
        }

        copy.InsertRange(first - 1, inserted);
        return new InfDocument(Path, copy, Encoding, Latin1);
    }

    /// <summary>A copy with a line inserted after physical line <paramref name="after"/> (1-based).</summary>
    public InfDocument InsertLine(int after, string text)
    {
        var copy = new List<InfLine>(lines);
        if (copy[after - 1].Terminator.Length == 0)
        {
            // The last line had no line break; it gets one, and the new line ends the file without one.
            copy[after - 1] = copy[after - 1] with { Terminator = NewLine };
            copy.Insert(after, new InfLine(text, string.Empty, copy[after - 1].Origin));
        }
        else
        {
            copy.Insert(after, new InfLine(text, NewLine, copy[after - 1].Origin));
        }

        return new InfDocument(Path, copy, Encoding, Latin1);
    }

    /// <summary>A copy with every occurrence of <paramref name="token"/> (case-sensitive) replaced.</summary>
    public InfDocument ReplaceToken(string token, string value) =>
        new(Path, lines.Select(l => l with { Text = l.Text.Replace(token, value) }).ToList(), Encoding, Latin1);

    private static List<InfLine> SplitLines(string text)
    {
        var result = new List<InfLine>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\r' && c != '\n')
            {
                continue;
            }

            var terminator = c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? "\r\n" : c.ToString();
            result.Add(new InfLine(text.Substring(start, i - start), terminator, result.Count + 1));
            i += terminator.Length - 1;
            start = i + 1;
        }

        result.Add(new InfLine(text.Substring(start), string.Empty, result.Count + 1));
        return result;
    }
}
