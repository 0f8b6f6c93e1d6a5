using System;
using System.IO;
using System.Linq;
using System.Text;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.Inf;

/// <summary>
/// Where each line of a stamped INF came from, kept beside it (<c>x.inf.source</c>): the user edits the .inx, whose
/// lines stamping shifts, so a finding in the stamped copy is reported at the source file and its line.
/// </summary>
public static class InfSourceMap
{
    private const string Extension = ".source";

    /// <summary>Records, beside <paramref name="stampedPath"/>, the source file and each stamped line's line in it.</summary>
    public static void Write(string stampedPath, string sourcePath, InfDocument stamped)
    {
        var text = new StringBuilder(Path.GetFullPath(sourcePath)).Append('\n');
        text.Append(string.Join(",", stamped.Lines.Select(l => l.Origin))).Append('\n');
        AtomicFile.Write(stampedPath + Extension, new UTF8Encoding(false).GetBytes(text.ToString()), ErrorCodes.InfOutputFailed);
    }

    /// <summary>The finding at the source's line when its file is a stamped INF with a map; else as it is.</summary>
    public static Diagnostic ToSource(Diagnostic finding)
    {
        if (finding.File is null || !File.Exists(finding.File + Extension))
        {
            return finding;
        }

        try
        {
            var lines = File.ReadAllLines(finding.File + Extension);
            var origins = lines.Length > 1 ? lines[1].Split(',') : Array.Empty<string>();
            var line = finding.Line > 0 && finding.Line <= origins.Length && int.TryParse(origins[finding.Line - 1], out var origin) ? origin : finding.Line;
            return lines.Length > 0 && lines[0].Length > 0 ? finding with { File = lines[0], Line = line } : finding;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return finding;
        }
    }
}
