using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using WdkDriver.Core.Authenticode;

namespace WdkDriver.Core.Catalogs;

/// <summary>What a catalog needs of one file: its SHA-1 and SHA-256 digests (image hashes for PE files).</summary>
public sealed record CatalogDigests(byte[] Sha1, byte[] Sha256, bool IsPe)
{
    private static readonly HashAlgorithmName[] Algorithms = { HashAlgorithmName.SHA1, HashAlgorithmName.SHA256 };

    public static CatalogDigests Compute(string path)
    {
        var (digests, isPe) = FileDigest.Compute(path, Algorithms);
        return new CatalogDigests(digests[0], digests[1], isPe);
    }

    /// <summary>Every file read once, files hashed in parallel (on every core, unless <paramref name="maxParallelism"/> says otherwise).</summary>
    public static IReadOnlyDictionary<string, CatalogDigests> ComputeAll(IEnumerable<CatalogFile> files, int maxParallelism = 0)
    {
        var paths = files.Select(f => f.Path).Distinct(StringComparer.Ordinal).ToArray();
        var digests = new CatalogDigests[paths.Length];
        ParallelWork.For(paths.Length, maxParallelism, i => digests[i] = Compute(paths[i]));
        return paths.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => digests[x.i], StringComparer.Ordinal);
    }
}
