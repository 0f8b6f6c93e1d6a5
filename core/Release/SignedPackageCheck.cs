using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;

namespace WdkDriver.Core.Release;

/// <summary>
/// Checks the package Partner Center returns (a zip with a folder per driver package) before anyone uses it: every
/// folder with an INF must verify as a driver package carrying Microsoft's driver signature.
/// </summary>
public static class SignedPackageCheck
{
    public static IReadOnlyList<Diagnostic> Verify(string zip, TrustOptions trust)
    {
        var folder = Path.Combine(Path.GetTempPath(), "wdkdriver-signed-" + Guid.NewGuid().ToString("N"));
        try
        {
            try
            {
                // .NET refuses entries that would land outside the folder.
                ZipFile.ExtractToDirectory(zip, folder);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                return new[] { Diagnostic.Error(ErrorCodes.SignedPackageInvalid, $"Microsoft's package cannot be unpacked: {e.Message}", zip) };
            }

            var packages = Directory.GetFiles(folder, "*.inf", SearchOption.AllDirectories).Select(Path.GetDirectoryName).Distinct(StringComparer.Ordinal).OrderBy(d => d, StringComparer.Ordinal).ToList();
            if (packages.Count == 0)
            {
                return new[] { Diagnostic.Error(ErrorCodes.SignedPackageInvalid, "Microsoft's package holds no INF: it is not the driver package that was submitted.", zip) };
            }

            var microsoft = trust with { Microsoft = true };
            return packages
                .SelectMany(p => SignatureVerifier.VerifyPackage(CatalogContents.FolderFiles(p!), microsoft))
                .Select(d => d with { Message = $"{Path.GetFileName(zip)}: {d.Message}", File = d.File is null ? zip : zip + "!" + Path.GetRelativePath(folder, d.File).Replace('\\', '/') })
                .ToList();
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
