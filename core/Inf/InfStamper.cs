using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Inf;

/// <summary>
/// Does what stampinf does, and only what is asked: DriverVer and CatalogFile replaced in place or added at the end
/// of their section, <c>$ARCH$</c> and the WDF version tokens replaced everywhere. Everything else keeps its bytes.
/// </summary>
public static class InfStamper
{
    private static readonly string[] Architectures = { "amd64", "arm64", "x86" };

    public static InfDocument Stamp(InfDocument document, StampOptions options)
    {
        var stamped = document;
        if (options.Architecture is { } architecture)
        {
            if (!Architectures.Contains(architecture))
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.ArchitectureUnknown, $"Architecture '{architecture}' is not one of {string.Join(", ", Architectures)}.", document.Path));
            }

            stamped = stamped.ReplaceToken("$ARCH$", architecture);
        }

        if (options.KmdfVersion is { } kmdf)
        {
            var (major, minor) = WdfVersion(kmdf, @"^(\d{1,2})\.(\d{1,3})$", "KMDF", "1.33", document.Path);
            stamped = stamped.ReplaceToken("$KMDFVERSION$", kmdf).ReplaceToken("$KMDFCOINSTALLERVERSION$", CoinstallerVersion(major, minor));
        }

        if (options.UmdfVersion is { } umdf)
        {
            var (major, minor) = WdfVersion(umdf, @"^(\d{1,2})\.(\d{1,3})\.\d+$", "UMDF", "2.33.0", document.Path);
            stamped = stamped.ReplaceToken("$UMDFVERSION$", umdf).ReplaceToken("$UMDFCOINSTALLERVERSION$", CoinstallerVersion(major, minor));
        }

        if (options.DriverVer is { } driverVer)
        {
            stamped = SetDirective(stamped, options.DriverVerSection, "DriverVer", driverVer.ToString());
        }
        else
        {
            EnsureDriverVer(stamped, options.DriverVerSection);
        }

        if (options.CatalogFile is { } catalog)
        {
            stamped = SetDirective(stamped, "Version", "CatalogFile", catalog);
        }

        if (options.Provider is { } provider)
        {
            stamped = SetDirective(stamped, "Version", "Provider", provider);
        }

        return stamped;
    }

    /// <summary>
    /// A section that is not there, or a line that does not parse where it should be: a header missing its ']' hides
    /// the section, and the line that does not parse is what to fix.
    /// </summary>
    private static Diagnostic MissingSection(InfDocument document, string sectionName, string key) =>
        document.ParseErrors.FirstOrDefault() is { } error
            ? Diagnostic.Error(ErrorCodes.StampSectionMissing, $"The INF has no [{sectionName}] section to write {key} into, and this line does not parse: {error.Message}. Fix the line.", document.Path, error.Line, error.Column)
            : Diagnostic.Error(ErrorCodes.StampSectionMissing, $"The INF has no [{sectionName}] section to write {key} into. Add it.", document.Path);

    /// <summary>Replaces the directive where it is (keeping a comment behind it), or adds it after the section's last entry.</summary>
    private static InfDocument SetDirective(InfDocument document, string sectionName, string key, string value)
    {
        var section = document.FindSection(sectionName) ?? throw new WdkException(MissingSection(document, sectionName, key));
        var text = $"{key} = {value}";
        var existing = document.FindSections(sectionName).SelectMany(s => s.Find(key)).FirstOrDefault();
        if (existing is not null)
        {
            var comment = InfParser.CommentOf(document.Lines[existing.LastLine - 1].Text);
            var indent = document.Lines[existing.Line - 1].Text.Substring(0, existing.Column - 1);
            return document.ReplaceLines(existing.Line, existing.LastLine, new[] { indent + text + (comment.Length > 0 ? " " + comment.TrimStart() : string.Empty) });
        }

        var after = section.Entries.Count > 0 ? section.Entries[section.Entries.Count - 1].LastLine : section.Line;
        return document.InsertLine(after, text);
    }

    private static void EnsureDriverVer(InfDocument document, string sectionName)
    {
        var entry = document.FindSections(sectionName).SelectMany(s => s.Find("DriverVer")).FirstOrDefault();
        if (entry is null || entry.Values.Count < 2 || !DriverVer.TryParseDate(entry.Values[0], out _) || DriverVer.TryParseVersion(entry.Values[1]) is null)
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.DriverVerMissing,
                entry is null
                    ? $"The INF has no DriverVer in [{sectionName}]; give one to stamp (--driver-ver MM/DD/YYYY,w.x.y.z)."
                    : "The INF's DriverVer is empty or not MM/DD/YYYY,w.x.y.z; give one to stamp (--driver-ver MM/DD/YYYY,w.x.y.z).",
                document.Path,
                entry?.Line ?? 0,
                entry?.Column ?? 0));
        }
    }

    private static (int Major, int Minor) WdfVersion(string text, string pattern, string framework, string example, string path)
    {
        var match = Regex.Match(text, pattern);
        if (!match.Success)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.WdfVersionInvalid, $"{framework} version '{text}' is not in the form {example}.", path));
        }

        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>1.9 → 01009: the co-installer DLLs are named by two digits of major and three of minor.</summary>
    private static string CoinstallerVersion(int major, int minor) =>
        major.ToString("D2", CultureInfo.InvariantCulture) + minor.ToString("D3", CultureInfo.InvariantCulture);
}
