using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.Cabinets;

public enum CabinetCompression
{
    /// <summary>Stored blocks (typeCompress 0).</summary>
    None = 0,

    /// <summary>MSZIP: "CK" and a raw deflate stream per 32 KiB block, as makecab writes for attestation.</summary>
    MsZip = 1,
}

/// <summary>A file to put into a cabinet: its name inside (relative, backslashes) and where its bytes are.</summary>
public sealed record CabinetSource(string Name, string Path);

/// <summary>
/// Writes one deterministic cabinet: one folder, files in ordinal order of their UTF-8 names, the folder stream cut
/// into 32 KiB blocks across file boundaries, each MSZIP block compressed on its own (no history from earlier blocks),
/// real checksums, one time for every file, attributes 0x20 (+0x80 for UTF-8 names), setID 0 and no reserve area
/// (signing adds it). The same files, time and runtime give the same bytes.
/// </summary>
public static class CabinetWriter
{
    /// <summary>Writes the cabinet atomically: the path holds the old file or the whole new one, never a part.</summary>
    public static void Write(string path, IReadOnlyList<CabinetSource> files, CabinetCompression compression, DateTime time) =>
        AtomicFile.Write(
            path,
            temporary =>
            {
                using var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
                Write(output, files, compression, time);
            },
            ErrorCodes.CabinetWriteFailed);

    /// <summary>Writes the cabinet to a seekable stream, from its current position.</summary>
    /// <param name="maxParallelism">Cores that compress blocks at once; -1: all. The bytes are the same for any value.</param>
    public static void Write(Stream output, IReadOnlyList<CabinetSource> files, CabinetCompression compression, DateTime time, int maxParallelism = -1)
    {
        var entries = Plan(files);
        var (date, clock) = CabinetFormat.DosDateTime(time);
        var start = output.Position;

        var headerSize = CabinetFormat.HeaderSize + CabinetFormat.FolderSize + entries.Sum(e => CabinetFormat.FileHeaderSize + e.Name.Length + 1);
        output.Write(new byte[headerSize], 0, headerSize);

        using var writer = new BinaryWriter(output, CabinetFormat.Utf8, leaveOpen: true);
        var blocks = WriteBlocks(writer, entries, compression, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism });
        var end = output.Position;
        if (end - start > int.MaxValue)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CabinetInputInvalid, $"The cabinet would be {end - start} bytes; a cabinet holds at most 2 GiB."));
        }

        output.Position = start;
        writer.Write(CabinetFormat.Signature);
        writer.Write((uint)0);
        writer.Write((uint)(end - start));
        writer.Write((uint)0);
        writer.Write((uint)(CabinetFormat.HeaderSize + CabinetFormat.FolderSize));
        writer.Write((uint)0);
        writer.Write((byte)3);
        writer.Write((byte)1);
        writer.Write((ushort)1);
        writer.Write((ushort)entries.Count);
        writer.Write((ushort)0); // flags: no reserve until signed
        writer.Write((ushort)0); // setID
        writer.Write((ushort)0); // iCabinet

        writer.Write((uint)headerSize);
        writer.Write((ushort)blocks);
        writer.Write((ushort)compression);

        long offset = 0;
        foreach (var entry in entries)
        {
            writer.Write((uint)entry.Size);
            writer.Write((uint)offset);
            writer.Write((ushort)0);
            writer.Write(date);
            writer.Write(clock);
            writer.Write(entry.Name.Any(b => b > 0x7F) ? (ushort)(CabinetFormat.AttributeArchive | CabinetFormat.AttributeNameIsUtf8) : CabinetFormat.AttributeArchive);
            writer.Write(entry.Name);
            writer.Write((byte)0);
            offset += entry.Size;
        }

        writer.Flush();
        output.Position = end;
    }

    private sealed record Entry(byte[] Name, string Path, long Size);

    /// <summary>Checks names and sizes before anything is written, and sorts the files.</summary>
    private static List<Entry> Plan(IReadOnlyList<CabinetSource> files)
    {
        if (files.Count == 0 || files.Count > ushort.MaxValue)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CabinetInputInvalid, $"A cabinet holds 1 to 65535 files; {files.Count} were given."));
        }

        var entries = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            if (CabinetNames.Problem(file.Name, out var name) is { } problem)
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.CabinetInputInvalid, $"'{file.Name}' cannot be a name in a cabinet: it has {problem}.", file.Path));
            }

            if (!seen.Add(name))
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.CabinetInputInvalid, $"'{name}' is in the cabinet twice (names are compared as Windows does, ignoring case).", file.Path));
            }

            FileInfo info;
            try
            {
                info = new FileInfo(file.Path);
                _ = info.Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.CabinetInputInvalid, $"Cannot read '{file.Path}' for the cabinet: {e.Message}", file.Path), e);
            }

            entries.Add(new Entry(CabinetFormat.Utf8.GetBytes(name), file.Path, info.Length));
        }

        if (entries.Sum(e => e.Size) > CabinetFormat.MaxFolderSize)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CabinetInputInvalid, $"The files add up to {entries.Sum(e => e.Size)} bytes; a cabinet folder holds at most {CabinetFormat.MaxFolderSize}."));
        }

        entries.Sort((a, b) => CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    /// <summary>Blocks read and compressed together: the cores share a batch, and memory stays bounded (2 MiB of input).</summary>
    private const int BatchBlocks = 64;

#if NETFRAMEWORK
    private const CompressionLevel Level = CompressionLevel.Optimal;
#else
    private const CompressionLevel Level = CompressionLevel.SmallestSize;
#endif

    /// <summary>
    /// Streams every file through 32 KiB blocks; returns the number of CFDATA blocks written. Each MSZIP block is
    /// compressed on its own, so a batch of blocks is compressed in parallel and written in order: the bytes do not
    /// depend on the number of cores.
    /// </summary>
    private static int WriteBlocks(BinaryWriter output, List<Entry> entries, CabinetCompression compression, ParallelOptions parallel)
    {
        var chunks = Enumerable.Range(0, BatchBlocks).Select(_ => new byte[CabinetFormat.BlockSize]).ToArray();
        var encoded = Enumerable.Range(0, BatchBlocks).Select(_ => new MemoryStream(CabinetFormat.BlockSize + 64)).ToArray();
        var counts = new int[BatchBlocks];
        var pending = 0;
        var filled = 0;
        var blocks = 0;

        void Flush()
        {
            Parallel.For(0, pending, parallel, i => Encode(chunks[i], counts[i], compression, encoded[i]));
            for (var i = 0; i < pending; i++)
            {
                var payload = encoded[i].GetBuffer();
                var length = (ushort)encoded[i].Length;
                output.Write(CabinetFormat.Checksum(payload, 0, length, length, (ushort)counts[i]));
                output.Write(length);
                output.Write((ushort)counts[i]);
                output.Write(payload, 0, length);
            }

            blocks += pending;
            pending = 0;
        }

        foreach (var entry in entries)
        {
            using var input = Open(entry.Path);
            long left = entry.Size;
            while (left > 0)
            {
                var read = input.Read(chunks[pending], filled, (int)Math.Min(CabinetFormat.BlockSize - filled, left));
                if (read <= 0)
                {
                    throw Changed(entry);
                }

                filled += read;
                left -= read;
                if (filled == CabinetFormat.BlockSize)
                {
                    counts[pending++] = filled;
                    filled = 0;
                    if (pending == BatchBlocks)
                    {
                        Flush();
                    }
                }
            }

            if (input.ReadByte() >= 0)
            {
                throw Changed(entry);
            }
        }

        if (filled > 0)
        {
            counts[pending++] = filled;
        }

        Flush();
        return blocks;
    }

    private static void Encode(byte[] chunk, int count, CabinetCompression compression, MemoryStream encoded)
    {
        encoded.SetLength(0);
        if (compression == CabinetCompression.MsZip)
        {
            encoded.WriteByte((byte)'C');
            encoded.WriteByte((byte)'K');
            // Level 9: the submission is uploaded, and with the blocks spread over the cores it is still faster than
            // gcab at zlib's default level (BENCHMARKS.md). .NET Framework has no level 9.
            using (var deflate = new DeflateStream(encoded, Level, leaveOpen: true))
            {
                deflate.Write(chunk, 0, count);
            }

            // Incompressible data: one stored deflate block keeps the block within what every reader accepts.
            if (encoded.Length > CabinetFormat.BlockSize + 12)
            {
                encoded.SetLength(0);
                encoded.Write(new byte[] { (byte)'C', (byte)'K', 1, (byte)count, (byte)(count >> 8), (byte)~count, (byte)(~count >> 8) }, 0, 7);
                encoded.Write(chunk, 0, count);
            }
        }
        else
        {
            encoded.Write(chunk, 0, count);
        }
    }

    private static Stream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CabinetInputInvalid, $"Cannot read '{path}' for the cabinet: {e.Message}", path), e);
        }
    }

    private static WdkException Changed(Entry entry) =>
        new(Diagnostic.Error(ErrorCodes.CabinetInputInvalid, $"'{entry.Path}' changed size while the cabinet was written; write it again once the file is complete.", entry.Path));

    private static int CompareOrdinal(byte[] a, byte[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i])
            {
                return a[i].CompareTo(b[i]);
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}
