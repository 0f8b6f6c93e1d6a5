using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Packaging;

namespace WdkDriver.Core.Verification;

/// <summary>A package archive as <c>dotnet pack</c> writes it (a .nupkg, or the .zip beside it), verified as its unpacked tree.</summary>
public static class ArchiveVerifier
{
    /// <summary>
    /// Verifies a package archive as <c>dotnet pack</c> writes it (a .nupkg, or the .zip beside it): unpacked into a
    /// scratch folder, then as <see cref="VerifyPackageTree"/>; findings name the entry as <c>archive!path</c>.
    /// </summary>
    public static IReadOnlyList<Diagnostic> VerifyArchive(string archive, TrustOptions trust)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "wdkdriver-verify-" + Guid.NewGuid().ToString("N"));
        try
        {
            ArchiveExtraction.Extract(archive, scratch, ErrorCodes.SignInputInvalid);
            var root = Path.GetFullPath(scratch) + Path.DirectorySeparatorChar;
            return PackageVerifier.VerifyPackageTree(scratch, trust)
                .Select(d => d.File is { } file && file.StartsWith(root, StringComparison.Ordinal)
                    ? d with { File = archive + "!" + file.Substring(root.Length).Replace('\\', '/') }
                    : d.File is { } folder && Path.GetFullPath(folder) + Path.DirectorySeparatorChar == root ? d with { File = archive } : d)
                .ToList();
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>Whether a file is a zip archive (a .nupkg or a .zip), by its first bytes.</summary>
    public static bool IsArchive(string path)
    {
        using var stream = File.OpenRead(path);
        var magic = new byte[4];
        return stream.Read(magic, 0, 4) == 4 && magic[0] == (byte)'P' && magic[1] == (byte)'K' && magic[2] == 3 && magic[3] == 4;
    }

    /// <param name="checkContent">The content's own check (its type, its digest against the file's); null when it holds.</param>
}
