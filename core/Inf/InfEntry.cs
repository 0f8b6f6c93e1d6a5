using System.Collections.Generic;

namespace WdkDriver.Core.Inf;

/// <summary>
/// A logical line of a section: <c>key = value, value</c>, or values alone (a file list, a directive without
/// <c>=</c>). Values are unquoted (<c>""</c> becomes <c>"</c>); <c>%strkey%</c> tokens are left for the reader.
/// </summary>
/// <param name="Line">1-based physical line where the entry starts.</param>
/// <param name="LastLine">Last physical line, when <c>\</c> continued the entry over several.</param>
/// <param name="Column">1-based column of the entry's first character.</param>
/// <param name="ValueColumn">1-based column where the values start.</param>
public sealed record InfEntry(
    string? Key,
    IReadOnlyList<string> Values,
    string RawValue,
    int Line,
    int LastLine,
    int Column,
    int ValueColumn)
{
    public string Value => Values.Count > 0 ? Values[0] : string.Empty;

    public bool KeyIs(string key) => Key is not null && string.Equals(Key, key, System.StringComparison.OrdinalIgnoreCase);
}
