using System;
using System.Security.Cryptography;

namespace WdkDriver.Core.Authenticode;

/// <summary>The digest algorithms Authenticode signs with and their object identifiers: one map, both ways.</summary>
public static class DigestAlgorithms
{
    private static readonly (string Oid, HashAlgorithmName Name)[] Known =
    {
        ("1.3.14.3.2.26", HashAlgorithmName.SHA1),
        ("2.16.840.1.101.3.4.2.1", HashAlgorithmName.SHA256),
        ("2.16.840.1.101.3.4.2.2", HashAlgorithmName.SHA384),
        ("2.16.840.1.101.3.4.2.3", HashAlgorithmName.SHA512),
    };

    /// <summary>The digest algorithm a bare digest OID names; null for any other.</summary>
    public static HashAlgorithmName? FromOid(string? oid) => Array.Find(Known, k => k.Oid == oid) is { Oid: not null } known ? known.Name : null;

    public static string Oid(HashAlgorithmName digest) =>
        Array.Find(Known, k => k.Name == digest) is { Oid: not null } known ? known.Oid : throw new ArgumentException($"unsupported digest {digest.Name}");
}
