using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Packaging;

/// <summary>A file of the driver package: where it comes from, and its path inside the package.</summary>
public sealed record PackageFile(string Source, string PackagePath);

/// <summary>
/// Lays out a package folder all at once: the files are copied into a fresh sibling folder that then takes the
/// place of the old one, so the folder is either the old package or the new one, never a mix or a half.
/// </summary>
public static class PackageLayout
{
    public static void Write(IReadOnlyList<PackageFile> files, string destination)
    {
        var target = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var relative = CheckedPaths(files);

        var parent = Path.GetDirectoryName(target)!;
        var staging = Path.Combine(parent, "." + Path.GetFileName(target) + ".new-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        var retired = Path.Combine(parent, "." + Path.GetFileName(target) + ".old-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var (source, path) in relative)
            {
                var copy = Path.Combine(staging, path);
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(source, copy);
                // Newer than every input, so the next incremental build sees the package as up to date.
                File.SetLastWriteTimeUtc(copy, DateTime.UtcNow);
            }

            if (Directory.Exists(target))
            {
                Directory.Move(target, retired);
            }

            Directory.Move(staging, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.PackageLayoutFailed, $"Cannot lay out the driver package in '{target}': {e.Message}"), e);
        }
        finally
        {
            DeleteQuietly(staging);
            DeleteQuietly(retired);
        }
    }

    /// <summary>Each file with its relative path (this OS's separators): inside the package, and no two the same.</summary>
    internal static IReadOnlyList<(string Source, string Path)> CheckedPaths(IReadOnlyList<PackageFile> files)
    {
        var relative = files.Select(f => (f.Source, Path: CheckedRelativePath(f.PackagePath))).ToList();
        var duplicate = relative.GroupBy(f => f.Path, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.PackagePathInvalid,
                $"Two files want the same place '{duplicate.Key}' in the package: {string.Join(", ", duplicate.Select(f => f.Source))}."));
        }

        return relative;
    }

    private static string CheckedRelativePath(string packagePath)
    {
        var normalized = packagePath.Replace('\\', '/').Trim('/');
        if (normalized.Length == 0 || Path.IsPathRooted(packagePath) || normalized.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.PackagePathInvalid,
                $"Package path '{packagePath}' must be a relative path inside the package, without '.' or '..'."));
        }

        return normalized.Replace('/', Path.DirectorySeparatorChar);
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover staging folder is harmless: it is hidden and never read.
        }
    }
}
