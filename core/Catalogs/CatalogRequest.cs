using System;
using System.Collections.Generic;
using System.Linq;

namespace WdkDriver.Core.Catalogs;

/// <summary>Everything a catalog is made of; the same request always gives the same bytes.</summary>
/// <param name="ListIdentifier">16 bytes; <see cref="CatalogWriter.DeriveListIdentifier"/> makes one from the content.</param>
/// <param name="Time">Written as the CTL's thisUpdate, to the second.</param>
/// <param name="Version">1: SHA-1 members; 2: SHA-256 members with SHA-1 companions.</param>
/// <param name="PageHashes">Add page hashes to PE members (inf2cat's /pageHashes).</param>
public sealed record CatalogRequest(
    IReadOnlyList<CatalogFile> Files,
    IReadOnlyList<OsTarget> Os,
    IReadOnlyList<string> HardwareIds,
    byte[] ListIdentifier,
    DateTimeOffset Time,
    int Version,
    bool PageHashes = false)
{
    /// <summary>The files' digests when already known (by path); missing ones are computed.</summary>
    public IReadOnlyDictionary<string, CatalogDigests>? Digests { get; init; }

    /// <summary>How many files to hash and encode at once; 0: one per core.</summary>
    public int MaxParallelism { get; init; }

    /// <summary>inf2cat's choice: v2 when every target is Windows 10 or later, v1 otherwise.</summary>
    public static int DefaultVersion(IReadOnlyList<OsTarget> os) => os.All(t => t.IsWindows10OrLater) ? 2 : 1;
}
