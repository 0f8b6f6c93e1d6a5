using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Packaging;

/// <summary>Unpacks a zip (a .nupkg, a .zip, Microsoft's signed package) into a folder, never outside it.</summary>
public static class ArchiveExtraction
{
    /// <summary>
    /// Replaces <paramref name="folder"/> with the archive's files, refusing any entry that would land outside it;
    /// a failure is <paramref name="errorCode"/> at the archive.
    /// </summary>
    public static void Extract(string zip, string folder, string errorCode)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        try
        {
            using var archive = ZipFile.OpenRead(zip);
            foreach (var entry in archive.Entries.Where(e => e.Name.Length > 0))
            {
                var destination = Path.GetFullPath(Path.Combine(root, entry.FullName.Replace('\\', '/')));
                if (!destination.StartsWith(root, StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"the entry '{entry.FullName}' would land outside the folder");
                }

                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                using var input = entry.Open();
                using var output = File.Create(destination);
                input.CopyTo(output);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(errorCode, $"The archive cannot be unpacked: {e.Message}", zip), e);
        }
    }
}
