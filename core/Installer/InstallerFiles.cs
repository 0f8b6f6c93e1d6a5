using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Installer;

/// <summary>A file an installer installs: its File key, where it goes (relative, slashes), its size.</summary>
public sealed record InstallerFile(string Key, string Path, long Size);

/// <summary>
/// What an installer database installs, and the files themselves: each File row's place from its component's
/// directory chain (long names; a standard folder such as ProgramFiles64Folder by its name), its bytes from the
/// embedded cabinet that holds its sequence. Paths are checked as cabinet names are: nothing lands outside the target.
/// </summary>
public static class InstallerFiles
{
    public static IReadOnlyList<InstallerFile> List(InstallerDatabaseReader database, string path)
    {
        var directories = Unique(Rows(database, "Directory", path), "Directory", path).ToDictionary(r => Text(r[0]), r => (Parent: r[1] as string, DefaultDir: Text(r[2])), StringComparer.Ordinal);
        var components = Unique(Rows(database, "Component", path), "Component", path).ToDictionary(r => Text(r[0]), r => Text(r[2]), StringComparer.Ordinal);
        var files = new List<InstallerFile>();
        foreach (var row in Unique(Rows(database, "File", path), "File", path).OrderBy(r => r[7] as int? ?? 0))
        {
            var key = Text(row[0]);
            if (!components.TryGetValue(Text(row[1]), out var directory))
            {
                throw Malformed(path, $"the file '{key}' belongs to a component the Component table does not have");
            }

            var segments = new List<string> { LongName(Text(row[2])) };
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var current = directory; current is not null;)
            {
                if (!seen.Add(current) || !directories.TryGetValue(current, out var entry))
                {
                    throw Malformed(path, $"the folder '{current}' of file '{key}' is missing from the Directory table or is its own parent");
                }

                var name = LongName(Target(entry.DefaultDir));
                if (entry.Parent is null || entry.Parent == current)
                {
                    break;
                }

                // "." under the root: a standard folder (ProgramFiles64Folder), named by its key; elsewhere the parent itself.
                segments.Insert(0, name == "." && directories.TryGetValue(entry.Parent, out var parent) && parent.Parent is null ? current : name);
                current = entry.Parent;
            }

            files.Add(new InstallerFile(key, string.Join("/", segments.Where(s => s != ".")), row[3] as int? ?? 0));
        }

        return files;
    }

    /// <summary>
    /// Extracts every file below <paramref name="directory"/>, all or none: the places are checked first, the files
    /// decoded and checked in memory, then written.
    /// </summary>
    public static IReadOnlyList<string> ExtractTo(InstallerDatabaseReader database, string path, string directory)
    {
        var root = System.IO.Path.GetFullPath(directory);
        var files = List(database, path);
        var targets = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            if (CabinetNames.Problem(file.Path.Replace('/', '\\'), out var name) is { } problem)
            {
                throw Unsafe(path, $"The installer puts a file at '{file.Path}', which has {problem}; nothing was extracted.");
            }

            var target = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, name.Replace('\\', System.IO.Path.DirectorySeparatorChar)));
            if (!target.StartsWith(root.TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) || !seen.Add(name))
            {
                throw Unsafe(path, $"The installer puts a file at '{file.Path}', outside '{root}' or twice; nothing was extracted.");
            }

            targets.Add(target);
        }

        var contents = Contents(database, path, files);
        try
        {
            for (var i = 0; i < files.Count; i++)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(targets[i])!);
                IO.AtomicFile.Write(targets[i], contents[files[i].Key], ErrorCodes.CabinetExtractFailed);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CabinetExtractFailed, $"Cannot extract into '{root}': {e.Message}", path), e);
        }

        return targets;
    }

    /// <summary>Every file's bytes, by File key, from the embedded cabinets the Media table names.</summary>
    private static Dictionary<string, byte[]> Contents(InstallerDatabaseReader database, string path, IReadOnlyList<InstallerFile> files)
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var media in Rows(database, "Media", path))
        {
            var cabinet = media[3] as string;
            if (string.IsNullOrEmpty(cabinet))
            {
                continue;
            }

            if (!cabinet!.StartsWith("#", StringComparison.Ordinal))
            {
                throw Malformed(path, $"its files are in '{cabinet}', a cabinet beside it, not inside it");
            }

            if (!database.Streams.TryGetValue(InstallerStreamName.Encode(cabinet.Substring(1)), out var bytes))
            {
                throw Malformed(path, $"the Media table names the cabinet '{cabinet}', which is not in it");
            }

            using var reader = Cabinet.Read(new MemoryStream(bytes, writable: false), path + "!" + cabinet.Substring(1));
            if (reader.Entries.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
            {
                throw Malformed(path, $"the cabinet '{cabinet}' holds a file twice");
            }

            foreach (var entry in reader.ReadEntries(_ => true))
            {
                contents[entry.Key] = entry.Value;
            }
        }

        var missing = files.FirstOrDefault(f => !contents.ContainsKey(f.Key));
        if (missing is not null)
        {
            throw Malformed(path, $"no cabinet in it holds the file '{missing.Key}' ({missing.Path})");
        }

        return contents;
    }

    private static IReadOnlyList<object?[]> Rows(InstallerDatabaseReader database, string table, string path)
    {
        var found = database.Table(table) ?? throw Malformed(path, $"it has no {table} table");
        var width = table switch { "Directory" => 3, "Component" => 6, "File" => 8, "Media" => 6, _ => 1 };
        if (found.Columns.Count < width)
        {
            throw Malformed(path, $"its {table} table has {found.Columns.Count} columns, not the standard {width}");
        }

        return found.Rows;
    }

    /// <summary>The rows, each key once: a key twice is a database Windows Installer would not open.</summary>
    private static IReadOnlyList<object?[]> Unique(IReadOnlyList<object?[]> rows, string table, string path)
    {
        var twice = rows.GroupBy(r => Text(r[0]), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? rows : throw Malformed(path, $"its {table} table has the key '{twice.Key}' twice");
    }

    private static string Text(object? cell) => cell as string ?? string.Empty;

    /// <summary>DefaultDir's target part (before a colon), the long name of SHORT|Long.</summary>
    private static string Target(string defaultDir) => defaultDir.Split(':')[0];

    private static string LongName(string name)
    {
        var bar = name.IndexOf('|');
        return bar < 0 ? name : name.Substring(bar + 1);
    }

    private static WdkException Malformed(string path, string what) =>
        new(Diagnostic.Error(ErrorCodes.InstallerMalformed, $"Cannot read the installer database: {what}.", path));

    private static WdkException Unsafe(string path, string message) => new(Diagnostic.Error(ErrorCodes.CabinetUnsafeName, message, path));
}
