using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Cabinets;

/// <summary>A file in a cabinet, as its CFFILE entry describes it.</summary>
public sealed record CabinetEntry(string Name, long Size, DateTime Time, ushort Attributes, int Folder, long Offset);

/// <summary>
/// Reads a cabinet that any tool wrote: stored and MSZIP folders (with makecab's history across blocks), several
/// folders, and the Authenticode reserve of a signed cabinet. Everything read is checked against the file's size
/// before use; a block never decodes to more than 32 KiB; LZX and Quantum are reported, not decoded.
/// </summary>
public sealed class Cabinet : IDisposable
{
    private readonly Stream stream;
    private readonly string path;
    private readonly long length;
    private readonly List<(long Start, int Blocks, int Compression)> folders = new();
    private int dataReserve;

    private Cabinet(Stream stream, string path)
    {
        this.stream = stream;
        this.path = path;
        length = stream.Length;
    }

    public IReadOnlyList<CabinetEntry> Entries { get; private set; } = Array.Empty<CabinetEntry>();

    /// <summary>Where an Authenticode signature sits (offset, length), from the reserve a signer writes; null when unsigned.</summary>
    public (long Offset, long Length)? Signature { get; private set; }

    public static Cabinet Open(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CabinetMalformed, $"Cannot read the cabinet: {e.Message}", path), e);
        }

        try
        {
            return Read(stream, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads the directory of a cabinet in a seekable stream, which the cabinet then owns.</summary>
    public static Cabinet Read(Stream stream, string path)
    {
        var cabinet = new Cabinet(stream, path);
        cabinet.ReadDirectory();
        return cabinet;
    }

    public void Dispose() => stream.Dispose();

    /// <summary>The contents of the entries <paramref name="which"/> selects, in memory (by name), checked as <see cref="Test"/> checks.</summary>
    public IReadOnlyDictionary<string, byte[]> ReadEntries(Func<CabinetEntry, bool> which)
    {
        var wanted = Enumerable.Range(0, Entries.Count).Where(i => which(Entries[i])).ToDictionary(i => i, _ => new MemoryStream());
        Decode((index, data, offset, count, _) =>
        {
            if (wanted.TryGetValue(index, out var buffer))
            {
                buffer.Write(data, offset, count);
            }
        });
        return wanted.ToDictionary(w => Entries[w.Key].Name, w => w.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Decodes every folder and checks every checksum and file extent, writing nothing.</summary>
    public void Test() => Decode((_, _, _, _, _) => { });

    /// <summary>
    /// Extracts every file below <paramref name="directory"/>: names are checked first (nothing outside the folder,
    /// no device names, no file twice), files are decoded into a staging folder inside it and moved into place only
    /// when all of them decoded, so a damaged cabinet leaves nothing behind.
    /// </summary>
    public IReadOnlyList<string> ExtractTo(string directory)
    {
        var root = Path.GetFullPath(directory);
        var targets = Targets(root);
        var staging = Path.Combine(root, ".wdkdriver-extract-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        var staged = targets.Select(target => Path.Combine(staging, target.Substring(root.Length + 1))).ToList();
        var open = new Dictionary<int, FileStream>();
        try
        {
            foreach (var folder in staged.Select(Path.GetDirectoryName).Distinct())
            {
                Directory.CreateDirectory(folder!);
            }

            Decode((index, data, offset, count, complete) =>
            {
                if (!open.TryGetValue(index, out var output))
                {
                    open[index] = output = new FileStream(staged[index], FileMode.CreateNew, FileAccess.Write);
                }

                output.Write(data, offset, count);
                if (complete)
                {
                    output.Dispose();
                    open.Remove(index);
                }
            });

            for (var i = 0; i < Entries.Count; i++)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(targets[i])!);
                File.SetLastWriteTime(staged[i], Entries[i].Time);
                if (File.Exists(targets[i]))
                {
                    File.Delete(targets[i]);
                }

                File.Move(staged[i], targets[i]);
            }

            return targets;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CabinetExtractFailed, $"Cannot extract into '{root}': {e.Message}", path), e);
        }
        finally
        {
            foreach (var output in open.Values)
            {
                output.Dispose();
            }

            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>The full path of each entry below the root, refusing any name that would leave it or collide.</summary>
    private List<string> Targets(string root)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var targets = new List<string>();
        foreach (var entry in Entries)
        {
            if (CabinetNames.Problem(entry.Name, out var name) is { } problem)
            {
                throw Unsafe($"The cabinet holds '{entry.Name}', which has {problem}; nothing was extracted.");
            }

            var target = Path.GetFullPath(Path.Combine(root, name.Replace('\\', Path.DirectorySeparatorChar)));
            if (!target.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw Unsafe($"The cabinet holds '{entry.Name}', which lands outside '{root}'; nothing was extracted.");
            }

            if (!seen.Add(name))
            {
                throw Unsafe($"The cabinet holds '{entry.Name}' twice (names are compared as Windows does, ignoring case); nothing was extracted.");
            }

            targets.Add(target);
        }

        return targets;
    }

    private WdkException Unsafe(string message) => new(Diagnostic.Error(ErrorCodes.CabinetUnsafeName, message, path));

    private WdkException Malformed(string message) => new(Diagnostic.Error(ErrorCodes.CabinetMalformed, $"Not a valid cabinet: {message}.", path));

    private void ReadDirectory()
    {
        var header = ReadAt(0, CabinetFormat.HeaderSize, "the header");
        if (U32(header, 0) != CabinetFormat.Signature)
        {
            throw Malformed("it does not start with 'MSCF'");
        }

        var size = U32(header, 8);
        var filesAt = U32(header, 16);
        int folderCount = U16(header, 26), fileCount = U16(header, 28), flags = U16(header, 30);
        if (size > length)
        {
            throw Malformed($"the header says {size} bytes, the file has {length} (truncated?)");
        }

        if ((flags & (CabinetFormat.FlagPrevious | CabinetFormat.FlagNext)) != 0)
        {
            throw Malformed("it is part of a multi-cabinet set, which is not supported");
        }

        if (folderCount == 0 || fileCount == 0)
        {
            throw Malformed("it has no folders or no files");
        }

        long position = CabinetFormat.HeaderSize;
        var folderReserve = 0;
        if ((flags & CabinetFormat.FlagReservePresent) != 0)
        {
            var sizes = ReadAt(position, 4, "the reserve sizes");
            int headerReserve = U16(sizes, 0);
            folderReserve = sizes[2];
            dataReserve = sizes[3];
            var reserve = ReadAt(position + 4, headerReserve, "the header reserve");
            if (headerReserve == 20 && U32(reserve, 0) == 0x00100000)
            {
                Signature = (U32(reserve, 4), U32(reserve, 8));
            }

            position += 4 + headerReserve;
        }

        for (var i = 0; i < folderCount; i++, position += CabinetFormat.FolderSize + folderReserve)
        {
            var folder = ReadAt(position, CabinetFormat.FolderSize, "a folder entry");
            folders.Add((U32(folder, 0), U16(folder, 4), U16(folder, 6)));
        }

        var entries = new List<CabinetEntry>();
        position = filesAt;
        for (var i = 0; i < fileCount; i++)
        {
            var file = ReadAt(position, CabinetFormat.FileHeaderSize, "a file entry");
            var nameBytes = ReadName(position + CabinetFormat.FileHeaderSize);
            int folder = U16(file, 8);
            ushort attributes = U16(file, 14);
            long fileSize = U32(file, 0), offset = U32(file, 4);
            if (folder >= folderCount)
            {
                throw Malformed($"file {i + 1} belongs to folder {folder}, and there are {folderCount} (continued files are not supported)");
            }

            if (offset + fileSize > CabinetFormat.MaxFolderSize)
            {
                throw Malformed($"file {i + 1} ends past the largest folder a cabinet can hold");
            }

            string name;
            try
            {
                name = (attributes & CabinetFormat.AttributeNameIsUtf8) != 0 ? CabinetFormat.Utf8.GetString(nameBytes) : CabinetFormat.Latin1.GetString(nameBytes);
            }
            catch (ArgumentException)
            {
                throw Malformed($"the name of file {i + 1} is flagged UTF-8 and is not");
            }

            entries.Add(new CabinetEntry(name, fileSize, CabinetFormat.FromDos(U16(file, 10), U16(file, 12)), attributes, folder, offset));
            position += CabinetFormat.FileHeaderSize + nameBytes.Length + 1;
        }

        Entries = entries;
    }

    private byte[] ReadName(long position)
    {
        var bytes = ReadAt(position, (int)Math.Min(257, length - Math.Min(position, length)), "a file name");
        var end = Array.IndexOf(bytes, (byte)0);
        if (end <= 0 || end > 255)
        {
            throw Malformed(end == 0 ? "a file has an empty name" : "a file name is not terminated within 255 bytes");
        }

        return bytes.Take(end).ToArray();
    }

    /// <summary>
    /// Decodes each folder's blocks and hands every file's bytes, in order, to <paramref name="write"/> (entry index,
    /// buffer, offset, count, whether the file is now complete).
    /// </summary>
    private void Decode(Action<int, byte[], int, int, bool> write)
    {
        var byFolder = Enumerable.Range(0, Entries.Count).ToLookup(i => Entries[i].Folder);
        for (var f = 0; f < folders.Count; f++)
        {
            var members = byFolder[f].OrderBy(i => Entries[i].Offset).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            var (start, blocks, compression) = folders[f];
            if ((compression & 0xF) > 1)
            {
                var kind = (compression & 0xF) == 2 ? "Quantum" : (compression & 0xF) == 3 ? "LZX" : $"type {compression & 0xF}";
                throw new WdkException(Diagnostic.Error(ErrorCodes.CabinetCompressionUnsupported, $"Folder {f + 1} is compressed with {kind}; only stored and MSZIP folders are supported (gcab and makecab's MSZIP default write those).", path));
            }

            foreach (var empty in members.Where(i => Entries[i].Size == 0))
            {
                write(empty, Array.Empty<byte>(), 0, 0, true);
            }

            var needed = members.Max(i => Entries[i].Offset + Entries[i].Size);
            long produced = 0;
            var history = new Window();
            var position = start;
            var first = 0; // members before this one are complete
            for (var b = 0; b < blocks && produced < needed; b++)
            {
                var (data, count, next) = DecodeBlock(position, compression & 0xF, history, f, b);
                position = next;
                for (var m = first; m < members.Count && Entries[members[m]].Offset < produced + count; m++)
                {
                    var entry = Entries[members[m]];
                    var from = Math.Max(entry.Offset, produced);
                    var to = Math.Min(entry.Offset + entry.Size, produced + count);
                    if (from < to)
                    {
                        write(members[m], data, (int)(from - produced), (int)(to - from), to == entry.Offset + entry.Size);
                    }
                }

                produced += count;
                while (first < members.Count && Entries[members[first]].Offset + Entries[members[first]].Size <= produced)
                {
                    first++;
                }
            }

            if (produced < needed)
            {
                throw Malformed($"folder {f + 1} ends after {produced} bytes, before its files are complete ({needed})");
            }
        }
    }

    private (byte[] Data, int Count, long Next) DecodeBlock(long position, int compression, Window history, int folder, int block)
    {
        var header = ReadAt(position, CabinetFormat.DataHeaderSize, "a data block");
        var checksum = U32(header, 0);
        ushort compressed = U16(header, 4), uncompressed = U16(header, 6);
        if (compressed > CabinetFormat.MaxCompressedBlock || uncompressed == 0 || uncompressed > CabinetFormat.BlockSize)
        {
            throw Malformed($"block {block + 1} of folder {folder + 1} declares {compressed} bytes for {uncompressed} (at most {CabinetFormat.BlockSize})");
        }

        var payloadAt = position + CabinetFormat.DataHeaderSize + dataReserve;
        var payload = ReadAt(payloadAt, compressed, "a data block");
        if (checksum != 0 && CabinetFormat.Checksum(payload, 0, compressed, compressed, uncompressed) != checksum)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CabinetChecksumMismatch, $"Block {block + 1} of folder {folder + 1} does not match its checksum: the cabinet is damaged.", path));
        }

        byte[] data;
        if (compression == 0)
        {
            if (compressed != uncompressed)
            {
                throw Malformed($"stored block {block + 1} of folder {folder + 1} has {compressed} bytes for {uncompressed}");
            }

            data = payload;
        }
        else
        {
            data = Inflate(payload, uncompressed, history, folder, block);
        }

        history.Add(data, uncompressed);
        return (data, uncompressed, payloadAt + compressed);
    }

    /// <summary>
    /// One MSZIP block: "CK" and deflate data that may refer to the previous 32 KiB of the folder. DeflateStream has no
    /// preset dictionary, so the history goes in front as a stored, non-final deflate block whose output is skipped.
    /// </summary>
    private byte[] Inflate(byte[] payload, int expected, Window history, int folder, int block)
    {
        if (payload.Length < 2 || payload[0] != 'C' || payload[1] != 'K')
        {
            throw Malformed($"MSZIP block {block + 1} of folder {folder + 1} does not start with 'CK'");
        }

        var input = new MemoryStream(5 + history.Count + payload.Length);
        if (history.Count > 0)
        {
            input.Write(new byte[] { 0, (byte)history.Count, (byte)(history.Count >> 8), (byte)~history.Count, (byte)(~history.Count >> 8) }, 0, 5);
            history.CopyTo(input);
        }

        input.Write(payload, 2, payload.Length - 2);
        input.Position = 0;
        var output = new byte[history.Count + expected + 1];
        var total = 0;
        try
        {
            using var inflate = new DeflateStream(input, CompressionMode.Decompress);
            int read;
            while (total < output.Length && (read = inflate.Read(output, total, output.Length - total)) > 0)
            {
                total += read;
            }
        }
        catch (InvalidDataException e)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CabinetMalformed, $"Not a valid cabinet: MSZIP block {block + 1} of folder {folder + 1} does not decompress ({e.Message}).", path), e);
        }

        if (total - history.Count != expected)
        {
            throw Malformed($"MSZIP block {block + 1} of folder {folder + 1} decompresses to {total - history.Count} bytes, not the {expected} it declares");
        }

        var data = new byte[expected];
        Array.Copy(output, history.Count, data, 0, expected);
        return data;
    }

    private byte[] ReadAt(long position, int count, string what)
    {
        if (position < 0 || count < 0 || position + count > length)
        {
            throw Malformed($"{what} at offset {position} runs past the end of the file ({length} bytes)");
        }

        var buffer = new byte[count];
        stream.Position = position;
        var done = 0;
        while (done < count)
        {
            var read = stream.Read(buffer, done, count - done);
            if (read <= 0)
            {
                throw Malformed($"{what} at offset {position} could not be read");
            }

            done += read;
        }

        return buffer;
    }

    private static ushort U16(byte[] b, int at) => (ushort)(b[at] | b[at + 1] << 8);

    private static uint U32(byte[] b, int at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);

    /// <summary>The last 32 KiB a folder decoded: what MSZIP blocks may refer back to.</summary>
    private sealed class Window
    {
        private byte[] bytes = Array.Empty<byte>();

        public int Count => bytes.Length;

        public void Add(byte[] data, int count)
        {
            var keep = Math.Min(CabinetFormat.BlockSize, bytes.Length + count);
            var next = new byte[keep];
            var fromOld = keep - count;
            if (fromOld > 0)
            {
                Array.Copy(bytes, bytes.Length - fromOld, next, 0, fromOld);
            }

            Array.Copy(data, Math.Max(0, count - keep), next, Math.Max(0, fromOld), Math.Min(count, keep));
            bytes = next;
        }

        public void CopyTo(Stream output) => output.Write(bytes, 0, bytes.Length);
    }
}
