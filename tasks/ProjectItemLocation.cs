using System;
using System.IO;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Where a project file declares an item: tasks get items without their place, and a finding about one belongs at the
/// line the user edits. The first element of the type whose Include names the item; the project's start when none does
/// (an item from an imported file or made by a target).
/// </summary>
internal static class ProjectItemLocation
{
    public static (int Line, int Column) Find(string? projectFile, string itemType, string include)
    {
        if (string.IsNullOrEmpty(projectFile) || !File.Exists(projectFile))
        {
            return (0, 0);
        }

        var lines = File.ReadAllLines(projectFile);
        for (var i = 0; i < lines.Length; i++)
        {
            var column = lines[i].IndexOf("<" + itemType, StringComparison.Ordinal);
            if (column >= 0 && lines[i].IndexOf($"Include=\"{include}\"", column, StringComparison.Ordinal) > column)
            {
                return (i + 1, column + 1);
            }
        }

        return (0, 0);
    }
}
