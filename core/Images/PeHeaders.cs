using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Images;

/// <summary>A section of an image: its name, where it is mapped, and its IMAGE_SCN_* characteristics.</summary>
public sealed record PeSection(string Name, uint VirtualAddress, uint VirtualSize, uint RawOffset, uint RawSize, uint Characteristics)
{
    public const uint Executable = 0x20000000;
    public const uint Writable = 0x80000000;
}

/// <summary>The CodeView (RSDS) record of an image's debug directory: the PDB it was linked with.</summary>
/// <param name="Guid">The PDB's signature, in the GUID's usual form (its first three fields stored little-endian).</param>
public sealed record CodeViewRecord(Guid Guid, uint Age, string PdbPath);

/// <summary>
/// What a PE image's headers say that the SDK checks and a symbol store is keyed by: machine, link time stamp, size of
/// the image, section alignment, sections and the CodeView record. Read from the content (MZ, then PE\0\0), never from
/// the name; a file whose headers point outside it is a coded error, not a crash.
/// </summary>
public sealed class PeHeaders
{
    private const int DebugDirectory = 6;
    private const uint CodeViewType = 2;
    private const uint RsdsSignature = 0x53445352;

    private readonly byte[] file;
    private readonly int directories;
    private readonly uint directoryCount;

    private PeHeaders(byte[] file, string path)
    {
        this.file = file;
        var pe = (int)U32(0x3C);
        Machine = U16(pe + 4);
        var sectionCount = U16(pe + 6);
        TimeDateStamp = U32(pe + 8);
        var optional = pe + 24;
        var magic = U16(optional);
        directories = magic switch
        {
            0x10B => optional + 96,
            0x20B => optional + 112,
            _ => throw new WdkException(Diagnostic.Error(ErrorCodes.ImageUnreadable, $"'{Path.GetFileName(path)}' has a PE optional header of unknown kind (0x{magic:X}).", path)),
        };
        SectionAlignment = U32(optional + 32);
        SizeOfImage = U32(optional + 56);
        Subsystem = U16(optional + 68);
        directoryCount = U32(directories - 4);
        var table = optional + U16(pe + 20);
        var sections = new List<PeSection>();
        for (var i = 0; i < sectionCount; i++)
        {
            var at = table + (i * 40);
            var name = Encoding.ASCII.GetString(file, at, 8).TrimEnd('\0');
            sections.Add(new PeSection(name, U32(at + 12), U32(at + 8), U32(at + 20), U32(at + 16), U32(at + 36)));
        }

        Sections = sections;
    }

    /// <summary>IMAGE_FILE_MACHINE_*: 0x8664 x64, 0xAA64 ARM64, 0x14C x86.</summary>
    public ushort Machine { get; }

    public uint TimeDateStamp { get; }

    public uint SizeOfImage { get; }

    public uint SectionAlignment { get; }

    /// <summary>IMAGE_SUBSYSTEM_*: 1 native (a driver), 2 GUI, 3 console.</summary>
    public ushort Subsystem { get; }

    public IReadOnlyList<PeSection> Sections { get; }

    /// <summary>The whole file, for readers of what the headers point at (the version resource).</summary>
    internal byte[] Content => file;

    /// <summary>The data directory's address and size (IMAGE_DIRECTORY_ENTRY_*: 2 resources, 6 debug), or null when
    /// the image has none there.</summary>
    public (uint Rva, uint Size)? DataDirectory(int index)
    {
        if (index < 0 || directoryCount <= index)
        {
            return null;
        }

        var rva = U32(directories + (index * 8));
        return rva == 0 ? null : (rva, U32(directories + (index * 8) + 4));
    }

    /// <summary>The image's headers; null for a file that is not a PE image; an error for one whose headers lie.</summary>
    public static PeHeaders? TryRead(string path)
    {
        byte[] file;
        try
        {
            // Only an image (MZ) is read whole: a package's INFs, catalogs and PDBs are not.
            using (var probe = File.OpenRead(path))
            {
                if (probe.ReadByte() != 'M' || probe.ReadByte() != 'Z')
                {
                    return null;
                }
            }

            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.ImageUnreadable, $"Cannot read '{path}': {e.Message}", path), e);
        }

        if (file.Length < 64 || file[0] != 'M' || file[1] != 'Z')
        {
            return null;
        }

        var pe = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(0x3C));
        if (pe > file.Length - 24 || BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)pe)) != 0x00004550)
        {
            return null;
        }

        try
        {
            return new PeHeaders(file, path);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Truncated(path);
        }
    }

    /// <summary>The image's CodeView record (what /DEBUG writes), or null when it names no PDB.</summary>
    public CodeViewRecord? CodeView(string path)
    {
        try
        {
            if (DataDirectory(DebugDirectory) is not { } debug || FileOffset(debug.Rva) is not { } start)
            {
                return null;
            }

            var size = debug.Size;

            // IMAGE_DEBUG_DIRECTORY entries of 28 bytes: type at 12, size at 16, file offset at 24.
            for (var entry = start; entry + 28 <= start + size; entry += 28)
            {
                if (U32(entry + 12) != CodeViewType)
                {
                    continue;
                }

                var data = (int)U32(entry + 24);
                var length = (int)U32(entry + 16);
                if (length < 24 || U32(data) != RsdsSignature)
                {
                    continue;
                }

                var guid = new Guid(file.AsSpan(data + 4, 16).ToArray());
                var end = file.AsSpan(data + 24, length - 24).IndexOf((byte)0);
                return new CodeViewRecord(guid, U32(data + 20), Encoding.UTF8.GetString(file, data + 24, end < 0 ? length - 24 : end));
            }

            return null;
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Truncated(path);
        }
    }

    /// <summary>The file offset of a relative virtual address, from the section that holds it; null when none does.</summary>
    public int? FileOffset(uint rva)
    {
        foreach (var section in Sections)
        {
            if (rva >= section.VirtualAddress && rva < section.VirtualAddress + Math.Max(section.VirtualSize, section.RawSize))
            {
                var offset = (long)section.RawOffset + (rva - section.VirtualAddress);
                return offset < file.Length ? (int)offset : null;
            }
        }

        return null;
    }

    private static WdkException Truncated(string path) =>
        new(Diagnostic.Error(ErrorCodes.ImageUnreadable, $"'{Path.GetFileName(path)}' is not a whole PE image: its headers point outside the file.", path));

    private ushort U16(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(offset, 2));

    private uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset, 4));
}
