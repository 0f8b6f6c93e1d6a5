using System.Security.Cryptography;
using WdkDriver.Core.CompoundFiles;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Tests.CompoundFiles;

/// <summary>
/// The compound file, the container of an .msi: what this project writes, read back by itself and by olefile (Debian's
/// python3-olefile, an implementation no one here wrote); deterministic; hostile files refused with WDK5041.
/// </summary>
public sealed class CompoundFileTests : IDisposable
{
    /// <summary>The class id Windows Installer gives a database's root storage.</summary>
    private static readonly Guid InstallerDatabase = new("000C1084-0000-0000-C000-000000000046");
    private readonly TempDirectory temp = new("cfb");

    public void Dispose() => temp.Dispose();

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Streams of every size class: empty, mini streams (one byte to just under 4096), regular ones.</summary>
    private static List<CompoundFileStream> Streams(params int[] extra) =>
        new[] { 0, 1, 63, 64, 65, 4095, 4096, 4097, 70000 }.Concat(extra)
            .Select((length, i) => new CompoundFileStream($"stream{i:D2}_{length}", Bytes(length, i)))
            .Append(new CompoundFileStream("\u0005SummaryInformation", Bytes(300, 99)))
            .ToList();

    [Fact]
    public void What_it_writes_it_reads_back_and_the_same_streams_give_the_same_bytes()
    {
        var streams = Streams();

        var written = CompoundFileWriter.Write(streams, InstallerDatabase);
        var read = CompoundFile.Read(written, "x.msi");

        Assert.Equal(InstallerDatabase, read.RootClassId);
        Assert.Equal(streams.Select(s => (s.Name, Convert.ToHexString(SHA256.HashData(s.Data)))).OrderBy(s => s.Name, StringComparer.Ordinal),
            read.Streams.Select(s => (s.Name, Convert.ToHexString(SHA256.HashData(s.Data)))).OrderBy(s => s.Name, StringComparer.Ordinal));
        Assert.Equal(written, CompoundFileWriter.Write(Enumerable.Reverse(streams).ToList(), InstallerDatabase));
    }

    [CompoundFileReaderTheory]
    [InlineData(0)]
    [InlineData(7_500_000)]
    public void Olefile_reads_every_stream_and_the_root_class_id(int large)
    {
        // 7.5 MB needs more than the header's 109 FAT sectors: the DIFAT is written too.
        var streams = large > 0 ? Streams(large) : Streams();
        var file = temp.Combine("written.cfb");
        File.WriteAllBytes(file, CompoundFileWriter.Write(streams, InstallerDatabase));
        var script = temp.Write("list.py", """
            import hashlib, sys, olefile
            ole = olefile.OleFileIO(sys.argv[1])
            print("clsid", ole.root.clsid)
            for entry in ole.listdir(streams=True, storages=False):
                name = "/".join(entry)
                print(name.encode("unicode_escape").decode("ascii"), hashlib.sha256(ole.openstream(entry).read()).hexdigest().upper())
            """);

        var (exitCode, output) = ToolProcess.Run(temp.Path, "/usr/bin/python3", new[] { script, file });

        Assert.True(exitCode == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("clsid 000C1084-0000-0000-C000-000000000046", lines[0].Trim());
        Assert.Equal(
            streams.Select(s => $"{s.Name.Replace("\u0005", "\\x05")} {Convert.ToHexString(SHA256.HashData(s.Data))}").Order(StringComparer.Ordinal),
            lines.Skip(1).Select(l => l.Trim()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a!b")]
    [InlineData("this-name-is-longer-than-31-chars")]
    public void A_name_a_compound_file_cannot_hold_is_WDK5040(string name)
    {
        var error = Assert.Throws<WdkException>(() => CompoundFileWriter.Write(new[] { new CompoundFileStream(name, new byte[1]) }, Guid.Empty));

        Assert.Equal("WDK5040", error.Diagnostic.Code);
    }

    [Fact]
    public void Two_names_that_differ_only_in_case_are_WDK5040()
    {
        var error = Assert.Throws<WdkException>(() => CompoundFileWriter.Write(new[] { new CompoundFileStream("Binary", new byte[1]), new CompoundFileStream("BINARY", new byte[1]) }, Guid.Empty));

        Assert.Equal("WDK5040", error.Diagnostic.Code);
    }

    [Fact]
    public void Damaged_and_hostile_files_are_WDK5041_never_a_crash()
    {
        var written = CompoundFileWriter.Write(Streams(), InstallerDatabase);
        var random = new Random(20261203);
        var rejected = 0;
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])written.Clone();
            if (i % 10 == 0)
            {
                bytes = bytes.AsSpan(0, random.Next(bytes.Length)).ToArray();
            }
            else
            {
                for (var n = random.Next(1, 8); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }
            }

            try
            {
                CompoundFile.Read(bytes, "fuzz.msi");
            }
            catch (WdkException e) when (e.Diagnostic.Code == "WDK5041")
            {
                rejected++;
            }
        }

        Assert.True(rejected > 300, $"{rejected} of 3000 damaged files were refused");
        // A FAT that loops back on itself.
        var loop = (byte[])written.Clone();
        var directorySector = BitConverter.ToInt32(loop, 0x30);
        var fatSector = BitConverter.ToInt32(loop, 0x4C);
        BitConverter.GetBytes(directorySector).CopyTo(loop, 512 + fatSector * 512 + directorySector * 4);
        Assert.Equal("WDK5041", Assert.Throws<WdkException>(() => CompoundFile.Read(loop, "loop.msi")).Diagnostic.Code);
    }
}
