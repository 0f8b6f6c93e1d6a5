using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Packaging;

/// <summary>
/// The driver package Microsoft signed, taken into the installable package in place of the one built: its files as
/// Microsoft returned them (the regenerated catalog, the binaries), after checking that its INFs are byte for byte the
/// ones built and that it carries Microsoft's driver signature.
/// </summary>
public static class AttestedPackage
{
    /// <param name="zip">The package as Partner Center returns it (one driver package folder).</param>
    /// <param name="folder">Where to unpack it (replaced).</param>
    /// <param name="builtInfs">The INFs of the package as built, by file name.</param>
    /// <returns>Its files, each at <c>driver/&lt;architecture&gt;/&lt;path in the driver package&gt;</c>.</returns>
    public static IReadOnlyList<PackageFile> Take(string zip, string architecture, string folder, IReadOnlyDictionary<string, string> builtInfs, TrustOptions trust)
    {
        var packages = Unpack(zip, folder);
        if (packages.Count != 1)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SignedPackageInvalid, $"Microsoft's package holds {packages.Count} driver package folders; the {architecture} package has one.", zip));
        }

        var package = packages[0];
        foreach (var inf in builtInfs)
        {
            var (name, built) = (inf.Key, inf.Value);
            var returned = Path.Combine(package, name);
            if (!File.Exists(returned) || !File.ReadAllBytes(returned).AsSpan().SequenceEqual(File.ReadAllBytes(built)))
            {
                throw new WdkException(Diagnostic.Error(
                    ErrorCodes.SignedPackageInvalid,
                    $"{name} in Microsoft's package is not the INF this build made: the package was signed for another build. Submit this build's cabinet, or pack the build that was submitted.",
                    zip));
            }
        }

        Verify(zip, packages, trust);
        return CatalogContents.FolderFiles(package).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new PackageFile(f.Value, $"driver/{architecture}/{f.Key}")).ToList();
    }

    /// <summary>
    /// Unpacks the package as Partner Center returns it into <paramref name="folder"/> (replaced) and checks that every
    /// driver package folder in it (a folder with an INF) carries Microsoft's driver signature; returns those folders.
    /// </summary>
    public static IReadOnlyList<string> Check(string zip, string folder, TrustOptions trust)
    {
        var packages = Unpack(zip, folder);
        Verify(zip, packages, trust);
        return packages;
    }

    private static void Verify(string zip, IReadOnlyList<string> packages, TrustOptions trust)
    {
        var findings = packages.SelectMany(p => PackageVerifier.VerifyPackage(CatalogContents.FolderFiles(p), trust with { Microsoft = true })).ToList();
        if (findings.Count > 0)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SignedPackageInvalid, $"Microsoft's package does not verify ({findings.Count} finding{(findings.Count == 1 ? string.Empty : "s")}): {findings[0].Code} {findings[0].Message}", zip));
        }
    }

    /// <summary>
    /// Unpacks the zip into <paramref name="folder"/> (replaced), refusing any entry that would land outside it; returns
    /// its driver package folders (those with an INF).
    /// </summary>
    private static IReadOnlyList<string> Unpack(string zip, string folder)
    {
        ArchiveExtraction.Extract(zip, folder, ErrorCodes.SignedPackageInvalid);
        var packages = Directory.GetFiles(folder, "*.inf", SearchOption.AllDirectories).Select(f => Path.GetDirectoryName(f)!).Distinct(StringComparer.Ordinal).OrderBy(d => d, StringComparer.Ordinal).ToList();
        return packages.Count > 0
            ? packages
            : throw new WdkException(Diagnostic.Error(ErrorCodes.SignedPackageInvalid, "Microsoft's package holds no INF: it is not the driver package that was submitted.", zip));
    }
}
