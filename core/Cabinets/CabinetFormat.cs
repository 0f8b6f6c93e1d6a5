using System;
using System.Text;

namespace WdkDriver.Core.Cabinets;

/// <summary>The constants and small computations of the cabinet format ([MS-CAB]) that writer and reader share.</summary>
internal static class CabinetFormat
{
    public const uint Signature = 0x4643534D; // "MSCF"
    public const int HeaderSize = 36;
    public const int FolderSize = 8;
    public const int FileHeaderSize = 16;
    public const int DataHeaderSize = 8;

    /// <summary>Uncompressed bytes per CFDATA block (CB_MAX_CHUNK).</summary>
    public const int BlockSize = 32768;

    /// <summary>The largest compressed block readers accept (libmspack, gcab): 32 KiB plus 6 KiB of slack.</summary>
    public const int MaxCompressedBlock = BlockSize + 6144;

    /// <summary>Largest file and folder: 65535 blocks of 32 KiB.</summary>
    public const long MaxFolderSize = 0x7FFF8000;

    public const ushort FlagReservePresent = 0x0004;
    public const ushort FlagPrevious = 0x0001;
    public const ushort FlagNext = 0x0002;

    public const ushort AttributeArchive = 0x20;
    public const ushort AttributeNameIsUtf8 = 0x80;

    /// <summary>
    /// The CFDATA checksum: XOR of the payload's little-endian 32-bit words, the 1-3 trailing bytes folded in
    /// big-endian order, then XOR of <c>cbData | cbUncomp &lt;&lt; 16</c>.
    /// </summary>
    public static uint Checksum(byte[] data, int offset, int count, ushort compressed, ushort uncompressed)
    {
        uint sum = 0;
        var end = offset + (count & ~3);
        var i = offset;
        for (; i < end; i += 4)
        {
            sum ^= (uint)(data[i] | data[i + 1] << 8 | data[i + 2] << 16 | data[i + 3] << 24);
        }

        uint tail = 0;
        for (; i < offset + count; i++)
        {
            tail = tail << 8 | data[i];
        }

        return sum ^ tail ^ (uint)(compressed | uncompressed << 16);
    }

    /// <summary>DOS date and time fields (2-second resolution), stored as given, with no zone; clamped to 1980-2107.</summary>
    public static (ushort Date, ushort Time) DosDateTime(DateTime time)
    {
        var earliest = new DateTime(1980, 1, 1);
        var latest = new DateTime(2107, 12, 31, 23, 59, 58);
        time = time < earliest ? earliest : time > latest ? latest : time;
        return ((ushort)((time.Year - 1980) << 9 | time.Month << 5 | time.Day), (ushort)(time.Hour << 11 | time.Minute << 5 | time.Second / 2));
    }

    public static DateTime FromDos(ushort date, ushort time)
    {
        int year = 1980 + (date >> 9), month = date >> 5 & 0xF, day = date & 0x1F;
        int hour = time >> 11, minute = time >> 5 & 0x3F, second = (time & 0x1F) * 2;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return new DateTime(1980, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        }

        return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
    }

    /// <summary>UTF-8 without a byte order mark, failing on unpaired surrogates.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(false, true);

    /// <summary>Names without the UTF-8 flag are in an unspecified code page; Latin-1 maps every byte.</summary>
    public static readonly Encoding Latin1 = Encoding.GetEncoding(28591);
}
