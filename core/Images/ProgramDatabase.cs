using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Images;

/// <summary>
/// A PDB's identity, from its info stream (stream 1 of the MSF 7.00 container the MSVC linker and lld-link write): the
/// GUID and age an image's CodeView record must name for a debugger to take this PDB for it, and what a symbol store
/// files it under.
/// </summary>
public sealed record ProgramDatabase(Guid Guid, uint Age)
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("Microsoft C/C++ MSF 7.00\r\n\u001ADS\0\0\0");

    private const int InfoStream = 1;

    public static ProgramDatabase Read(string path)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.ImageUnreadable, $"Cannot read '{path}': {e.Message}", path), e);
        }

        if (file.Length < 56 || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw Invalid(path, "it is not a program database (no MSF 7.00 header): link with /DEBUG, which writes one");
        }

        try
        {
            var blockSize = (int)U32(file, 32);
            var directoryBytes = (int)U32(file, 44);
            var blockMap = (long)U32(file, 52) * blockSize;
            if (blockSize is not (512 or 1024 or 2048 or 4096) || directoryBytes < 8 || directoryBytes > file.Length)
            {
                throw Invalid(path, $"its header names a block size of {blockSize} and a directory of {directoryBytes} bytes");
            }

            // The directory, gathered from its blocks: stream count, each stream's size, then each stream's blocks.
            var directoryBlocks = Enumerable.Range(0, Blocks(directoryBytes, blockSize)).Select(i => U32(file, checked((int)(blockMap + (i * 4))))).ToList();
            var directory = Gather(file, directoryBlocks, directoryBytes, blockSize);
            var streams = (int)U32(directory, 0);
            if (streams <= InfoStream || streams > directoryBytes / 4)
            {
                throw Invalid(path, "it has no info stream");
            }

            var sizes = Enumerable.Range(0, streams).Select(i => U32(directory, 4 + (i * 4))).ToList();
            var at = 4 + (streams * 4);
            for (var i = 0; i < InfoStream; i++)
            {
                at += Blocks(sizes[i] == uint.MaxValue ? 0 : (int)Math.Min(sizes[i], (uint)file.Length), blockSize) * 4;
            }

            // No stream is larger than the file that holds it.
            var infoSize = sizes[InfoStream] is var size && size >= 28 && size <= file.Length ? (int)size : throw Invalid(path, $"its info stream's size ({sizes[InfoStream]} bytes) does not fit the file");
            var infoBlocks = Enumerable.Range(0, Blocks(infoSize, blockSize)).Select(i => U32(directory, at + (i * 4))).ToList();
            var info = Gather(file, infoBlocks, infoSize, blockSize);
            // Version, signature (a time), age, GUID.
            return new ProgramDatabase(new Guid(info.AsSpan(12, 16).ToArray()), U32(info, 8));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or ArgumentException or OverflowException)
        {
            throw Invalid(path, "its streams point outside the file");
        }
    }

    /// <summary>Whether an image's CodeView record names this PDB: GUID and age both, as a debugger matches them.</summary>
    public bool Matches(CodeViewRecord record) => record.Guid == Guid && record.Age == Age;

    /// <summary>The finding, at the PDB, when it is not the one the image was linked with; none when it is.</summary>
    public static IReadOnlyList<Diagnostic> CheckPair(string image, string pdb) =>
        CheckPair(PeHeaders.TryRead(image) ?? throw new WdkException(Diagnostic.Error(ErrorCodes.ImageUnreadable, $"'{Path.GetFileName(image)}' is not a PE image, so no PDB can belong to it.", image)), image, pdb);

    /// <param name="headers">The headers of <paramref name="image"/>, already read.</param>
    public static IReadOnlyList<Diagnostic> CheckPair(PeHeaders headers, string image, string pdb)
    {
        var symbols = Read(pdb);
        var record = headers.CodeView(image);
        if (record is not null && symbols.Matches(record))
        {
            return Array.Empty<Diagnostic>();
        }

        var named = record is null ? "names no PDB (it was linked without /DEBUG)" : $"was linked with PDB {Key(record.Guid, record.Age)}";
        return new[]
        {
            Diagnostic.Error(
                ErrorCodes.SymbolsStale,
                $"{Path.GetFileName(pdb)} ({Key(symbols.Guid, symbols.Age)}) is not the PDB of {Path.GetFileName(image)}, which {named}: a debugger would ignore it. Build both again together, or take the PDB from the build that made the image.",
                pdb),
        };
    }

    /// <summary>GUID and age as a symbol store keys them: 32 hex digits, then the age in hex.</summary>
    public static string Key(Guid guid, uint age) => guid.ToString("N").ToUpperInvariant() + age.ToString("X", System.Globalization.CultureInfo.InvariantCulture);

    private static int Blocks(int bytes, int blockSize) => (bytes + blockSize - 1) / blockSize;

    private static byte[] Gather(byte[] file, IReadOnlyList<uint> blocks, int size, int blockSize)
    {
        var data = new byte[size];
        for (var i = 0; i < blocks.Count; i++)
        {
            var length = Math.Min(blockSize, size - (i * blockSize));
            Array.Copy(file, checked((long)blocks[i] * blockSize), data, i * blockSize, length);
        }

        return data;
    }

    private static uint U32(byte[] data, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset, 4));

    private static WdkException Invalid(string path, string reason) =>
        new(Diagnostic.Error(ErrorCodes.ImageUnreadable, $"'{Path.GetFileName(path)}' cannot be read as symbols: {reason}.", path));
}
