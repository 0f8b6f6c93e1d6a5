using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.Packaging;

/// <summary>
/// Writes a package tree as a .zip whose bytes depend only on the files and the given time: entries in ordinal
/// order of their paths, every entry dated with that time, no directory entries, no permissions.
/// </summary>
public static class PackageArchive
{
    public static void Write(IReadOnlyList<PackageFile> files, string destination, DateTimeOffset time)
    {
        var entries = PackageLayout.CheckedPaths(files)
            .Select(f => (f.Source, Path: f.Path.Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();

        // Zip dates are local wall-clock times from 1980 on: the UTC time is written as it reads.
        var stamp = new DateTimeOffset(Max(time.UtcDateTime, new DateTime(1980, 1, 1, 0, 0, 0, DateTimeKind.Utc)), TimeSpan.Zero);
        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var (source, path) in entries)
                {
                    var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
                    entry.LastWriteTime = stamp;
                    using var input = File.OpenRead(source);
                    using var output = entry.Open();
                    input.CopyTo(output);
                }
            }

            bytes = buffer.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.PackageArchiveFailed, $"Cannot write the package archive '{destination}': {e.Message}"), e);
        }

        AtomicFile.Write(destination, bytes, ErrorCodes.PackageArchiveFailed);
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
