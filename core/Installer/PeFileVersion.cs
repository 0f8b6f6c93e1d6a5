using System;
using System.Buffers.Binary;
using System.Globalization;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Images;

namespace WdkDriver.Core.Installer;

/// <summary>
/// The file version and language of a PE image's version resource (RT_VERSION's VS_FIXEDFILEINFO), which Windows
/// Installer's File table carries for a versioned file, as WiX fills it in: with it, Windows Installer's file
/// versioning rules decide what an install overwrites; without it, the file counts as unversioned.
/// </summary>
public static class PeFileVersion
{
    private const uint FixedFileInfoSignature = 0xFEEF04BD;
    private const int ResourceDirectory = 2;
    private const int VersionResource = 16;

    /// <returns>The version (a.b.c.d) and language id; null for a file that is not a PE image or has no version resource.</returns>
    public static (string Version, string Language)? Read(string path)
    {
        try
        {
            return PeHeaders.TryRead(path) is { } headers ? Read(headers) : null;
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or WdkException)
        {
            // Headers that point outside the file: not a version this file can be said to have.
            return null;
        }
    }

    private static (string Version, string Language)? Read(PeHeaders headers)
    {
        var file = headers.Content;
        if (headers.DataDirectory(ResourceDirectory) is not { } resources || headers.FileOffset(resources.Rva) is not { } root)
        {
            return null;
        }

        // Type RT_VERSION, then its first name, then its first language: a data entry.
        var names = Entry(file, root, root, VersionResource);
        var languages = names is null ? null : Entry(file, root, names.Value.Offset, null);
        var data = languages is null ? null : Entry(file, root, languages.Value.Offset, null);
        if (data is not { Directory: false } leaf)
        {
            return null;
        }

        var resource = headers.FileOffset(U32(file, leaf.Offset));
        var size = (int)U32(file, leaf.Offset + 4);
        if (resource is null || size < 92)
        {
            return null;
        }

        // VS_VERSIONINFO: three words, "VS_VERSION_INFO\0" in UTF-16, padding to 4 bytes, then VS_FIXEDFILEINFO.
        var info = resource.Value + 40;
        if (U32(file, info) != FixedFileInfoSignature)
        {
            return null;
        }

        var high = U32(file, info + 8);
        var low = U32(file, info + 12);
        var version = string.Join(".", high >> 16, high & 0xFFFF, low >> 16, low & 0xFFFF);
        return (version, leaf.Id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The entry of a resource directory with the id (or its first entry): its id, and where it points (the root's offset added).</summary>
    private static (int Offset, bool Directory, uint Id)? Entry(byte[] file, int root, int directory, int? id)
    {
        var count = U16(file, directory + 12) + U16(file, directory + 14);
        for (var i = 0; i < count; i++)
        {
            var entry = directory + 16 + (i * 8);
            var name = U32(file, entry);
            if (id is null || ((name & 0x80000000) == 0 && name == id))
            {
                var target = U32(file, entry + 4);
                return (root + (int)(target & 0x7FFFFFFF), (target & 0x80000000) != 0, name);
            }
        }

        return null;
    }

    private static uint U32(byte[] file, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset, 4));

    private static int U16(byte[] file, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(offset, 2));
}
