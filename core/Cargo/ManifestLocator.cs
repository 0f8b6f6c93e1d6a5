using System;
using System.IO;

namespace WdkDriver.Core.Cargo;

/// <summary>
/// Finds the line of a Cargo.toml that an error is about, so IDEs can jump there. cargo already parsed the file;
/// this only looks for the text of a table or key.
/// </summary>
public static class ManifestLocator
{
    /// <returns>1-based line and column of the first needle found (tried in order), or (0, 0).</returns>
    public static (int Line, int Column) Find(string manifestPath, params string[] needles)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(manifestPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (0, 0);
        }

        foreach (var needle in needles)
        {
            for (var i = 0; i < lines.Length; i++)
            {
                var column = lines[i].IndexOf(needle, StringComparison.Ordinal);
                if (column >= 0 && !lines[i].TrimStart().StartsWith("#", StringComparison.Ordinal))
                {
                    return (i + 1, column + 1);
                }
            }
        }

        return (0, 0);
    }
}
