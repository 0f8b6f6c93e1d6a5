using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace WdkDriver.Core.Installer;

/// <summary>
/// What ICE03 checks, from the database's own declarations: every column has its <c>_Validation</c> row, and every
/// cell fits its column as <c>_Columns</c> and <c>_Validation</c> declare it: present where the column is not nullable,
/// no longer than the string size, within the integer range, one of the set, a key of the table it points into, of
/// its category's form (Identifier, Guid, UpperCase, Filename, DefaultDir, Version, Language, Cabinet); each primary key
/// once. Text, Formatted and Condition cells are free text to it, as to ICE03.
/// </summary>
public static class InstallerTableCheck
{
    private static readonly Regex Identifier = new(@"^[A-Za-z_][A-Za-z0-9_.]*$", RegexOptions.CultureInvariant);
    private static readonly Regex Guid = new(@"^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$", RegexOptions.CultureInvariant);
    private static readonly Regex Version = new(@"^\d{1,5}(\.\d{1,5}){0,3}$", RegexOptions.CultureInvariant);
    private static readonly Regex Language = new(@"^\d+(,\d+)*$", RegexOptions.CultureInvariant);
    private static readonly char[] NotInFileNames = { '\\', '/', ':', '*', '?', '"', '<', '>', '|' };

    /// <returns>One line per finding, naming the table, the row's key, the column and the rule; empty when all fit.</returns>
    public static IReadOnlyList<string> Check(IReadOnlyList<InstallerTable> tables)
    {
        var findings = new List<string>();
        var validation = tables.FirstOrDefault(t => t.Name == ValidationTable.Name);
        if (validation is null)
        {
            return new[] { "the database has no _Validation table" };
        }

        var rules = validation.Rows.ToDictionary(r => ((string)r[0]!, (string)r[1]!), r => r);
        var keys = tables.ToDictionary(t => t.Name, t => new HashSet<string>(t.Rows.Select(r => Text(r[0])), StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var primary = table.Columns.Select((c, i) => (c, i)).Where(x => x.c.Key).Select(x => x.i).ToList();
            foreach (var twice in table.Rows.GroupBy(r => string.Join("/", primary.Select(i => Text(r[i]))), StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                findings.Add($"{table.Name} row '{twice.Key}': the primary key is there {twice.Count()} times");
            }

            for (var c = 0; c < table.Columns.Count; c++)
            {
                var column = table.Columns[c];
                if (!rules.TryGetValue((table.Name, column.Name), out var rule))
                {
                    findings.Add($"{table.Name}.{column.Name} has no _Validation row");
                    continue;
                }

                // The validation rules themselves are the schema's, not rows ICE03 holds to it.
                foreach (var row in table.Name == ValidationTable.Name ? new List<object?[]>() : table.Rows)
                {
                    if (Problem(column, row[c], rule, keys) is { } problem)
                    {
                        findings.Add($"{table.Name} row '{string.Join("/", primary.Select(i => Text(row[i])))}', column {column.Name}: {problem}");
                    }
                }
            }
        }

        return findings;
    }

    private static string? Problem(InstallerColumn column, object? cell, object?[] rule, IReadOnlyDictionary<string, HashSet<string>> keys)
    {
        var nullable = (string?)rule[2] == "Y";
        if (cell is null || cell is string { Length: 0 })
        {
            return column.Nullable && nullable ? null : "empty in a column that is not nullable";
        }

        if (column.IsString)
        {
            var text = cell as string ?? Convert.ToString(cell, CultureInfo.InvariantCulture) ?? string.Empty;
            if (column.Size > 0 && text.Length > column.Size)
            {
                return $"{text.Length} characters, in a column of {column.Size}";
            }

            if (rule[8] is string set && !set.Split(';').Contains(text, StringComparer.Ordinal))
            {
                return $"'{text}' is not one of {set}";
            }

            // File.Version holds a version, or for a companion file the key of the file whose version it takes.
            var companion = (string?)rule[7] == "Version" && Version.IsMatch(text);
            if (rule[5] is string keyTable && !companion && !keyTable.Split(';').Any(t => keys.TryGetValue(t, out var present) && present.Contains(text)))
            {
                return $"'{text}' is not a key of {keyTable.Replace(";", " or ")}";
            }

            return Category((string?)rule[7], text);
        }

        if (column.Kind is InstallerColumnKind.Int16 or InstallerColumnKind.Int32)
        {
            var value = Convert.ToInt64(cell, CultureInfo.InvariantCulture);
            if (rule[3] is int min && value < min || rule[4] is int max && value > max)
            {
                return $"{value} is outside {rule[3]}..{rule[4]}";
            }

            if (rule[8] is string set && !set.Split(';').Contains(value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal))
            {
                return $"{value} is not one of {set}";
            }
        }

        return null;
    }

    private static string? Category(string? category, string text) => category switch
    {
        "Identifier" when !Identifier.IsMatch(text) => $"'{text}' is not an identifier (a letter or _, then letters, digits, _ and .)",
        "Guid" when !Guid.IsMatch(text) => $"'{text}' is not a GUID in braces and upper case",
        "UpperCase" when text.Any(char.IsLower) => $"'{text}' is not upper case",
        "Version" when !Version.IsMatch(text) => $"'{text}' is not a version",
        "Language" when !Language.IsMatch(text) => $"'{text}' is not a list of language ids",
        "Filename" when !FileNames(text) => $"'{text}' is not a file name (short|long)",
        "DefaultDir" when !text.Split(':').All(n => n == "." || FileNames(n)) => $"'{text}' is not a folder name (short|long, or .)",
        "Cabinet" when !(text.StartsWith("#", StringComparison.Ordinal) ? Identifier.IsMatch(text.Substring(1).Replace("-", "_")) : FileNames(text)) => $"'{text}' is not a cabinet",
        _ => null,
    };

    private static bool FileNames(string text)
    {
        var names = text.Split('|');
        return names.Length <= 2 && names.All(n => n.Length > 0 && n.IndexOfAny(NotInFileNames) < 0 && !n.Any(char.IsControl));
    }

    private static string Text(object? cell) => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? string.Empty;
}
