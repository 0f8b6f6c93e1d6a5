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
    /// <summary>The files of a package folder on disk, by their path inside it.</summary>
    public static IReadOnlyDictionary<string, string> FolderFiles(string packageDirectory)
    {
        var root = Path.GetFullPath(packageDirectory);
        return Directory.Exists(root)
            ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Key(f.Substring(root.Length)), f => f, StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>();
    }

    /// <summary>
    /// Resolves a package given as its files (path inside the package → file on disk), so a build can catalog the
    /// package before it lays it out. INFs at the package's top level are the package's INFs.
    /// </summary>
    /// <param name="infs">The INFs (package paths) to cover; null: every INF of the package.</param>
    /// <param name="checkServices">Also refuse a service whose binary the INF does not install (<see cref="ServiceBinaryCheck"/>): a package being made, not one being read.</param>
    public static CatalogContents Resolve(IReadOnlyDictionary<string, string> packageFiles, IReadOnlyList<OsTarget> targets, DateTime utcToday, IReadOnlyCollection<string>? infs = null, bool checkServices = false)
    {
        var selected = packageFiles
            .Where(f => !f.Key.Contains('/') && f.Key.EndsWith(".inf", StringComparison.OrdinalIgnoreCase))
            .Where(f => infs is null || infs.Contains(f.Key, StringComparer.OrdinalIgnoreCase))
            .OrderBy(f => f.Key, StringComparer.OrdinalIgnoreCase)
            .Select(f => f.Value)
            .ToList();
        if (selected.Count == 0)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CatalogInfMissing, "The driver package holds no INF to make a catalog for."));
        }

        var architectures = targets.Select(t => t.Architecture).Distinct().ToList();
        var files = new List<CatalogFile>();
        var hardwareIds = new List<string>();
        foreach (var path in selected)
        {
            var inf = InfDocument.Load(path);
            var strings = new InfStrings(inf);
            CheckDriverVer(inf, utcToday);
            files.Add(new CatalogFile(path, Path.GetFileName(path)));
            var copied = CopiedFiles(inf, strings, packageFiles, architectures).ToList();
            if (checkServices)
            {
                ServiceBinaryCheck.Check(inf, strings, copied.Select(f => f.Name).ToList());
            }

            files.AddRange(copied);
            hardwareIds.AddRange(ModelHardwareIds(inf, strings));
        }

        return new CatalogContents(files, hardwareIds.Distinct().ToList());
    }

    /// <summary>The catalog each top-level INF names (<c>CatalogFile</c>, or <c>CatalogFile.NT&lt;arch&gt;</c>), null where none.</summary>
    public static IReadOnlyDictionary<string, string?> CatalogNames(IReadOnlyDictionary<string, string> packageFiles, IReadOnlyList<OsTarget> targets)
    {
        var architectures = targets.Select(t => t.Architecture).ToList();
        return packageFiles
            .Where(f => !f.Key.Contains('/') && f.Key.EndsWith(".inf", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(
                f => f.Key,
                f =>
                {
                    var version = InfDocument.Load(f.Value).FindSection("Version");
                    var entry = version?.Entries.FirstOrDefault(e => e.Key is not null && architectures.Any(a => e.KeyIs("CatalogFile.NT" + a)))
                        ?? version?.First("CatalogFile");
                    return entry is null || entry.Value.Trim().Length == 0 ? null : entry.Value.Trim();
                },
                StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A path inside the package as a lookup key: forward slashes, no empty or "." parts.</summary>
    private static string Key(string relativePath) =>
        string.Join("/", relativePath.Replace('\\', '/').Split('/').Where(part => part.Length > 0 && part != "."));

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
    private static IEnumerable<CatalogFile> CopiedFiles(InfDocument inf, InfStrings strings, IReadOnlyDictionary<string, string> packageFiles, IReadOnlyList<string> architectures)
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
                var key = Key(disk + "/" + subdirectory + "/" + name);
                if (!packageFiles.TryGetValue(key, out var path) || !File.Exists(path))
                {
                    throw new WdkException(Diagnostic.Error(
                        ErrorCodes.CatalogFileMissing,
                        $"{name} in [{section.Name}] of {Path.GetFileName(inf.Path)} is missing from the driver package (inf2cat 22.9.1): expected at '{key}' in the package. Put it there (in a project: a DriverPackageFile item with PackagePath '{key}', or a DriverBinary), or take it out of [{section.Name}].",
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
}
