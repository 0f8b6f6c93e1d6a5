using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;

namespace WdkDriver.Core.Catalogs;

/// <summary>A file a catalog covers, and the name it is installed under (the catalog's <c>File</c> attribute).</summary>
public sealed record CatalogFile(string Path, string Name);

/// <summary>
/// What inf2cat puts into a driver package's catalog: every INF of the folder and every file they copy for the
/// target architectures, and the hardware IDs of their models (lower-cased, in order of first appearance, INFs in
/// case-insensitive alphabetical order).
/// </summary>
public sealed record CatalogContents(IReadOnlyList<CatalogFile> Files, IReadOnlyList<string> HardwareIds)
{
    public static CatalogContents Resolve(string packageDirectory, IReadOnlyList<OsTarget> targets, DateTime utcToday)
    {
        var infs = Directory.Exists(packageDirectory)
            ? Directory.GetFiles(packageDirectory).Where(f => f.EndsWith(".inf", StringComparison.OrdinalIgnoreCase)).OrderBy(f => Path.GetFileName(f), StringComparer.OrdinalIgnoreCase).ToList()
            : new List<string>();
        if (infs.Count == 0)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CatalogInfMissing, $"The driver package folder '{packageDirectory}' holds no INF to make a catalog for."));
        }

        var architectures = targets.Select(t => t.Architecture).Distinct().ToList();
        var files = new List<CatalogFile>();
        var hardwareIds = new List<string>();
        foreach (var path in infs)
        {
            var inf = InfDocument.Load(path);
            var strings = new InfStrings(inf);
            CheckDriverVer(inf, utcToday);
            files.Add(new CatalogFile(path, Path.GetFileName(path)));
            files.AddRange(CopiedFiles(inf, strings, packageDirectory, architectures));
            hardwareIds.AddRange(ModelHardwareIds(inf, strings));
        }

        return new CatalogContents(files, hardwareIds.Distinct().ToList());
    }

    /// <summary>inf2cat 22.9.6 and 22.9.7: a DriverVer that is missing, malformed or in the future.</summary>
    private static void CheckDriverVer(InfDocument inf, DateTime utcToday)
    {
        var version = inf.FindSection("Version");
        var entry = version?.First("DriverVer");
        if (entry is null || entry.Values.Count == 0 || !DriverVer.TryParseDate(entry.Values[0], out var date)
            || (entry.Values.Count > 1 && DriverVer.TryParseVersion(entry.Values[1]) is null))
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.CatalogDriverVerInvalid,
                "DriverVer is missing or not MM/DD/YYYY,w.x.y.z (inf2cat 22.9.6): stamp the INF first.",
                inf.Path,
                entry?.Line ?? version?.Line ?? 0,
                entry?.Column ?? version?.Column ?? 0));
        }

        if (date > utcToday.Date)
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.CatalogDriverVerInvalid,
                $"DriverVer {entry.Values[0]} is in the future (inf2cat 22.9.7): Windows rejects postdated drivers.",
                inf.Path,
                entry.Line,
                entry.Column));
        }
    }

    /// <summary>
    /// The [SourceDisksFiles] entries for the architectures, found on their disk's path; each is named in the catalog
    /// by its destination name when a copy list renames it.
    /// </summary>
    private static IEnumerable<CatalogFile> CopiedFiles(InfDocument inf, InfStrings strings, string packageDirectory, IReadOnlyList<string> architectures)
    {
        bool ForTargets(string name, string baseName) =>
            name.Equals(baseName, StringComparison.OrdinalIgnoreCase)
            || architectures.Any(a => name.Equals(baseName + "." + a, StringComparison.OrdinalIgnoreCase));

        var disks = inf.Sections.Where(s => ForTargets(s.Name, "SourceDisksNames")).SelectMany(s => s.Entries)
            .Where(e => e.Key is not null)
            .GroupBy(e => e.Key!.Trim())
            .ToDictionary(g => g.Key, g => g.First());
        var renames = inf.Sections.SelectMany(s => s.Entries)
            .Where(e => e.Values.Count > 1 && e.Values[1].Length > 0 && e.Key is null && e.Values[0].Length > 0)
            .GroupBy(e => strings.Resolve(e.Values[1]), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => strings.Resolve(g.First().Values[0]), StringComparer.OrdinalIgnoreCase);

        foreach (var section in inf.Sections.Where(s => ForTargets(s.Name, "SourceDisksFiles")))
        {
            foreach (var entry in section.Entries.Where(e => e.Key is not null))
            {
                var name = strings.Resolve(entry.Key!).Trim();
                var disk = entry.Values.Count > 0 && disks.TryGetValue(entry.Value.Trim(), out var d) && d.Values.Count > 3 ? strings.Resolve(d.Values[3]) : string.Empty;
                var subdirectory = entry.Values.Count > 1 ? strings.Resolve(entry.Values[1]) : string.Empty;
                var path = Path.Combine(packageDirectory, Relative(disk), Relative(subdirectory), name);
                if (!File.Exists(path))
                {
                    throw new WdkException(Diagnostic.Error(
                        ErrorCodes.CatalogFileMissing,
                        $"{name} in [{section.Name}] of {Path.GetFileName(inf.Path)} is missing from the driver package (inf2cat 22.9.1): expected at {path}.",
                        inf.Path,
                        entry.Line,
                        entry.Column));
                }

                yield return new CatalogFile(path, renames.TryGetValue(name, out var installed) ? installed : name);
            }
        }
    }

    private static IEnumerable<string> ModelHardwareIds(InfDocument inf, InfStrings strings)
    {
        foreach (var manufacturer in inf.FindSections("Manufacturer").SelectMany(s => s.Entries).Where(e => e.Values.Count > 0 && e.Value.Length > 0))
        {
            var decorations = manufacturer.Values.Skip(1).Where(d => d.Length > 0).ToList();
            var models = decorations.Count == 0 ? new[] { manufacturer.Value } : decorations.Select(d => manufacturer.Value + "." + d);
            foreach (var model in models.SelectMany(inf.FindSections).SelectMany(s => s.Entries))
            {
                foreach (var id in model.Values.Skip(1).Select(v => strings.Resolve(v).Trim().ToLowerInvariant()).Where(v => v.Length > 0))
                {
                    yield return id;
                }
            }
        }
    }

    private static string Relative(string path) => path.Replace('\\', Path.DirectorySeparatorChar).Trim(Path.DirectorySeparatorChar);
}
