using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Images;
using WdkDriver.Core.Inf;

namespace WdkDriver.Core.Verification;

/// <summary>
/// A driver package's signatures as Windows judges them together: each INF's files in the catalog it names, the
/// catalogs' signatures, the PE files' embedded signatures where Windows needs them, and a package tree as the SDK
/// lays it out. Each file's own signature is <see cref="SignatureVerifier"/>'s.
/// </summary>
public static class PackageVerifier
{
    /// <summary>
    /// Checks a driver package given as its files: each catalog's signature, every INF and every file the INFs copy
    /// being a member of a catalog with the right digest, and the embedded signature of every PE file. A PE file its
    /// signed catalog vouches for needs no embedded signature (Windows loads it by the catalog), except the binary of
    /// a boot-start service, which Windows loads before it can read catalogs. With <see cref="TrustOptions.Microsoft"/>
    /// an embedded signature must be intact, whoever it chains to. Every driver image must also meet memory integrity's
    /// rules (<see cref="MemoryIntegrity"/>), without which Windows 11 does not load it, and a PDB beside an image must be
    /// the one the image names.
    /// </summary>
    public static IReadOnlyList<Diagnostic> VerifyPackage(IReadOnlyDictionary<string, string> packageFiles, TrustOptions trust)
    {
        var findings = new List<Diagnostic>();
        var catalogs = packageFiles.Where(f => f.Key.EndsWith(".cat", StringComparison.OrdinalIgnoreCase)).ToList();
        if (catalogs.Count == 0)
        {
            var folder = packageFiles.Values.Select(Path.GetDirectoryName).FirstOrDefault();
            findings.Add(Diagnostic.Error(ErrorCodes.NotCatalogMember, $"The driver package{(folder is null ? string.Empty : $" in '{folder}'")} has no catalog (.cat) to vouch for its files.", folder));
        }

        var members = new CatalogMembers();
        var byCatalog = new Dictionary<string, CatalogMembers>(StringComparer.OrdinalIgnoreCase);
        var targets = new List<OsTarget>();
        foreach (var catalog in catalogs)
        {
            findings.AddRange(SignatureVerifier.VerifyCatalog(catalog.Value, trust));
            var info = members.Add(catalog.Value);
            byCatalog[catalog.Key] = new CatalogMembers();
            byCatalog[catalog.Key].Add(catalog.Value);
            targets.AddRange(OsTarget.FromTokens(info.Attributes.FirstOrDefault(a => a.Key == "OS").Value ?? string.Empty));
        }

        if (catalogs.Count > 0)
        {
            // Windows checks each INF's files against the catalog the INF names (CatalogFile), not any catalog of the package.
            var osTargets = targets.Count > 0 ? targets : OsTarget.ParseList("10_X64");
            foreach (var named in CatalogContents.CatalogNames(packageFiles, osTargets))
            {
                var inf = packageFiles[named.Key];
                if (named.Value is null)
                {
                    findings.Add(Diagnostic.Error(ErrorCodes.NotCatalogMember, $"{Path.GetFileName(inf)} names no catalog (CatalogFile in [Version]), so Windows takes its package as unsigned: stamp the INF with its catalog's name.", inf));
                    continue;
                }

                if (!byCatalog.TryGetValue(named.Value, out var own))
                {
                    findings.Add(Diagnostic.Error(ErrorCodes.NotCatalogMember, $"{Path.GetFileName(inf)} names the catalog {named.Value} (CatalogFile), which the package does not hold.", inf));
                    continue;
                }

                var contents = CatalogContents.Resolve(packageFiles, osTargets, DateTime.UtcNow, new[] { named.Key });
                foreach (var file in contents.Files.Where(f => !own.Contains(f.Path)))
                {
                    findings.Add(Diagnostic.Error(
                        ErrorCodes.NotCatalogMember,
                        members.Contains(file.Path)
                            ? $"{file.Name} is in another catalog of the package, not in {named.Value}, the one {Path.GetFileName(inf)} names (CatalogFile): Windows checks it against that one."
                            : $"{file.Name} is not in {named.Value} with its present digest: it changed after the catalog was made, or the catalog is not this package's.",
                        file.Path));
                }
            }
        }

        // Windows loads a Microsoft-signed driver by its catalog: an embedded signature (the vendor's, say) must be
        // intact where there is one, but whom it chains to does not matter.
        var embeddedTrust = trust.Microsoft ? trust with { Microsoft = false, IgnoreChain = true } : trust;
        var bootStart = BootStartBinaries(packageFiles);
        foreach (var file in packageFiles.Where(f => !f.Key.EndsWith(".cat", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var finding in SignatureVerifier.VerifyPe(file.Value, embeddedTrust) ?? Array.Empty<Diagnostic>())
            {
                var bootStartBinary = bootStart.Contains(Path.GetFileName(file.Key));
                if (finding.Code != ErrorCodes.NotSigned || (!members.Contains(file.Value) && !trust.Microsoft))
                {
                    findings.Add(finding);
                }
                else if (bootStartBinary)
                {
                    findings.Add(Diagnostic.Error(ErrorCodes.NotSigned, $"{Path.GetFileName(file.Key)} is the binary of a boot-start service (StartType = 0): Windows loads it before it reads catalogs, so it must carry an embedded signature of its own. Sign it, not only the catalog.", file.Value));
                }
            }
        }

        // Each image's headers read once, for memory integrity's rules and its PDB.
        var images = packageFiles
            .Where(f => !f.Key.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase) && !f.Key.EndsWith(".cat", StringComparison.OrdinalIgnoreCase))
            .Select(f => (File: f, Headers: PeHeaders.TryRead(f.Value)))
            .Where(i => i.Headers is not null)
            .Select(i => (i.File, Headers: i.Headers!))
            .ToList();
        findings.AddRange(images.SelectMany(i => MemoryIntegrity.Check(i.Headers, i.File.Value)));
        findings.AddRange(StaleSymbols(packageFiles, images));
        return findings;
    }

    /// <summary>The PDBs of the package that are not the ones its images name (a debugger would ignore them).</summary>
    private static IEnumerable<Diagnostic> StaleSymbols(IReadOnlyDictionary<string, string> packageFiles, IEnumerable<(KeyValuePair<string, string> File, PeHeaders Headers)> images)
    {
        foreach (var (image, headers) in images)
        {
            if (headers.CodeView(image.Value) is not { } record)
            {
                continue;
            }

            // The record names the PDB by the linker's path (a Windows path on Windows): the PDB of that name in the
            // image's folder of the package.
            var name = record.PdbPath.Replace('\\', '/').Split('/').Last();
            var folder = Path.GetDirectoryName(image.Key.Replace('\\', '/')) ?? string.Empty;
            var pdb = packageFiles.FirstOrDefault(f => string.Equals(Path.GetFileName(f.Key), name, StringComparison.OrdinalIgnoreCase) && (Path.GetDirectoryName(f.Key.Replace('\\', '/')) ?? string.Empty) == folder);
            if (pdb.Value is not null)
            {
                foreach (var finding in ProgramDatabase.CheckPair(headers, image.Value, pdb.Value))
                {
                    yield return finding;
                }
            }
        }
    }

    /// <summary>
    /// Checks a file against a catalog, as <c>signtool verify /c</c> does: the catalog's signature, and the file being
    /// one of its members with its present digest; a member needs no signature of its own, but one it has must verify.
    /// </summary>
    public static IReadOnlyList<Diagnostic> VerifyWithCatalog(string path, string catalog, TrustOptions trust)
    {
        if (!File.Exists(path))
        {
            return new[] { Diagnostic.Error(ErrorCodes.FileUnreadable, "No such file.", path) };
        }

        var findings = SignatureVerifier.VerifyCatalog(catalog, trust).ToList();
        var members = new CatalogMembers();
        members.Add(catalog);
        var member = members.Contains(path);
        if (!member)
        {
            findings.Add(Diagnostic.Error(ErrorCodes.NotCatalogMember, $"{Path.GetFileName(path)} is not a member of {Path.GetFileName(catalog)} with its present digest.", path));
        }

        findings.AddRange(SignatureVerifier.VerifyFile(path, trust).Where(f => !(member && f.Code is ErrorCodes.NotSigned or ErrorCodes.SignInputInvalid)));
        return findings;
    }

    /// <summary>The file names of the binaries of the INFs' boot-start services (StartType 0).</summary>
    private static HashSet<string> BootStartBinaries(IReadOnlyDictionary<string, string> packageFiles)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var inf in packageFiles.Where(f => f.Key.EndsWith(".inf", StringComparison.OrdinalIgnoreCase)))
        {
            var document = InfDocument.Load(inf.Value);
            var strings = new InfStrings(document);
            foreach (var service in InfService.All(document, strings).Where(s => s.FileName.Length > 0))
            {
                var start = strings.Resolve(service.Install.First("StartType")?.Value ?? string.Empty).Trim();
                if (start == "0" || start.Equals("0x0", StringComparison.OrdinalIgnoreCase) || start.Equals("0x00000000", StringComparison.OrdinalIgnoreCase))
                {
                    names.Add(service.FileName);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// Verifies a package tree as the SDK lays it out and packs it: every <c>driver/&lt;arch&gt;/</c> folder as a
    /// driver package, and every other PE file (the client) by its embedded signature.
    /// </summary>
    public static IReadOnlyList<Diagnostic> VerifyPackageTree(string root, TrustOptions trust)
    {
        var findings = new List<Diagnostic>();
        var driverRoot = Path.Combine(root, "driver");
        var driverFolders = Directory.Exists(driverRoot) ? Directory.GetDirectories(driverRoot).OrderBy(d => d, StringComparer.Ordinal).ToList() : new List<string>();
        if (driverFolders.Count == 0)
        {
            findings.Add(Diagnostic.Error(ErrorCodes.NotCatalogMember, "The package has no driver/<arch>/ folder to verify.", root));
        }

        foreach (var folder in driverFolders)
        {
            findings.AddRange(VerifyPackage(CatalogContents.FolderFiles(folder), trust));
        }

        var others = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !driverFolders.Any(d => f.StartsWith(d + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .OrderBy(f => f, StringComparer.Ordinal);
        // The client is the vendor's to sign, not Microsoft's.
        foreach (var file in others)
        {
            findings.AddRange(SignatureVerifier.VerifyPe(file, trust with { Microsoft = false }) ?? Array.Empty<Diagnostic>());
        }

        return findings;
    }
}
