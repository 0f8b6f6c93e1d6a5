using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;
using static WdkDriver.Core.CompoundFiles.CompoundFileLayout;

namespace WdkDriver.Core.CompoundFiles;

/// <summary>
/// A compound file read whole (an .msi): its root storage's class id and the streams at its root, version 3 or 4.
/// Every chain, count and offset is checked against the file, so a hostile file is WDK5041, never a crash, a loop or
/// a read outside it. Storages below the root (an embedded transform) are not read.
/// </summary>
public sealed class CompoundFile
{
    private CompoundFile(Guid rootClassId, uint rootStateBits, IReadOnlyList<CompoundFileStream> streams, bool hasStorages)
    {
        RootClassId = rootClassId;
        RootStateBits = rootStateBits;
        Streams = streams;
        HasStorages = hasStorages;
    }

    public Guid RootClassId { get; }

    /// <summary>The root entry's state bits, as stored.</summary>
    public uint RootStateBits { get; }

    /// <summary>Whether the root holds storages (not read), besides its streams.</summary>
    public bool HasStorages { get; }

    /// <summary>The root's streams, in the directory's order.</summary>
    public IReadOnlyList<CompoundFileStream> Streams { get; }

    public static CompoundFile Read(string path)
    {
        return Read(FileBytes.Read(path, "the compound file"), path);
    }

    /// <summary>Whether the file starts as a compound file does.</summary>
    public static bool IsCompoundFile(string path)
    {
        using var stream = File.OpenRead(path);
        var magic = new byte[8];
        return stream.Read(magic, 0, 8) == 8 && magic.AsSpan().SequenceEqual(Signature);
    }

    /// <param name="path">For messages only.</param>
    public static CompoundFile Read(byte[] bytes, string path)
    {
        var reader = new Reader(bytes, path);
        return reader.Read();
    }

    private sealed class Reader
    {
        private readonly byte[] bytes;
        private readonly string path;
        private int sectorSize;
        private int sectorCount;
        private uint[] fat = Array.Empty<uint>();

        public Reader(byte[] bytes, string path)
        {
            this.bytes = bytes;
            this.path = path;
        }

        public CompoundFile Read()
        {
            if (bytes.Length < HeaderSize || !bytes.AsSpan(0, 8).SequenceEqual(Signature))
            {
                throw Malformed("it does not start with a compound file's signature");
            }

            var major = U16(0x1A);
            var shift = U16(0x1E);
            if (U16(0x1C) != 0xFFFE || !((major == 3 && shift == 9) || (major == 4 && shift == 12)) || U16(0x20) != 6 || U32(0x38) != MiniStreamCutoff)
            {
                throw Malformed("its header gives a version, byte order or sector size Windows Installer does not write");
            }

            sectorSize = 1 << shift;
            sectorCount = (int)Math.Min(int.MaxValue / sectorSize, (bytes.Length - sectorSize + sectorSize - 1L) / sectorSize);
            if (sectorCount <= 0)
            {
                throw Malformed("it has no sectors");
            }

            ReadFat(U32(0x2C), U32(0x44), U32(0x48));
            var directory = ReadChain(U32(0x30), int.MaxValue);
            var entryCount = directory.Length / DirectoryEntrySize;
            if (entryCount == 0 || directory[0x42] != RootEntry)
            {
                throw Malformed("its first directory entry is not the root");
            }

            var root = directory.AsSpan(0, DirectoryEntrySize);
            var rootClassId = new Guid(root.Slice(0x50, 16).ToArray());
            var miniStream = ReadChain(U32(root, 0x74), checked((int)Math.Min(int.MaxValue, U64(root, 0x78))));
            var miniFatBytes = U32(0x40) == 0 ? Array.Empty<byte>() : ReadChain(U32(0x3C), int.MaxValue);
            var miniFat = Words(miniFatBytes);

            var streams = new List<CompoundFileStream>();
            var storages = false;
            var seen = new HashSet<uint>();
            var pending = new Stack<uint>();
            pending.Push(U32(root, 0x4C));
            while (pending.Count > 0)
            {
                var id = pending.Pop();
                if (id == NoStream)
                {
                    continue;
                }

                if (id >= entryCount || !seen.Add(id))
                {
                    throw Malformed($"its directory's sibling tree names entry {id} out of place");
                }

                var entry = directory.AsSpan((int)id * DirectoryEntrySize, DirectoryEntrySize);
                pending.Push(U32(entry, 0x44));
                pending.Push(U32(entry, 0x48));
                if (entry[0x42] != StreamEntry)
                {
                    storages |= entry[0x42] == StorageEntry;
                    continue;
                }

                var nameLength = U16(entry, 0x40);
                if (nameLength is < 2 or > 64 || nameLength % 2 != 0)
                {
                    throw Malformed($"directory entry {id} has a name length of {nameLength}");
                }

                var name = Encoding.Unicode.GetString(entry.Slice(0, nameLength - 2).ToArray());
                var size = U64(entry, 0x78);
                if (major == 3)
                {
                    size &= 0xFFFFFFFF;
                }

                if (size > (ulong)bytes.Length)
                {
                    throw Malformed($"the stream '{name}' claims {size} bytes, more than the file holds");
                }

                var data = size == 0 ? Array.Empty<byte>()
                    : size < MiniStreamCutoff ? ReadMiniChain(miniStream, miniFat, U32(entry, 0x74), (int)size, name)
                    : ReadChain(U32(entry, 0x74), (int)size);
                streams.Add(new CompoundFileStream(name, data) { StateBits = U32(entry, 0x60), Created = U64(entry, 0x64), Modified = U64(entry, 0x6C) });
            }

            return new CompoundFile(rootClassId, U32(root, 0x60), streams.OrderBy(s => s.Name, Comparer<string>.Create(Compare)).ToList(), storages);
        }

        private void ReadFat(uint fatSectors, uint difatStart, uint difatSectors)
        {
            if (fatSectors > sectorCount || difatSectors > sectorCount)
            {
                throw Malformed($"its header counts {fatSectors} FAT sectors in a file of {sectorCount}");
            }

            var locations = new List<uint>();
            for (var i = 0; i < HeaderFatSlots && locations.Count < fatSectors; i++)
            {
                locations.Add(U32(0x4C + i * 4));
            }

            var difat = difatStart;
            var perSector = sectorSize / 4 - 1;
            for (var d = 0; d < difatSectors && locations.Count < fatSectors; d++)
            {
                var offset = SectorOffset(difat);
                for (var slot = 0; slot < perSector && locations.Count < fatSectors; slot++)
                {
                    locations.Add(U32(offset + slot * 4));
                }

                difat = U32(offset + perSector * 4);
            }

            if (locations.Count != fatSectors)
            {
                throw Malformed("its FAT is not where its header and DIFAT say");
            }

            fat = locations.SelectMany(l => Words(WholeSector(l))).ToArray();
        }

        /// <summary>A chain of regular sectors from <paramref name="start"/>, cut to <paramref name="length"/> bytes; a loop or a sector outside the file is malformed.</summary>
        private byte[] ReadChain(uint start, int length)
        {
            var output = new MemoryStream();
            var visited = new HashSet<uint>();
            for (var sector = start; sector != EndOfChain && output.Length < length;)
            {
                if (sector >= fat.Length || sector >= sectorCount || !visited.Add(sector))
                {
                    throw Malformed($"a sector chain runs to sector {sector}, outside the file or back on itself");
                }

                output.Write(bytes, SectorOffset(sector), Math.Min(sectorSize, bytes.Length - SectorOffset(sector)));
                sector = fat[sector];
            }

            if (length != int.MaxValue && output.Length < length)
            {
                throw Malformed($"a sector chain ends after {output.Length} of its {length} bytes");
            }

            return length == int.MaxValue ? output.ToArray() : output.ToArray().AsSpan(0, length).ToArray();
        }

        private byte[] ReadMiniChain(byte[] miniStream, uint[] miniFat, uint start, int length, string name)
        {
            var output = new byte[length];
            var visited = new HashSet<uint>();
            var sector = start;
            for (var written = 0; written < length; written += MiniSectorSize)
            {
                var offset = (long)sector * MiniSectorSize;
                if (sector >= miniFat.Length || offset + Math.Min(MiniSectorSize, length - written) > miniStream.Length || !visited.Add(sector))
                {
                    throw Malformed($"the stream '{name}' runs to mini sector {sector}, outside the mini stream or back on itself");
                }

                Array.Copy(miniStream, offset, output, written, Math.Min(MiniSectorSize, length - written));
                sector = miniFat[sector];
            }

            return output;
        }

        private byte[] WholeSector(uint sector)
        {
            var offset = SectorOffset(sector);
            return offset + sectorSize <= bytes.Length ? bytes.AsSpan(offset, sectorSize).ToArray() : throw Malformed($"sector {sector} is cut short");
        }

        private int SectorOffset(uint sector)
        {
            if (sector >= sectorCount)
            {
                throw Malformed($"sector {sector} is outside the file");
            }

            return (int)((sector + 1L) * sectorSize);
        }

        private static uint[] Words(byte[] data)
        {
            var words = new uint[data.Length / 4];
            for (var i = 0; i < words.Length; i++)
            {
                words[i] = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(i * 4));
            }

            return words;
        }

        private ushort U16(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset));

        private uint U32(int offset) => offset + 4 <= bytes.Length ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)) : throw Malformed("it ends inside a sector");

        private static ushort U16(ReadOnlySpan<byte> entry, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(entry.Slice(offset));

        private static uint U32(ReadOnlySpan<byte> entry, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(offset));

        private static ulong U64(ReadOnlySpan<byte> entry, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(offset));

        private WdkException Malformed(string why) =>
            new(Diagnostic.Error(ErrorCodes.CompoundFileMalformed, $"This is not a well-formed compound file (.msi): {why}.", path));
    }
}
