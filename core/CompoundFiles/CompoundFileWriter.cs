using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using WdkDriver.Core.Diagnostics;
using static WdkDriver.Core.CompoundFiles.CompoundFileLayout;

namespace WdkDriver.Core.CompoundFiles;

/// <summary>
/// A stream of a compound file's root storage, and its directory entry's state bits and times as read (the writer
/// writes them zero): an installer signature's MsiDigitalSignatureEx covers them.
/// </summary>
public sealed record CompoundFileStream(string Name, byte[] Data)
{
    public uint StateBits { get; init; }

    /// <summary>The entry's creation and modification FILETIMEs, as stored.</summary>
    public ulong Created { get; init; }

    public ulong Modified { get; init; }
}

/// <summary>
/// Writes a compound file (the container of an .msi) holding streams at its root, as version 3: the same streams give
/// the same bytes. Layout: the large streams in name order, the mini stream (streams under 4096 bytes, in 64-byte
/// mini sectors), the MiniFAT, the directory, the FAT, the DIFAT; times, state bits and padding zero; the directory's
/// siblings a balanced red-black tree.
/// </summary>
public static class CompoundFileWriter
{
    public static byte[] Write(IReadOnlyList<CompoundFileStream> streams, Guid rootClassId)
    {
        var ordered = Check(streams);
        var fat = new List<uint>();
        uint Chain(int sectors)
        {
            if (sectors == 0)
            {
                return EndOfChain;
            }

            var first = (uint)fat.Count;
            for (var i = 0; i < sectors; i++)
            {
                fat.Add(i == sectors - 1 ? EndOfChain : (uint)fat.Count + 1);
            }

            return first;
        }

        var starts = new uint[ordered.Count];
        var miniFat = new List<uint>();
        foreach (var (stream, index) in ordered.Select((s, i) => (s, i)))
        {
            if (stream.Data.Length >= MiniStreamCutoff)
            {
                starts[index] = Chain(Sectors(stream.Data.Length, SectorSize));
            }
        }

        foreach (var (stream, index) in ordered.Select((s, i) => (s, i)))
        {
            var miniSectors = Sectors(stream.Data.Length, MiniSectorSize);
            if (stream.Data.Length >= MiniStreamCutoff || miniSectors == 0)
            {
                starts[index] = stream.Data.Length == 0 ? EndOfChain : starts[index];
                continue;
            }

            starts[index] = (uint)miniFat.Count;
            for (var i = 0; i < miniSectors; i++)
            {
                miniFat.Add(i == miniSectors - 1 ? EndOfChain : (uint)miniFat.Count + 1);
            }
        }

        var miniStreamSize = miniFat.Count * MiniSectorSize;
        var miniStreamStart = Chain(Sectors(miniStreamSize, SectorSize));
        var miniFatStart = Chain(Sectors(miniFat.Count * 4, SectorSize));
        var directoryStart = Chain(Sectors((ordered.Count + 1) * DirectoryEntrySize, SectorSize));

        // The FAT covers its own sectors and the DIFAT's: their counts to a fixed point.
        var dataSectors = fat.Count;
        int fatSectors = 1, difatSectors = 0;
        while (true)
        {
            difatSectors = fatSectors > HeaderFatSlots ? Sectors(fatSectors - HeaderFatSlots, 127) : 0;
            var needed = Sectors((dataSectors + fatSectors + difatSectors) * 4, SectorSize);
            if (needed == fatSectors)
            {
                break;
            }

            fatSectors = needed;
        }

        for (var i = 0; i < fatSectors; i++)
        {
            fat.Add(FatSector);
        }

        for (var i = 0; i < difatSectors; i++)
        {
            fat.Add(DifatSector);
        }

        var totalSectors = fat.Count;
        var output = new byte[HeaderSize + totalSectors * SectorSize];
        var fatStart = dataSectors;
        var difatStart = dataSectors + fatSectors;

        WriteHeader(output, fatSectors, directoryStart, miniFatStart, Sectors(miniFat.Count * 4, SectorSize), difatSectors == 0 ? EndOfChain : (uint)difatStart, difatSectors, fatStart);

        foreach (var (stream, index) in ordered.Select((s, i) => (s, i)))
        {
            if (stream.Data.Length >= MiniStreamCutoff)
            {
                stream.Data.CopyTo(output, Offset(starts[index]));
            }
            else if (stream.Data.Length > 0)
            {
                // The mini stream's sectors are consecutive, so a mini sector's place is a plain offset.
                stream.Data.CopyTo(output, Offset(miniStreamStart) + (int)starts[index] * MiniSectorSize);
            }
        }

        for (var i = 0; i < miniFat.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(Offset(miniFatStart) + i * 4), miniFat[i]);
        }

        FillUnused(output, Offset(miniFatStart) + miniFat.Count * 4, Sectors(miniFat.Count * 4, SectorSize) * SectorSize - miniFat.Count * 4);
        WriteDirectory(output.AsSpan(Offset(directoryStart)), ordered, starts, miniStreamStart, miniStreamSize, rootClassId);

        var fatBytes = new byte[fatSectors * SectorSize];
        fatBytes.AsSpan().Fill(0xFF);
        for (var i = 0; i < fat.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(fatBytes.AsSpan(i * 4), fat[i]);
        }

        fatBytes.CopyTo(output, Offset((uint)fatStart));
        WriteDifat(output, fatStart, fatSectors, difatStart, difatSectors);
        return output;
    }

    private static List<CompoundFileStream> Check(IReadOnlyList<CompoundFileStream> streams)
    {
        foreach (var stream in streams)
        {
            if (stream.Name.Length is 0 or > 31 || stream.Name.IndexOfAny(new[] { '/', '\\', ':', '!' }) >= 0)
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.CompoundFileInputInvalid, $"'{stream.Name}' cannot name a stream of a compound file: 1 to 31 characters, none of / \\ : !."));
            }
        }

        var ordered = streams.OrderBy(s => s.Name, Comparer<string>.Create(Compare)).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (Compare(ordered[i - 1].Name, ordered[i].Name) == 0)
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.CompoundFileInputInvalid, $"Two streams are named '{ordered[i - 1].Name}' and '{ordered[i].Name}': a compound file compares names without case."));
            }
        }

        return ordered;
    }

    private static int Sectors(int bytes, int size) => (bytes + size - 1) / size;

    private static int Offset(uint sector) => HeaderSize + (int)sector * SectorSize;

    private static void FillUnused(byte[] output, int offset, int length) => output.AsSpan(offset, length).Fill(0xFF);

    private static void WriteHeader(byte[] output, int fatSectors, uint directoryStart, uint miniFatStart, int miniFatSectors, uint difatStart, int difatSectors, int fatStart)
    {
        var header = output.AsSpan(0, HeaderSize);
        Signature.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(0x18), 0x003E);
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(0x1A), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(0x1C), 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(0x1E), 9);
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(0x20), 6);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(0x2C), (uint)fatSectors);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(0x30), directoryStart);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(0x38), MiniStreamCutoff);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(0x3C), miniFatSectors == 0 ? EndOfChain : miniFatStart);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(0x40), (uint)miniFatSectors);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(0x44), difatStart);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(0x48), (uint)difatSectors);
        for (var i = 0; i < HeaderFatSlots; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(0x4C + i * 4), i < fatSectors ? (uint)(fatStart + i) : FreeSector);
        }
    }

    /// <summary>The FAT's sectors past the header's 109: 127 to a DIFAT sector, then the next DIFAT sector.</summary>
    private static void WriteDifat(byte[] output, int fatStart, int fatSectors, int difatStart, int difatSectors)
    {
        for (var d = 0; d < difatSectors; d++)
        {
            var sector = output.AsSpan(Offset((uint)(difatStart + d)), SectorSize);
            sector.Fill(0xFF);
            for (var slot = 0; slot < 127; slot++)
            {
                var fatIndex = HeaderFatSlots + d * 127 + slot;
                if (fatIndex < fatSectors)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(sector.Slice(slot * 4), (uint)(fatStart + fatIndex));
                }
            }

            BinaryPrimitives.WriteUInt32LittleEndian(sector.Slice(127 * 4), d == difatSectors - 1 ? EndOfChain : (uint)(difatStart + d + 1));
        }
    }

    private static void WriteDirectory(Span<byte> directory, IReadOnlyList<CompoundFileStream> ordered, uint[] starts, uint miniStreamStart, int miniStreamSize, Guid rootClassId)
    {
        var count = ordered.Count + 1;
        var entries = (count + 3) / 4 * 4;
        var left = new uint[count];
        var right = new uint[count];
        var colour = new byte[count];
        left.AsSpan().Fill(NoStream);
        right.AsSpan().Fill(NoStream);
        var depth = ordered.Count == 0 ? 0 : (int)Math.Floor(Math.Log(ordered.Count, 2));
        var perfect = ordered.Count == (1 << (depth + 1)) - 1;

        // A balanced search tree of the streams (entries 1..n, sorted): the middle at the top, the deepest level red
        // when it is not full, the rest black, so that every path has as many black nodes.
        uint Build(int low, int high, int level)
        {
            if (low > high)
            {
                return NoStream;
            }

            var middle = (low + high + 1) / 2;
            var entry = (uint)(middle + 1);
            left[entry] = Build(low, middle - 1, level + 1);
            right[entry] = Build(middle + 1, high, level + 1);
            colour[entry] = level == depth && !perfect ? Red : Black;
            return entry;
        }

        var top = Build(0, ordered.Count - 1, 0);
        for (var i = 0; i < entries; i++)
        {
            var entry = directory.Slice(i * DirectoryEntrySize, DirectoryEntrySize);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(0x44), NoStream);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(0x48), NoStream);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(0x4C), NoStream);
            if (i >= count)
            {
                continue;
            }

            var name = i == 0 ? "Root Entry" : ordered[i - 1].Name;
            Encoding.Unicode.GetBytes(name).CopyTo(entry);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.Slice(0x40), (ushort)((name.Length + 1) * 2));
            entry[0x42] = i == 0 ? RootEntry : StreamEntry;
            entry[0x43] = i == 0 ? Black : colour[i];
            if (i == 0)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(0x4C), top);
                rootClassId.ToByteArray().CopyTo(entry.Slice(0x50));
                BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(0x74), miniStreamSize == 0 ? EndOfChain : miniStreamStart);
                BinaryPrimitives.WriteUInt64LittleEndian(entry.Slice(0x78), (ulong)miniStreamSize);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(0x44), left[i]);
                BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(0x48), right[i]);
                BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(0x74), starts[i - 1]);
                BinaryPrimitives.WriteUInt64LittleEndian(entry.Slice(0x78), (ulong)ordered[i - 1].Data.Length);
            }
        }
    }
}
