using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.IO;
using static WdkDriver.Core.Catalogs.CatalogOids;

namespace WdkDriver.Core.Catalogs;

/// <summary>
/// Writes an unsigned catalog as inf2cat does: a PKCS#7 v1.5 SignedData (no signers yet) whose content is a
/// certificate trust list of the files' digests, member by member, with the OS and hardware-ID attributes.
/// </summary>
public static class CatalogWriter
{
    private static readonly byte[] PageHashClassId = { 0xA6, 0xB5, 0x86, 0xD5, 0xB4, 0xA1, 0x24, 0x66, 0xAE, 0x05, 0xA2, 0x17, 0xDA, 0x8E, 0x60, 0xD6 };

    /// <summary>CRYPTCAT_ATTR_AUTHENTICATED | DATAASCII | NAMEASCII, as inf2cat writes every attribute.</summary>
    private const int AttributeFlags = 0x10010001;

    private static Asn1Tag Context(int number, bool constructed = true) => new(TagClass.ContextSpecific, number, constructed);

    public static byte[] Write(CatalogRequest request)
    {
        var trustList = WriteTrustList(request);
        var writer = new AsnWriter(AsnEncodingRules.DER, trustList.Length + 256);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(SignedData);
            using (writer.PushSequence(Context(0)))
            using (writer.PushSequence())
            {
                writer.WriteInteger(1);
                writer.PushSetOf();
                writer.PopSetOf();
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(Ctl);
                    using (writer.PushSequence(Context(0)))
                    {
                        writer.WriteEncodedValue(trustList);
                    }
                }

                writer.PushSetOf();
                writer.PopSetOf();
            }
        }

        return writer.Encode();
    }

    /// <summary>The certificate trust list alone: the part a signature covers, and what inf2cat compatibility is judged on.</summary>
    public static byte[] WriteTrustList(CatalogRequest request)
    {
        var osAttr = string.Join(",", request.Os.Select(o => o.NtVersion).Distinct()
            .OrderBy(v => Version.Parse(v)).Select(v => "2:" + v));
        var members = Members(request, osAttr).OrderBy(m => m.Identifier, ByteOrder.Instance).ToList();

        // Sized up front: a writer that grows as it goes copies the whole list again at every step, which made
        // catalogs of thousands of files take seconds.
        var writer = new AsnWriter(AsnEncodingRules.DER, members.Sum(m => m.Encoded.Length) + 4096 + (request.HardwareIds.Sum(h => h.Length) * 4));
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(CatalogList);
            }

            writer.WriteOctetString(request.ListIdentifier);
            writer.WriteUtcTime(request.Time.ToUniversalTime());
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(request.Version == 2 ? MemberListV2 : MemberListV1);
                writer.WriteNull();
            }

            using (writer.PushSequence())
            {
                foreach (var member in members)
                {
                    writer.WriteEncodedValue(member.Encoded);
                }
            }

            using (writer.PushSequence(Context(0)))
            using (writer.PushSequence())
            {
                var attributes = new List<(string, string)> { ("OS", string.Join(",", request.Os.Select(o => o.Token))) };
                attributes.AddRange(request.HardwareIds.Select((id, i) => ("HWID" + (i + 1).ToString(CultureInfo.InvariantCulture), id)).Reverse());
                foreach (var (name, value) in attributes)
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(NameValue);
                        writer.WriteOctetString(EncodeNameValue(name, value));
                    }
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>A list identifier that depends only on what the catalog says, so the same package gets the same bytes.</summary>
    /// <param name="digests">The files' digests by path (<see cref="CatalogDigests.ComputeAll"/>), as the members use them.</param>
    public static byte[] DeriveListIdentifier(IEnumerable<CatalogFile> files, IReadOnlyList<OsTarget> os, IEnumerable<string> hardwareIds, int version, IReadOnlyDictionary<string, CatalogDigests> digests)
    {
        var text = new StringBuilder().Append(version).Append('|').Append(string.Join(",", os.Select(o => o.Id)));
        foreach (var file in files)
        {
            text.Append('|').Append(file.Name.ToLowerInvariant()).Append('=').Append(CatalogReader.ToHex(version == 2 ? digests[file.Path].Sha256! : digests[file.Path].Sha1));
        }

        text.Append('|').Append(string.Join(",", hardwareIds));
        using var sha = SHA256.Create();
        return sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString())).Take(16).ToArray();
    }

    /// <summary>Each file's members, one set per distinct content (the first name wins).</summary>
    private static IEnumerable<(byte[] Identifier, byte[] Encoded)> Members(CatalogRequest request, string osAttr)
    {
        var digests = request.Digests ?? CatalogDigests.ComputeAll(request.Files, request.MaxParallelism, withSha256: request.Version == 2);
        // Encoding a file's members costs about what hashing a small file does, and depends on that file alone.
        var encoded = new IReadOnlyList<(byte[] Identifier, byte[] Encoded)>[request.Files.Count];
        ParallelWork.For(encoded.Length, request.MaxParallelism, i =>
        {
            var file = request.Files[i];
            encoded[i] = EncodeMembers(file, osAttr, request.Version, request.PageHashes, digests.TryGetValue(file.Path, out var known) ? known : null);
        });

        var seen = new HashSet<string>();
        return encoded.Where(members => seen.Add(CatalogReader.ToHex(members[0].Identifier))).SelectMany(members => members);
    }

    /// <summary>
    /// The members for one file. v1: one, named by the SHA-1 digest's hex in UTF-16. v2: the SHA-256 member and its
    /// SHA-1 companion, named by the raw digests; the companion carries File and OSAttr, not the indirect data.
    /// </summary>
    internal static IReadOnlyList<(byte[] Identifier, byte[] Encoded)> EncodeMembers(CatalogFile file, string osAttr, int version, bool pageHashes = false, CatalogDigests? digests = null)
    {
        digests ??= CatalogDigests.Compute(file.Path, withSha256: version == 2);
        var (sha1, isPe) = (digests.Sha1, digests.IsPe);
        byte[]? Pages(HashAlgorithmName algorithm) => pageHashes && isPe ? PageHashes.Compute(file.Path, algorithm) : null;
        var name = file.Name.ToLowerInvariant();
        if (version == 2)
        {
            var sha256 = digests.Sha256 ?? throw new InvalidOperationException("A v2 catalog member needs the SHA-256 digest.");
            return new[]
            {
                (sha256, Member(sha256, w => { WriteMemberInfo2(w, isPe); WriteNameValue(w, "OSAttr", osAttr); WriteNameValue(w, "File", name); WriteIndirectData(w, isPe, Sha256, sha256, Pages(HashAlgorithmName.SHA256)); })),
                (sha1, Member(sha1, w => { WriteMemberInfo2(w, isPe); WriteNameValue(w, "OSAttr", osAttr); WriteNameValue(w, "File", name); })),
            };
        }

        var identifier = Encoding.Unicode.GetBytes(CatalogReader.ToHex(sha1) + "\0");
        return new[] { (identifier, Member(identifier, w => { WriteIndirectData(w, isPe, Sha1, sha1, Pages(HashAlgorithmName.SHA1)); WriteNameValue(w, "File", name); WriteNameValue(w, "OSAttr", osAttr); WriteMemberInfo(w, isPe); })) };
    }

    private static byte[] Member(byte[] identifier, Action<AsnWriter> attributes)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteOctetString(identifier);
            writer.PushSetOf();
            attributes(writer);
            writer.PopSetOf();
        }

        return writer.Encode();
    }

    private static void WriteIndirectData(AsnWriter writer, bool isPe, string algorithm, byte[] digest, byte[]? pageHashes)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(IndirectData);
            writer.PushSetOf();
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(isPe ? PeImageData : CabData);
                    if (isPe)
                    {
                        using (writer.PushSequence())
                        {
                            // includeResources | includeImportAddressTable, and an empty file link (inf2cat) or the
                            // page hashes as a serialized object (/pageHashes).
                            writer.WriteBitString(new byte[] { 0xA0 }, unusedBitCount: 5);
                            using (writer.PushSequence(Context(0)))
                            {
                                if (pageHashes is null)
                                {
                                    WriteEmptyLink(writer);
                                }
                                else
                                {
                                    WritePageHashes(writer, algorithm, pageHashes);
                                }
                            }
                        }
                    }
                    else
                    {
                        WriteEmptyLink(writer);
                    }
                }

                using (writer.PushSequence())
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(algorithm);
                        writer.WriteNull();
                    }

                    writer.WriteOctetString(digest);
                }
            }

            writer.PopSetOf();
        }
    }

    /// <summary>SpcLink.moniker: SpcSerializedObject { page-hash class id, SET { SEQ { v1|v2 OID, SET { OCTET entries } } } }.</summary>
    private static void WritePageHashes(AsnWriter writer, string algorithm, byte[] pageHashes)
    {
        var serialized = new AsnWriter(AsnEncodingRules.DER);
        serialized.PushSetOf();
        using (serialized.PushSequence())
        {
            serialized.WriteObjectIdentifier(algorithm == Sha1 ? PageHashesV1 : PageHashesV2);
            serialized.PushSetOf();
            serialized.WriteOctetString(pageHashes);
            serialized.PopSetOf();
        }

        serialized.PopSetOf();
        using (writer.PushSequence(Context(1)))
        {
            writer.WriteOctetString(PageHashClassId);
            writer.WriteOctetString(serialized.Encode());
        }
    }

    /// <summary>SpcLink.file = SpcString.unicode "" (<c>A2 02 80 00</c>).</summary>
    private static void WriteEmptyLink(AsnWriter writer)
    {
        using (writer.PushSequence(Context(2)))
        {
            writer.WriteCharacterString(UniversalTagNumber.BMPString, string.Empty, Context(0, constructed: false));
        }
    }

    private static void WriteNameValue(AsnWriter writer, string name, string value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(NameValue);
            writer.PushSetOf();
            writer.WriteEncodedValue(EncodeNameValue(name, value));
            writer.PopSetOf();
        }
    }

    private static byte[] EncodeNameValue(string name, string value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.BMPString, name);
            writer.WriteInteger(AttributeFlags);
            writer.WriteOctetString(Encoding.Unicode.GetBytes(value + "\0"));
        }

        return writer.Encode();
    }

    private static void WriteMemberInfo(AsnWriter writer, bool isPe)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(MemberInfo);
            writer.PushSetOf();
            using (writer.PushSequence())
            {
                writer.WriteCharacterString(UniversalTagNumber.BMPString, isPe ? PeSip : FlatSip);
                writer.WriteInteger(0x200);
            }

            writer.PopSetOf();
        }
    }

    private static void WriteMemberInfo2(AsnWriter writer, bool isPe)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(MemberInfo2);
            writer.PushSetOf();
            writer.WriteNull(Context(isPe ? 0 : 2, constructed: false));
            writer.PopSetOf();
        }
    }
}
