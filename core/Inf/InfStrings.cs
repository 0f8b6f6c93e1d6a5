using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace WdkDriver.Core.Inf;

/// <summary>The <c>[Strings]</c> of an INF (localized sections too), and <c>%strkey%</c> substitution.</summary>
public sealed class InfStrings
{
    private static readonly Regex Token = new("%([^%]*)%", RegexOptions.CultureInvariant);
    private readonly Dictionary<string, string> strings = new(StringComparer.OrdinalIgnoreCase);

    public InfStrings(InfDocument document)
    {
        foreach (var entry in document.Sections.Where(s => IsStrings(s.Name)).SelectMany(s => s.Entries).Where(e => e.Key is not null))
        {
            if (!strings.ContainsKey(entry.Key!))
            {
                strings[entry.Key!] = entry.Value;
            }
        }
    }

    public bool Defines(string key) => strings.ContainsKey(key);

    /// <summary>Replaces <c>%strkey%</c> tokens with their strings; DIRIDs (<c>%12%</c>) and unknown keys stay, <c>%%</c> is <c>%</c>.</summary>
    public string Resolve(string value) => Token.Replace(value, m =>
        m.Groups[1].Value.Length == 0 ? "%" : strings.TryGetValue(m.Groups[1].Value, out var s) ? s : m.Value);

    public static IEnumerable<string> Tokens(string text) => Token.Matches(text).Cast<Match>().Select(m => m.Groups[1].Value);

    public static bool IsStrings(string name) =>
        name.Equals("Strings", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Strings.", StringComparison.OrdinalIgnoreCase);
}
