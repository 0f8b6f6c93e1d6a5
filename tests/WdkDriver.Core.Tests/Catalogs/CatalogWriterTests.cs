using System.Formats.Asn1;
using System.Security.Cryptography;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Catalogs;

namespace WdkDriver.Core.Tests.Catalogs;

public class CatalogWriterTests
{
    private const string Px4Os = "7_X86,7_X64,Server2008R2_X64,8_X86,8_X64,Server8_X64,6_3_X86,6_3_X64,Server6_3_X64,10_X86,10_X64,Server10_X64,Server10_ARM64,10_RS5_X86,10_RS5_X64,10_RS5_ARM64,ServerRS5_X64,ServerRS5_ARM64";

    private static string Folder(string name) => Path.Combine(RepositoryPaths.Corpus, "catalogs", name);

    [Fact]
    public void The_px4_catalogs_trust_list_is_reproduced_byte_for_byte()
    {
        var os = OsTarget.ParseList(Px4Os);
        var contents = CatalogContents.Resolve(CatalogContents.FolderFiles(Folder("px4_drv")), os, DateTime.UtcNow);
        var request = new CatalogRequest(contents.Files, os, contents.HardwareIds, Convert.FromHexString("7093BC1462E86C41A5BEF3468CE1B2D6"),
            new DateTimeOffset(2025, 1, 10, 23, 15, 51, TimeSpan.Zero), Version: 1);

        var expected = CatalogReader.TrustList(File.ReadAllBytes(Path.Combine(Folder("px4_drv"), "px4_drv_winusb.cat")), "px4");

        Assert.Equal(15, contents.Files.Count);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(CatalogWriter.WriteTrustList(request)));
    }

    /// <summary>Each member of a real catalog as encoded bytes, with the reader's view of it.</summary>
    private static IEnumerable<(byte[] Encoded, CatalogMember Member)> RealMembers(string catalogPath)
    {
        var bytes = File.ReadAllBytes(catalogPath);
        var ctl = new AsnReader(CatalogReader.TrustList(bytes, catalogPath), AsnEncodingRules.DER).ReadSequence();
        ctl.ReadSequence();
        ctl.ReadOctetString();
        ctl.ReadUtcTime();
        ctl.ReadSequence();
        var subjects = ctl.ReadSequence();
        var read = CatalogReader.Read(catalogPath).Members;
        for (var i = 0; subjects.HasData; i++)
        {
            yield return (subjects.ReadEncodedValue().ToArray(), read[i]);
        }
    }

    private static string FileWithDigest(string folder, byte[] digest, HashAlgorithmName algorithm) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).First(f => !f.EndsWith(".cat") && FileDigest.Compute(f, algorithm).Digest.SequenceEqual(digest));

    [Fact]
    public void Every_v1_member_of_the_arduino_catalog_is_reproduced_byte_for_byte_from_its_file()
    {
        var folder = Folder("arduino-gemma");
        var members = RealMembers(Path.Combine(folder, "arduino_gemma.cat")).ToList();

        Assert.Contains(members, m => m.Member.IsPe == true);
        Assert.Contains(members, m => m.Member.IsPe == false);
        foreach (var (encoded, member) in members)
        {
            var file = new CatalogFile(FileWithDigest(folder, member.Digest!, HashAlgorithmName.SHA1), member.FileName!);

            var ours = Assert.Single(CatalogWriter.EncodeMembers(file, member.NameValues["OSAttr"], version: 1));

            Assert.Equal(Convert.ToHexString(encoded), Convert.ToHexString(ours.Encoded));
        }
    }

    /// <summary>The DER of one attribute (by OID) of an encoded member.</summary>
    private static string Attribute(byte[] member, string oid)
    {
        var subject = new AsnReader(member, AsnEncodingRules.DER).ReadSequence();
        subject.ReadOctetString();
        var attributes = subject.ReadSetOf();
        while (attributes.HasData)
        {
            var encoded = attributes.ReadEncodedValue().ToArray();
            if (new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier() == oid)
            {
                return Convert.ToHexString(encoded);
            }
        }

        return "(absent)";
    }

    [Theory]
    [InlineData("unsigned.js", false)]
    [InlineData("unsigned.mof", false)]
    [InlineData("unsigned.exe", true)]
    public void A_v2_SHA256_member_matches_makecats_indirect_data_member_info_and_digests(string name, bool isPe)
    {
        var folder = Path.Combine(Folder("osslsigncode-makecat"), "tests", "files");
        var real = RealMembers(Path.Combine(folder, "unsigned.cat")).Single(m => m.Member.FileName == name && m.Member.Digest is not null);

        // That catalog's definition file asked for page hashes, which only PE members carry.
        var ours = CatalogWriter.EncodeMembers(new CatalogFile(Path.Combine(folder, name), name), "2:10.0", version: 2, pageHashes: true);

        Assert.Equal(real.Member.Identifier, ours[0].Identifier);
        Assert.Equal(real.Member.IsPe, isPe);
        Assert.Equal(Attribute(real.Encoded, "1.3.6.1.4.1.311.2.1.4"), Attribute(ours[0].Encoded, "1.3.6.1.4.1.311.2.1.4"));
        Assert.Equal(Attribute(real.Encoded, "1.3.6.1.4.1.311.12.2.3"), Attribute(ours[0].Encoded, "1.3.6.1.4.1.311.12.2.3"));
        Assert.Equal(FileDigest.Compute(Path.Combine(folder, name), HashAlgorithmName.SHA1).Digest, ours[1].Identifier);
        Assert.Contains(CatalogReader.Read(Path.Combine(folder, "unsigned.cat")).Members, m => m.Identifier.SequenceEqual(ours[1].Identifier));

        // inf2cat's companion rule: File and OSAttr are copied to the SHA-1 member, the indirect data is not. (makecat's
        // definition file suppressed the copies, so there the companion has the member info alone.)
        Assert.Equal(Attribute(real.Encoded, "1.3.6.1.4.1.311.12.2.3"), Attribute(ours[1].Encoded, "1.3.6.1.4.1.311.12.2.3"));
        Assert.NotEqual("(absent)", Attribute(ours[1].Encoded, "1.3.6.1.4.1.311.12.2.1"));
        Assert.Equal("(absent)", Attribute(ours[1].Encoded, "1.3.6.1.4.1.311.2.1.4"));
        var companion = CatalogReader.Read(CatalogWriter.Write(new CatalogRequest(new[] { new CatalogFile(Path.Combine(folder, name), name) }, OsTarget.ParseList("10_X64"), Array.Empty<string>(), new byte[16], DateTimeOffset.UnixEpoch, 2, PageHashes: true)), "x.cat")
            .Members.Single(m => m.Identifier.SequenceEqual(ours[1].Identifier));
        Assert.Equal(name, companion.FileName);
        Assert.Equal("2:10.0", companion.NameValues["OSAttr"]);
    }
}
