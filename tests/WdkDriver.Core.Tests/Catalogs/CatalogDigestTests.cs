using System.Security.Cryptography;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Tests.Catalogs;

/// <summary>Real catalogs made by Microsoft's tools hold the digests this project computes for their files.</summary>
public class CatalogDigestTests
{
    private static string Folder(string name) => Path.Combine(RepositoryPaths.Corpus, "catalogs", name);

    private static HashAlgorithmName Algorithm(string? oid) => oid switch
    {
        "1.3.14.3.2.26" => HashAlgorithmName.SHA1,
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        _ => throw new InvalidOperationException("unexpected digest algorithm " + oid),
    };

    /// <summary>
    /// One file of the folder has the member's digest. Files are matched by content, not name: an INF may copy
    /// <c>libusb0_x86.dll</c> as <c>libusb0.dll</c>, and the member is named after the installed file.
    /// </summary>
    private static void AssertMemberMatchesItsFile(string folder, CatalogMember member, byte[] digest, HashAlgorithmName algorithm)
    {
        var candidates = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".cat")).ToList();
        Assert.NotEmpty(candidates);
        var hashes = candidates.Select(f => FileDigest.Compute(f, algorithm)).ToList();
        Assert.True(hashes.Any(h => h.Digest.SequenceEqual(digest)), $"{member.FileName}: {CatalogReader.ToHex(digest)} is not the digest of any of {string.Join(", ", candidates)}");
        Assert.Equal(member.IsPe, hashes.First(h => h.Digest.SequenceEqual(digest)).IsPe);
    }

    [Fact]
    public void Every_member_of_the_arduino_catalog_is_the_Authenticode_or_flat_SHA1_of_its_file()
    {
        var catalog = CatalogReader.Read(Path.Combine(Folder("arduino-gemma"), "arduino_gemma.cat"));

        Assert.Equal(1, catalog.Version);
        Assert.True(catalog.IsSigned);
        Assert.Contains(catalog.Members, m => m.IsPe == true);
        Assert.Contains(catalog.Members, m => m.IsPe == false);
        foreach (var member in catalog.Members)
        {
            Assert.Equal(CatalogReader.ToHex(member.Digest!), member.IdentifierText);
            AssertMemberMatchesItsFile(Folder("arduino-gemma"), member, member.Digest!, Algorithm(member.DigestAlgorithm));
        }
    }

    [Fact]
    public void Every_member_of_the_makecat_v2_catalog_matches_its_file_in_both_digests()
    {
        var folder = Path.Combine(Folder("osslsigncode-makecat"), "tests", "files");
        var catalog = CatalogReader.Read(Path.Combine(folder, "unsigned.cat"));

        Assert.Equal(2, catalog.Version);
        Assert.False(catalog.IsSigned);
        // unsigned.ex_ is a CAB: makecat's digest of it is the cabinet's Authenticode digest.
        var members = catalog.Members.ToList();
        Assert.Contains(members, m => m.FileName == "unsigned.ex_");
        Assert.Contains(members, m => m.FileName == "unsigned.exe" && m.IsPe == true);
        foreach (var member in members.Where(m => m.Digest is not null))
        {
            Assert.Equal(member.Identifier, member.Digest);
            AssertMemberMatchesItsFile(folder, member, member.Digest!, Algorithm(member.DigestAlgorithm));
        }

        // The SHA-1 companions carry no file name here (makecat's definition file suppressed the copies); their
        // identifier is the SHA-1 digest. All match a file, the CAB by its Authenticode digest.
        var files = Directory.GetFiles(folder).Where(f => !f.EndsWith(".cat")).Select(f => FileDigest.Compute(f, HashAlgorithmName.SHA1).Digest).ToList();
        var companions = catalog.Members.Where(m => m.Digest is null).ToList();
        Assert.Equal(7, companions.Count);
        Assert.Equal(7, companions.Count(c => files.Any(f => f.SequenceEqual(c.Identifier))));
    }

    [Fact]
    public void The_px4_catalog_reads_as_its_README_describes()
    {
        var catalog = CatalogReader.Read(Path.Combine(Folder("px4_drv"), "px4_drv_winusb.cat"));

        Assert.Equal(15, catalog.Members.Count);
        Assert.Equal("7093BC1462E86C41A5BEF3468CE1B2D6", CatalogReader.ToHex(catalog.ListIdentifier!));
        Assert.Equal(new DateTimeOffset(2025, 1, 10, 23, 15, 51, TimeSpan.Zero), catalog.ThisUpdate);
        Assert.All(catalog.Members, m => Assert.Equal("2:6.1,2:6.2,2:6.3,2:10.0", m.NameValues["OSAttr"]));
        Assert.Equal(new[] { "OS" }.Concat(Enumerable.Range(1, 15).Reverse().Select(i => "HWID" + i)), catalog.Attributes.Select(a => a.Key));
        foreach (var member in catalog.Members)
        {
            AssertMemberMatchesItsFile(Folder("px4_drv"), member, member.Digest!, HashAlgorithmName.SHA1);
        }
    }

    [Fact]
    public void A_signed_PE_hashes_without_its_signature_and_checksum()
    {
        var signed = Path.Combine(Folder("signify"), "pciide.sys");
        using var temp = new TempDirectory("pe");
        var copy = temp.Write("pciide.sys", "");
        var bytes = File.ReadAllBytes(signed);
        var peOffset = BitConverter.ToInt32(bytes, 0x3C);
        var directory = peOffset + 24 + (BitConverter.ToUInt16(bytes, peOffset + 24) == 0x20B ? 144 : 128);
        var table = BitConverter.ToInt32(bytes, directory);
        Assert.True(BitConverter.ToInt32(bytes, directory + 4) > 0, "pciide.sys carries an embedded signature");

        // The checksum field and the signature's bytes are outside the hash; a byte of code is inside.
        bytes[peOffset + 88] ^= 0xFF;
        bytes[table + 100] ^= 0xFF;
        File.WriteAllBytes(copy, bytes);
        Assert.Equal(FileDigest.Compute(signed, HashAlgorithmName.SHA256).Digest, FileDigest.Compute(copy, HashAlgorithmName.SHA256).Digest);

        bytes[0x400] ^= 0xFF;
        File.WriteAllBytes(copy, bytes);
        Assert.NotEqual(FileDigest.Compute(signed, HashAlgorithmName.SHA256).Digest, FileDigest.Compute(copy, HashAlgorithmName.SHA256).Digest);
    }

    [Fact]
    public void A_PE_whose_certificate_table_points_outside_the_file_is_WDK3001()
    {
        using var temp = new TempDirectory("pe");
        var bytes = File.ReadAllBytes(Path.Combine(Folder("signify"), "pciide.sys"));
        var directory = BitConverter.ToInt32(bytes, 0x3C) + 24 + (BitConverter.ToUInt16(bytes, BitConverter.ToInt32(bytes, 0x3C) + 24) == 0x20B ? 144 : 128);
        BitConverter.GetBytes(0x7FFFFFF0).CopyTo(bytes, directory);
        var bogus = temp.Write("bogus.sys", "");
        File.WriteAllBytes(bogus, bytes);

        var error = Assert.Throws<WdkException>(() => FileDigest.Compute(bogus, HashAlgorithmName.SHA1));

        Assert.Equal("WDK3001", error.Diagnostic.Code);
        Assert.Equal(bogus, error.Diagnostic.File);
    }

    [Fact]
    public void Truncated_or_garbage_catalogs_are_WDK3003_never_a_crash()
    {
        var real = File.ReadAllBytes(Path.Combine(Folder("px4_drv"), "px4_drv_winusb.cat"));
        foreach (var truncated in new[] { Array.Empty<byte>(), new byte[] { 0x30 }, real[..100], real[..(real.Length / 2)], real[..^1] })
        {
            Assert.Equal("WDK3003", Assert.Throws<WdkException>(() => CatalogReader.Read(truncated, "x.cat")).Diagnostic.Code);
        }

        var random = new Random(7);
        var inputs = new List<byte[]>();
        for (var i = 0; i < 200; i++)
        {
            var mutated = (byte[])real.Clone();
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            inputs.Add(mutated);
        }

        foreach (var input in inputs)
        {
            try
            {
                CatalogReader.Read(input, "x.cat");
            }
            catch (WdkException e)
            {
                Assert.Equal("WDK3003", e.Diagnostic.Code);
            }
        }
    }
}
