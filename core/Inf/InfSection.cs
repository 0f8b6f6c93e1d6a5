using System;
using System.Collections.Generic;
using System.Linq;

namespace WdkDriver.Core.Inf;

/// <summary>A section as written: its name (decorations included) and entries; a name may occur several times.</summary>
public sealed class InfSection
{
    public InfSection(string name, int line, int column)
    {
        Name = name;
        Line = line;
        Column = column;
    }

    public string Name { get; }

    /// <summary>1-based line of the <c>[header]</c>.</summary>
    public int Line { get; }

    public int Column { get; }

    public List<InfEntry> Entries { get; } = new();

    public IEnumerable<InfEntry> Find(string key) => Entries.Where(e => e.KeyIs(key));

    public InfEntry? First(string key) => Entries.FirstOrDefault(e => e.KeyIs(key));

    public bool NameIs(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);
}
