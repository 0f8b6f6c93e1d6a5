using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Packaging;

/// <summary>
/// The cabinet Partner Center's attestation signing takes: each driver package in a folder of its own (nothing at the
/// root), the folder named with letters and digits only and shorter than 40 characters, MSZIP as makecab writes it
/// for Microsoft's own .ddf. One architecture per cabinet: the SDK stamps one INF per architecture, and every folder
/// of one submission must cover the same architectures.
/// </summary>
public static class SubmissionCabinet
{
    public const int MaxFolderName = 39;

    /// <summary>A folder name from a driver's name (its INF's): the letters and digits of it, at most 39.</summary>
    public static string FolderName(string driverName)
    {
        var name = new string(driverName.Where(Allowed).ToArray());
        return name.Length > MaxFolderName ? name.Substring(0, MaxFolderName) : name;
    }

    public static string? FolderNameProblem(string folder)
    {
        if (folder.Length == 0)
        {
            return "it is empty";
        }

        if (folder.Length > MaxFolderName)
        {
            return $"it has {folder.Length} characters; Partner Center takes fewer than 40";
        }

        var bad = folder.Where(c => !Allowed(c)).Take(1).ToList();
        return bad.Count == 0 ? null : $"'{bad[0]}' is not a letter or digit, the only characters Partner Center takes";
    }

    private static bool Allowed(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9');

    /// <summary>
    /// Writes the cabinet of one driver package (its files at their paths inside the package) under
    /// <paramref name="folder"/>; the default folder is named after the package's INF. Returns the warnings.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Write(string destination, string? folder, IReadOnlyList<PackageFile> files, DateTime time)
    {
        var infs = files.Where(f => f.PackagePath.EndsWith(".inf", StringComparison.OrdinalIgnoreCase)).ToList();
        if (infs.Count == 0)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SubmissionPackageInvalid, $"The driver package for {Path.GetFileName(destination)} has no INF; Partner Center rejects a folder without one. Build the driver package before packing the submission."));
        }

        folder = string.IsNullOrEmpty(folder) ? FolderName(Path.GetFileNameWithoutExtension(infs[0].PackagePath)) : folder;
        if (FolderNameProblem(folder!) is { } problem)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SubmissionFolderInvalid, $"The submission folder name '{folder}' cannot be used: {problem}. Set DriverSubmissionFolder to a name of letters and digits."));
        }

        var warnings = new List<Diagnostic>();
        if (!files.Any(f => f.PackagePath.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)))
        {
            warnings.Add(Diagnostic.Warning(
                ErrorCodes.SubmissionWithoutSymbols,
                $"The submission {Path.GetFileName(destination)} has no .pdb: Partner Center asks for the driver's symbols for its crash analysis, and this driver has none (the GNU target writes none; an MSVC target does). The submission is valid without them."));
        }

        var sources = files.Select(f => new CabinetSource(folder + "\\" + f.PackagePath.Replace('/', '\\'), f.Source)).ToList();
        CabinetWriter.Write(destination, sources, CabinetCompression.MsZip, time);
        return warnings;
    }
}
