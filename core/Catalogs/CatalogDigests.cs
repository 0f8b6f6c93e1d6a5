using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using WdkDriver.Core.Authenticode;

namespace WdkDriver.Core.Catalogs;

/// <summary>
/// What a catalog needs of one file: its SHA-1 digest, and for a v2 catalog its SHA-256 digest too (image hashes
/// for PE files). A v1 catalog is SHA-1 alone, so it hashes half as much.
/// </summary>
public sealed record CatalogDigests(byte[] Sha1, byte[]? Sha256, bool IsPe)
{
    private static readonly HashAlgorithmName[] Both = { HashAlgorithmName.SHA1, HashAlgorithmName.SHA256 };
    private static readonly HashAlgorithmName[] Sha1Only = { HashAlgorithmName.SHA1 };

    public static CatalogDigests Compute(string path, bool withSha256 = true)
    {
        var (digests, isPe) = FileDigest.Compute(path, withSha256 ? Both : Sha1Only);
        return new CatalogDigests(digests[0], withSha256 ? digests[1] : null, isPe);
    }

    /// <summary>Every file read once, files hashed in parallel (on every core, unless <paramref name="maxParallelism"/> says otherwise).</summary>
    public static IReadOnlyDictionary<string, CatalogDigests> ComputeAll(IEnumerable<CatalogFile> files, int maxParallelism = 0, bool withSha256 = true)
    {
        var paths = files.Select(f => f.Path).Distinct(StringComparer.Ordinal).ToArray();
        var digests = new CatalogDigests[paths.Length];
        ParallelWork.For(paths.Length, maxParallelism, i => digests[i] = Compute(paths[i], withSha256));
        return paths.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => digests[x.i], StringComparer.Ordinal);
    }
}
