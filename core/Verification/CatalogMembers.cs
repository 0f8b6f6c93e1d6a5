using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Catalogs;

namespace WdkDriver.Core.Verification;

/// <summary>
/// The files one or more catalogs vouch for, by digest: v1 members are SHA-1, v2 members SHA-256 (their SHA-1
/// companions carry no digest of their own and are left out). A file is a member by the digest a catalog holds for
/// it (<see cref="FileDigest"/>: a PE's and a cabinet's Authenticode digest, every byte's otherwise).
/// </summary>
internal sealed class CatalogMembers
{
    private readonly HashSet<string> members = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<int> versions = new();

    public CatalogInfo Add(string catalog)
    {
        var info = CatalogReader.Read(catalog);
        versions.Add(info.Version);
        members.UnionWith(info.Members.Where(m => m.Digest is not null).Select(m => Key(m.Digest!, info.Version)));
        return info;
    }

    public bool Contains(string file) =>
        versions.Any(v => members.Contains(Key(FileDigest.Compute(file, v == 2 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1).Digest, v)));

    private static string Key(byte[] digest, int version) => CatalogReader.ToHex(digest) + "|" + version;
}
