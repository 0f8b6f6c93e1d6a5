using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.Catalogs;

/// <param name="OsList">inf2cat's <c>/os:</c> list, e.g. <c>10_X64,Server10_ARM64</c>.</param>
/// <param name="Version">1 or 2; null: v2 when every OS is Windows 10 or later.</param>
/// <param name="ListIdentifier">null: derived from the content, so the same package gives the same catalog.</param>
/// <param name="Time">thisUpdate; null: now.</param>
/// <param name="MaxParallelism">How many files to hash and encode at once; 0: one per core.</param>
public sealed record CatalogOptions(
    string OsList,
    int? Version = null,
    bool PageHashes = false,
    byte[]? ListIdentifier = null,
    DateTimeOffset? Time = null,
    int MaxParallelism = 0);

/// <summary>Makes a driver package's catalog, as inf2cat does, and writes it without ever leaving half a file.</summary>
public static class CatalogBuilder
{
    /// <param name="infs">The INFs to cover (package paths); null: all of them.</param>
    public static byte[] Build(IReadOnlyDictionary<string, string> packageFiles, CatalogOptions options, DateTimeOffset now, IReadOnlyCollection<string>? infs = null)
    {
        var os = OsTarget.ParseList(options.OsList);
        var version = options.Version ?? CatalogRequest.DefaultVersion(os);
        var contents = CatalogContents.Resolve(packageFiles, os, now.UtcDateTime, infs, checkServices: true);
        // Each file is read once, for all the digests the list identifier and the members need.
        var digests = CatalogDigests.ComputeAll(contents.Files, options.MaxParallelism, withSha256: version == 2);
        var listIdentifier = options.ListIdentifier ?? CatalogWriter.DeriveListIdentifier(contents.Files, os, contents.HardwareIds, version, digests);
        return CatalogWriter.Write(new CatalogRequest(contents.Files, os, contents.HardwareIds, listIdentifier, options.Time ?? now, version, options.PageHashes) { Digests = digests, MaxParallelism = options.MaxParallelism });
    }

    /// <summary>
    /// One catalog for the package at <paramref name="output"/>. INFs that name different catalogs need a folder as
    /// output: each named catalog is then written there, covering the INFs that name it.
    /// </summary>
    /// <returns>The catalogs written.</returns>
    public static IReadOnlyList<string> Create(IReadOnlyDictionary<string, string> packageFiles, string output, bool outputIsFolder, CatalogOptions options, DateTimeOffset now)
    {
        var names = CatalogContents.CatalogNames(packageFiles, OsTarget.ParseList(options.OsList));
        var distinct = names.Values.Where(n => n is not null).Select(n => n!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (!outputIsFolder)
        {
            if (distinct.Count > 1)
            {
                throw new WdkException(Diagnostic.Error(
                    ErrorCodes.CatalogNamesDiffer,
                    $"The package's INFs name different catalogs ({string.Join(", ", distinct)}): give a folder as output to write each of them."));
            }

            AtomicFile.Write(output, Build(packageFiles, options, now), ErrorCodes.CatalogOutputFailed);
            return new[] { output };
        }

        var written = new List<string>();
        foreach (var group in names.GroupBy(n => n.Value ?? System.IO.Path.ChangeExtension(n.Key, ".cat"), StringComparer.OrdinalIgnoreCase))
        {
            var path = System.IO.Path.Combine(output, group.Key);
            AtomicFile.Write(path, Build(packageFiles, options, now, group.Select(g => g.Key).ToList()), ErrorCodes.CatalogOutputFailed);
            written.Add(path);
        }

        return written;
    }

    /// <summary>Reads a list identifier: 32 hex digits.</summary>
    public static byte[] ParseListIdentifier(string text)
    {
        var hex = text.Trim().Trim('{', '}').Replace("-", string.Empty);
        if (hex.Length != 32 || !hex.All(Uri.IsHexDigit))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CatalogListIdInvalid, $"List identifier '{text}' is not 32 hex digits."));
        }

        return Enumerable.Range(0, 16).Select(i => byte.Parse(hex.Substring(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>Reads a catalog time as UTCTime writes it: YYMMDDhhmmssZ.</summary>
    public static DateTimeOffset ParseTime(string text)
    {
        if (!DateTimeOffset.TryParseExact(text.Trim(), "yyMMddHHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CatalogTimeInvalid, $"Time '{text}' is not in the form YYMMDDhhmmssZ (UTC)."));
        }

        return time;
    }
}
