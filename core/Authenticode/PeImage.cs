using System;
using System.IO;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Authenticode;

/// <summary>
/// Where the Authenticode hash must skip: the CheckSum field, the certificate-table directory entry and the
/// certificate table itself. Found from the file's content (MZ, then PE\0\0 at e_lfanew), never from its name.
/// </summary>
public sealed record PeImage(long ChecksumOffset, long CertificateDirectoryOffset, long CertificateTableOffset, long CertificateTableSize, long Length)
{
    public bool IsSigned => CertificateTableSize > 0;

    /// <summary>The layout of a PE image, null for a file that is not one, an error for a PE whose headers lie.</summary>
    public static PeImage? TryRead(Stream stream, string path)
    {
        var length = stream.Length;
        var header = new byte[64];
        if (length < 64 || Read(stream, 0, header) < 64 || header[0] != (byte)'M' || header[1] != (byte)'Z')
        {
            return null;
        }

        var peOffset = BitConverter.ToUInt32(header, 0x3C);
        var pe = new byte[24 + 2];
        if (peOffset > length - pe.Length || Read(stream, peOffset, pe) < pe.Length || pe[0] != 'P' || pe[1] != 'E' || pe[2] != 0 || pe[3] != 0)
        {
            return null;
        }

        var optionalHeader = peOffset + 24;
        var magic = BitConverter.ToUInt16(pe, 24);
        long directories = magic switch
        {
            0x10B => optionalHeader + 96,
            0x20B => optionalHeader + 112,
            _ => throw Bad(path, $"its optional header has the unknown magic 0x{magic:X}"),
        };
        var counts = new byte[4];
        if (Read(stream, directories - 4, counts) < 4 || BitConverter.ToUInt32(counts, 0) < 5)
        {
            throw Bad(path, "it has no certificate-table directory entry");
        }

        var certificateDirectory = directories + (4 * 8);
        var entry = new byte[8];
        if (Read(stream, certificateDirectory, entry) < 8)
        {
            throw Bad(path, "its headers are truncated");
        }

        long tableOffset = BitConverter.ToUInt32(entry, 0);
        long tableSize = BitConverter.ToUInt32(entry, 4);
        if (tableSize == 0)
        {
            tableOffset = 0;
        }
        else if (tableOffset < certificateDirectory + 8 || tableOffset + tableSize > length)
        {
            throw Bad(path, $"its certificate table (offset {tableOffset}, {tableSize} bytes) lies outside the file of {length} bytes");
        }

        return new PeImage(optionalHeader + 64, certificateDirectory, tableOffset, tableSize, length);
    }

    private static int Read(Stream stream, long offset, byte[] buffer)
    {
        stream.Position = offset;
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static WdkException Bad(string path, string reason) =>
        new(Diagnostic.Error(ErrorCodes.PeImageMalformed, $"The PE image is malformed: {reason}.", path));
}
