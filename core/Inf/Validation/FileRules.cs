using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>
/// Files: every file a CopyFiles copies must come from [SourceDisksFiles] on a disk of [SourceDisksNames], go to a
/// folder [DestinationDirs] names, and, per mode, to an allowed DIRID; catalogs are never listed as sources.
/// </summary>
internal static class FileRules
{
    /// <summary>DIRIDs the WHQL (/h) rules allow besides 13.</summary>
    private static readonly HashSet<int> WhqlDirids = new() { 10, 11, 12, 13, 23, 51, 52, 55, 16422, 16425, 16426, 16427, 16428, 66000, 66001, 66002, 66003, 66004 };

    public static void Check(InfCheck check)
    {
        var sourceFiles = check.Document.Sections.Where(s => IsSection(s.Name, "SourceDisksFiles")).SelectMany(s => s.Entries).ToList();
        var diskIds = new HashSet<string>(
            check.Document.Sections.Where(s => IsSection(s.Name, "SourceDisksNames")).SelectMany(s => s.Entries).Where(e => e.Key is not null).Select(e => e.Key!.Trim()),
            StringComparer.OrdinalIgnoreCase);
        var sourceNames = new HashSet<string>(sourceFiles.Where(e => e.Key is not null).Select(e => check.Resolve(e.Key!).Trim()), StringComparer.OrdinalIgnoreCase);

        foreach (var file in sourceFiles.Where(e => e.Key is not null))
        {
            if (file.Key!.EndsWith(".cat", StringComparison.OrdinalIgnoreCase))
            {
                check.Report(1213, "Cannot list CAT files under [SourceDisksFiles]: the catalog is not installed, it signs the package.", file);
            }

            if (file.Values.Count == 0 || !Regex.IsMatch(file.Value, @"^\d+$"))
            {
                check.Report(1008, $"Missing or invalid disk ID for '{file.Key}' under [SourceDisksFiles] section.", file);
            }
            else if (!diskIds.Contains(file.Value))
            {
                check.Report(1273, $"Source file \"{file.Key}\" uses disk id {file.Value}, which is not listed under [SourceDisksNames].", file);
            }
        }

        foreach (var copy in check.Document.Sections.Where(s => check.Reached.Contains(s.Name)).SelectMany(s => s.Find("CopyFiles")))
        {
            foreach (var list in copy.Values.Where(v => v.Length > 0 && !v.StartsWith("@", StringComparison.Ordinal) && check.Has(v)))
            {
                if (check.DestinationOf(list) is null)
                {
                    check.Report(1275, $"Section '{list}' is not listed in [DestinationDirs], and there is no DefaultDestDir.", copy);
                }
            }
        }

        foreach (var (at, list, name, source) in check.CopiedFiles())
        {
            CheckFile(check, at, name, source, check.DestinationOf(list), sourceNames);
        }
    }

    private static void CheckFile(InfCheck check, InfEntry at, string name, string source, InfEntry? destination, HashSet<string> sourceNames)
    {
        if (name.Length == 0)
        {
            return;
        }

        if (!sourceNames.Contains(source))
        {
            check.Report(1230, $"Missing file '{source}' under [SourceDisksFiles] section.", at);
        }

        if (destination is null || !int.TryParse(check.Resolve(destination.Value), out var dirid))
        {
            return;
        }

        var allowed = check.Options.Mode switch
        {
            InfVerifMode.WindowsDriver => dirid == 13,
            InfVerifMode.Whql => WhqlDirids.Contains(dirid),
            _ => true,
        };
        if (!allowed)
        {
            check.Report(1322, $"Destination file path '%{dirid}%' for file '{name}' is not isolated to DIRID 13.", at);
        }
    }

    private static bool IsSection(string name, string baseName) =>
        name.Equals(baseName, StringComparison.OrdinalIgnoreCase) || name.StartsWith(baseName + ".", StringComparison.OrdinalIgnoreCase);
}
