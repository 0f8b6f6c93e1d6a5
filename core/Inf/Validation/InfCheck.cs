using System;
using System.Collections.Generic;
using System.Linq;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>One validation run: the document, its strings, the sections reached so far and the findings.</summary>
internal sealed class InfCheck
{
    public InfCheck(InfDocument document, InfVerifOptions options)
    {
        Document = document;
        Options = options;
        Strings = new InfStrings(document);
    }

    public InfDocument Document { get; }

    public InfVerifOptions Options { get; }

    public InfStrings Strings { get; }

    public List<(int Code, string Message, int Line, int Column)> Findings { get; } = new();

    /// <summary>Sections something refers to or that Windows reads by name.</summary>
    public HashSet<string> Reached { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Install sections whose directives have been followed (by identity: a name may occur twice).</summary>
    public HashSet<InfSection> Walked { get; } = new();

    public void Report(int code, string message, int line = 0, int column = 0) => Findings.Add((code, message, line, column));

    public void Report(int code, string message, InfEntry entry) => Report(code, message, entry.Line, entry.Column);

    public bool Has(string section) => Document.FindSection(section) is not null;

    /// <summary>
    /// Every file a reached <c>CopyFiles</c> copies: the entry that names it, its file-list section (null for
    /// <c>@file</c>), and its destination and source names with strings resolved.
    /// </summary>
    public IEnumerable<(InfEntry At, string? List, string Name, string Source)> CopiedFiles()
    {
        foreach (var copy in Document.Sections.Where(s => Reached.Contains(s.Name)).SelectMany(s => s.Find("CopyFiles")))
        {
            foreach (var target in copy.Values.Where(v => v.Length > 0))
            {
                if (target.StartsWith("@", StringComparison.Ordinal))
                {
                    var single = Resolve(target.Substring(1));
                    yield return (copy, null, single, single);
                    continue;
                }

                foreach (var file in Named(target).SelectMany(s => s.Entries))
                {
                    var name = Resolve(file.Key ?? file.Value);
                    yield return (file, target, name, file.Values.Count > 1 && file.Values[1].Length > 0 ? Resolve(file.Values[1]) : name);
                }
            }
        }
    }

    /// <summary>
    /// The [DestinationDirs] entry a CopyFiles target goes to: its own entry, else DefaultDestDir (always, for a
    /// single <c>@file</c> or null); null when there is neither.
    /// </summary>
    public InfEntry? DestinationOf(string? list)
    {
        destinations ??= Named("DestinationDirs").SelectMany(s => s.Entries).Where(e => e.Key is not null).ToList();
        return (list is null || list.StartsWith("@", StringComparison.Ordinal) ? null : destinations.FirstOrDefault(e => e.KeyIs(list)))
            ?? destinations.FirstOrDefault(e => e.KeyIs("DefaultDestDir"));
    }

    private List<InfEntry>? destinations;

    public IEnumerable<InfSection> Named(string name) => Document.FindSections(name);

    public string Resolve(string value) => Strings.Resolve(value);

    /// <summary>
    /// The sections that stand for install section <paramref name="name"/>: the name itself and its platform
    /// decorations (<c>.NT</c>, <c>.NTamd64</c>, <c>.NTamd64.10.0...16299</c>), as Windows looks them up.
    /// </summary>
    public IReadOnlyList<InfSection> Decorated(string name) => Document.Sections
        .Where(s => s.NameIs(name) || s.Name.StartsWith(name + ".NT", StringComparison.OrdinalIgnoreCase) && !HasCompanionSuffix(s.Name, name))
        .ToList();

    private static readonly string[] CompanionSuffixes =
        { ".Services", ".HW", ".CoInstallers", ".Interfaces", ".Events", ".Wdf", ".Filters", ".Components", ".Software", ".LogConfigOverride", ".FactDef" };

    public static IEnumerable<string> Companions(string section) => CompanionSuffixes.Select(suffix => section + suffix);

    private static bool HasCompanionSuffix(string name, string baseName) =>
        CompanionSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && name.Length > baseName.Length + suffix.Length - 1);
}
