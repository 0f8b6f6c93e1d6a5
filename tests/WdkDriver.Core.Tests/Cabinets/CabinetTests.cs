using System.Security.Cryptography;
using System.Text;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Tests.Cabinets;

/// <summary>
/// Our cabinets against gcab and cabextract, the independent implementations: they read ours byte for byte, and we
/// read theirs; the awkward cases (blocks across files, an empty file, exactly 32 KiB, incompressible data, UTF-8
/// names) are in every set. Hostile cabinets never write outside the target folder.
/// </summary>
public class CabinetTests : IDisposable
{
    private static readonly DateTime Time = new(2026, 11, 30, 12, 34, 56);
    private readonly TempDirectory temp = new("cab");

    public void Dispose() => temp.Dispose();

    /// <summary>The awkward files, under <paramref name="folder"/>: their relative names and contents.</summary>
    private Dictionary<string, byte[]> MakeFiles(string folder)
    {
        var random = new Random(15);
        byte[] Random(int n)
        {
            var bytes = new byte[n];
            random.NextBytes(bytes);
            return bytes;
        }

        var files = new Dictionary<string, byte[]>
        {
            ["Pkg/driver.inf"] = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 4000).Select(i => $"HKR,,Value{i},,{i}\r\n"))),
            ["Pkg/empty.txt"] = Array.Empty<byte>(),
            ["Pkg/exact.bin"] = Enumerable.Repeat((byte)0x5A, 32768).ToArray(),
            ["Pkg/noise.sys"] = Random(100_003),
            ["Pkg/nämé-ü.txt"] = Encoding.UTF8.GetBytes("UTF-8 name"),
            ["Pkg/sub/small.pdb"] = Random(17),
        };
        foreach (var (name, bytes) in files)
        {
            var path = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }

        return files;
    }

    private static List<CabinetSource> Sources(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Select(f => new CabinetSource(Path.GetRelativePath(folder, f), f)).ToList();

    private static void AssertSameFiles(Dictionary<string, byte[]> expected, string folder)
    {
        var actual = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual);
        Assert.All(expected, pair => Assert.Equal(pair.Value, File.ReadAllBytes(Path.Combine(folder, pair.Key))));
    }

    [CabToolsFact]
    public void Gcab_and_cabextract_read_our_cabinets_byte_for_byte()
    {
        var files = MakeFiles(temp.Combine("in"));
        foreach (var compression in new[] { CabinetCompression.MsZip, CabinetCompression.None })
        {
            var cab = temp.Combine($"ours-{compression}.cab");
            CabinetWriter.Write(cab, Sources(temp.Combine("in")), compression, Time);

            ToolProcess.Succeed(temp.Path, "gcab", "-x", "-C", temp.Combine($"gcab-{compression}"), cab);
            AssertSameFiles(files, temp.Combine($"gcab-{compression}"));
            ToolProcess.Succeed(temp.Path, "cabextract", "-q", "-d", temp.Combine($"cabextract-{compression}"), cab);
            AssertSameFiles(files, temp.Combine($"cabextract-{compression}"));
            var (_, test) = ToolProcess.Run(temp.Path, "cabextract", new[] { "-t", cab });
            Assert.Contains("All done, no errors.", test);
        }
    }

    [CabToolsFact]
    public void We_read_gcabs_cabinets_byte_for_byte()
    {
        var files = MakeFiles(temp.Combine("in"));
        foreach (var compress in new[] { true, false })
        {
            var cab = temp.Combine($"gcab-{compress}.cab");
            var arguments = new List<string> { "-c", "--nopath" }.Concat(compress ? new[] { "-z" } : Array.Empty<string>()).Append(cab);
            ToolProcess.Succeed(temp.Combine("in", "Pkg"), "gcab", arguments.Concat(files.Keys.Select(k => k.Substring("Pkg/".Length))).ToArray());

            using var cabinet = Cabinet.Open(cab);
            cabinet.ExtractTo(temp.Combine($"ours-{compress}"));

            AssertSameFiles(files.ToDictionary(p => Path.GetFileName(p.Key), p => p.Value), temp.Combine($"ours-{compress}"));
        }
    }

    [Fact]
    public void The_same_files_give_the_same_bytes_whatever_order_or_separator_they_come_in()
    {
        MakeFiles(temp.Combine("in"));
        var sources = Sources(temp.Combine("in"));
        var reversed = sources.AsEnumerable().Reverse().Select(s => s with { Name = s.Name.Replace('\\', '/') }).ToList();

        CabinetWriter.Write(temp.Combine("a.cab"), sources, CabinetCompression.MsZip, Time);
        CabinetWriter.Write(temp.Combine("b.cab"), reversed, CabinetCompression.MsZip, Time);

        Assert.Equal(File.ReadAllBytes(temp.Combine("a.cab")), File.ReadAllBytes(temp.Combine("b.cab")));
        using var cabinet = Cabinet.Open(temp.Combine("a.cab"));
        Assert.Equal(cabinet.Entries.Select(e => e.Name).Order(StringComparer.Ordinal), cabinet.Entries.Select(e => e.Name));
        Assert.All(cabinet.Entries, e => Assert.Equal(new DateTime(2026, 11, 30, 12, 34, 56), e.Time));
        Assert.All(cabinet.Entries, e => Assert.Contains('\\', e.Name));
        Assert.Equal(0x20 | 0x80, cabinet.Entries.Single(e => e.Name.Contains("nämé")).Attributes);
        Assert.Null(cabinet.Signature);
    }

    [Fact]
    public void The_cabinet_is_the_same_bytes_compressed_on_one_core_as_on_eight()
    {
        // Several batches of 64 blocks, compressible and not, so that blocks really are compressed side by side.
        var noise = new byte[5 << 20];
        new Random(5).NextBytes(noise);
        File.WriteAllBytes(temp.Write("par/Driver/noise.bin", ""), noise);
        temp.Write("par/Driver/text.inf", string.Concat(Enumerable.Range(0, 300_000).Select(i => $"line {i % 977}\r\n")));
        var sources = Sources(temp.Combine("par"));

        var one = new MemoryStream();
        var eight = new MemoryStream();
        CabinetWriter.Write(one, sources, CabinetCompression.MsZip, Time, maxParallelism: 1);
        CabinetWriter.Write(eight, sources, CabinetCompression.MsZip, Time, maxParallelism: 8);

        Assert.True(one.Length > 5 << 20);
        Assert.Equal(one.ToArray(), eight.ToArray());
    }

    [Fact]
    public void Many_small_files_sharing_blocks_come_back_byte_for_byte()
    {
        var files = Enumerable.Range(0, 3000).ToDictionary(i => $"Pkg/f{i:D4}.bin", i => Enumerable.Range(0, i % 97).Select(j => (byte)(i * 31 + j)).ToArray());
        foreach (var (name, bytes) in files)
        {
            temp.Write("many/" + name, "");
            File.WriteAllBytes(temp.Combine("many", name), bytes);
        }

        CabinetWriter.Write(temp.Combine("many.cab"), Sources(temp.Combine("many")), CabinetCompression.MsZip, Time);
        using var cabinet = Cabinet.Open(temp.Combine("many.cab"));
        cabinet.ExtractTo(temp.Combine("out"));

        AssertSameFiles(files, temp.Combine("out"));
    }

    [Fact]
    public void A_block_referring_to_the_previous_blocks_history_is_decoded_as_makecab_writes_it()
    {
        // makecab keeps the deflate window across blocks; this folder is written that way by hand: block 2 repeats
        // block 1 with one back-reference 32 KiB long, which only decodes with block 1 as history.
        var first = new byte[32768];
        new Random(7).NextBytes(first);
        var blocks = new[] { Stored(first), BackReference(32768, 32768) };
        var cab = temp.Write("history.cab", "");
        File.WriteAllBytes(cab, HandMade(blocks, new[] { ("a.bin", 65536L) }));

        using var cabinet = Cabinet.Open(cab);
        cabinet.ExtractTo(temp.Combine("out"));

        Assert.Equal(first.Concat(first).ToArray(), File.ReadAllBytes(temp.Combine("out", "a.bin")));
    }

    [Theory]
    [InlineData("..\\evil.txt")]
    [InlineData("Pkg\\..\\..\\evil.txt")]
    [InlineData("\\etc\\evil.txt")]
    [InlineData("C:\\evil.txt")]
    [InlineData("Pkg\\CON.txt")]
    [InlineData("Pkg\\nul")]
    [InlineData("Pkg\\\\x.txt")]
    [InlineData("Pkg\\trailing.")]
    public void A_hostile_name_is_refused_and_nothing_is_extracted(string name)
    {
        var cab = temp.Write("hostile.cab", "");
        File.WriteAllBytes(cab, HandMade(new[] { Stored(Encoding.ASCII.GetBytes("owned")) }, new[] { ("ok.txt", 0L), (name, 5L) }));
        var target = temp.Combine("target");

        using var cabinet = Cabinet.Open(cab);
        var error = Assert.Throws<WdkException>(() => cabinet.ExtractTo(target));

        Assert.Equal(ErrorCodes.CabinetUnsafeName, error.Diagnostic.Code);
        Assert.False(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any());
        Assert.False(File.Exists(temp.Combine("evil.txt")));
    }

    [Fact]
    public void The_same_name_twice_in_any_case_is_refused()
    {
        var cab = temp.Write("twice.cab", "");
        File.WriteAllBytes(cab, HandMade(new[] { Stored(new byte[] { 1, 2 }) }, new[] { ("a.txt", 1L), ("A.TXT", 1L) }));

        using var cabinet = Cabinet.Open(cab);

        Assert.Equal(ErrorCodes.CabinetUnsafeName, Assert.Throws<WdkException>(() => cabinet.ExtractTo(temp.Combine("t"))).Diagnostic.Code);
    }

    [Fact]
    public void A_damaged_block_is_a_checksum_error_and_leaves_nothing_behind()
    {
        MakeFiles(temp.Combine("in"));
        var cab = temp.Combine("a.cab");
        CabinetWriter.Write(cab, Sources(temp.Combine("in")), CabinetCompression.MsZip, Time);
        var bytes = File.ReadAllBytes(cab);
        bytes[^100] ^= 0x40;
        File.WriteAllBytes(cab, bytes);

        using var cabinet = Cabinet.Open(cab);
        var error = Assert.Throws<WdkException>(() => cabinet.ExtractTo(temp.Combine("out")));

        Assert.Equal(ErrorCodes.CabinetChecksumMismatch, error.Diagnostic.Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Combine("out")));
    }

    [Theory]
    [InlineData(2, "Quantum")]
    [InlineData(3, "LZX")]
    public void LZX_and_Quantum_folders_are_a_coded_unsupported_compression(int type, string name)
    {
        var bytes = HandMade(new[] { Stored(new byte[] { 1 }) }, new[] { ("a.bin", 1L) });
        bytes[36 + 6] = (byte)type;
        var cab = temp.Write("lzx.cab", "");
        File.WriteAllBytes(cab, bytes);

        using var cabinet = Cabinet.Open(cab);
        var error = Assert.Throws<WdkException>(() => cabinet.Test());

        Assert.Equal(ErrorCodes.CabinetCompressionUnsupported, error.Diagnostic.Code);
        Assert.Contains(name, error.Diagnostic.Message);
        Assert.Equal("a.bin", Assert.Single(cabinet.Entries).Name);
    }

    [Theory]
    [InlineData("..\\x.sys")]
    [InlineData("")]
    [InlineData("a\\CON")]
    public void The_writer_refuses_names_no_reader_should_extract_and_writes_nothing(string name)
    {
        var file = temp.Write("x.sys", "x");
        var cab = temp.Combine("out.cab");

        var error = Assert.Throws<WdkException>(() => CabinetWriter.Write(cab, new[] { new CabinetSource(name, file) }, CabinetCompression.MsZip, Time));

        Assert.Equal(ErrorCodes.CabinetInputInvalid, error.Diagnostic.Code);
        Assert.False(File.Exists(cab));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    /// <summary>A stored deflate block inside an MSZIP payload, final.</summary>
    private static byte[] Stored(byte[] data) =>
        new byte[] { (byte)'C', (byte)'K', 1, (byte)data.Length, (byte)(data.Length >> 8), (byte)~data.Length, (byte)(~data.Length >> 8) }.Concat(data).ToArray();

    /// <summary>
    /// A fixed-Huffman deflate block copying <paramref name="length"/> bytes from <paramref name="distance"/> back,
    /// as 258-byte matches: the form makecab's blocks take when they refer to the previous block.
    /// </summary>
    private static byte[] BackReference(int distance, int length)
    {
        var bits = new BitWriter();
        bits.Write(1, 1); // BFINAL
        bits.Write(1, 2); // fixed Huffman
        var left = length;
        while (left > 0)
        {
            var run = Math.Min(258, left);
            if (left - run is > 0 and < 3)
            {
                run = left - 3;
            }

            WriteLength(bits, run);
            WriteDistance(bits, distance);
            left -= run;
        }

        bits.WriteHuffman(0, 7); // end of block (256)
        return new byte[] { (byte)'C', (byte)'K' }.Concat(bits.ToArray()).ToArray();
    }

    private static void WriteLength(BitWriter bits, int length)
    {
        int[] bases = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
        int[] extra = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
        var index = Array.FindLastIndex(bases, b => b <= length);
        var code = 257 + index;
        if (code <= 279)
        {
            bits.WriteHuffman(code - 256, 7);
        }
        else
        {
            bits.WriteHuffman(0xC0 + code - 280, 8);
        }

        bits.Write(length - bases[index], extra[index]);
    }

    private static void WriteDistance(BitWriter bits, int distance)
    {
        var index = 0;
        var start = 1;
        for (; index < 30; index++)
        {
            var extraBits = index < 4 ? 0 : index / 2 - 1;
            if (distance < start + (1 << extraBits))
            {
                break;
            }

            start += 1 << extraBits;
        }

        bits.WriteHuffman(index, 5);
        bits.Write(distance - start, index < 4 ? 0 : index / 2 - 1);
    }

    /// <summary>
    /// A one-folder MSZIP cabinet from payloads and file entries, with correct checksums (the writer's checksum, which
    /// gcab and cabextract check in the tests above).
    /// </summary>
    private static byte[] HandMade(byte[][] payloads, (string Name, long Size)[] files)
    {
        var names = files.Select(f => Encoding.UTF8.GetBytes(f.Name)).ToList();
        var dataAt = 36 + 8 + names.Sum(n => 16 + n.Length + 1);
        var output = new MemoryStream();
        var w = new BinaryWriter(output);
        w.Write(0x4643534D);
        w.Write(0);
        w.Write(0); // size, patched below
        w.Write(0);
        w.Write(36 + 8);
        w.Write(0);
        w.Write((byte)3);
        w.Write((byte)1);
        w.Write((ushort)1);
        w.Write((ushort)files.Length);
        w.Write((ushort)0);
        w.Write((ushort)0);
        w.Write((ushort)0);
        w.Write(dataAt);
        w.Write((ushort)payloads.Length);
        w.Write((ushort)1);
        long offset = 0;
        for (var i = 0; i < files.Length; i++)
        {
            w.Write((uint)files[i].Size);
            w.Write((uint)offset);
            w.Write((ushort)0);
            w.Write((ushort)0x5B7E);
            w.Write((ushort)0);
            w.Write((ushort)0x20);
            w.Write(names[i]);
            w.Write((byte)0);
            offset += files[i].Size;
        }

        var produced = 0L;
        foreach (var payload in payloads)
        {
            var uncompressed = (ushort)Math.Min(32768, offset - produced);
            produced += uncompressed;
            w.Write(CabinetFormat.Checksum(payload, 0, payload.Length, (ushort)payload.Length, uncompressed));
            w.Write((ushort)payload.Length);
            w.Write(uncompressed);
            w.Write(payload);
        }

        var bytes = output.ToArray();
        BitConverter.GetBytes(bytes.Length).CopyTo(bytes, 8);
        return bytes;
    }

    /// <summary>Deflate's bit order: values LSB first, Huffman codes MSB first.</summary>
    private sealed class BitWriter
    {
        private readonly List<byte> bytes = new();
        private int bit;

        public void Write(int value, int count)
        {
            for (var i = 0; i < count; i++)
            {
                Put((value >> i) & 1);
            }
        }

        public void WriteHuffman(int code, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                Put((code >> i) & 1);
            }
        }

        public byte[] ToArray() => bytes.ToArray();

        private void Put(int value)
        {
            if (bit == 0)
            {
                bytes.Add(0);
            }

            bytes[^1] |= (byte)(value << bit);
            bit = (bit + 1) & 7;
        }
    }
}
