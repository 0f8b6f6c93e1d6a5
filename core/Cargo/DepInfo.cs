using System.Collections.Generic;
using System.IO;
using System.Text;

namespace WdkDriver.Core.Cargo;

/// <summary>
/// Reads the dependency lists of a Makefile-style dep-info file as cargo writes one beside each artifact
/// (<c>target: dep dep ...</c>, spaces in paths escaped with a backslash). A Windows drive's colon is no separator:
/// the target ends at the first colon followed by a space.
/// </summary>
public static class DepInfo
{
    public static IReadOnlyList<string> Read(string path)
    {
        var dependencies = new List<string>();
        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(": ", System.StringComparison.Ordinal);
            if (line.StartsWith("#", System.StringComparison.Ordinal) || colon < 0)
            {
                continue;
            }

            var current = new StringBuilder();
            for (var i = colon + 2; i < line.Length; i++)
            {
                if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] == ' ')
                {
                    current.Append(' ');
                    i++;
                }
                else if (line[i] == ' ')
                {
                    Flush(current, dependencies);
                }
                else
                {
                    current.Append(line[i]);
                }
            }

            Flush(current, dependencies);
        }

        return dependencies;
    }

    private static void Flush(StringBuilder current, List<string> dependencies)
    {
        if (current.Length > 0)
        {
            dependencies.Add(current.ToString());
            current.Clear();
        }
    }
}
