using System;
using System.Buffers.Binary;
using System.IO;
using System.Security.Cryptography;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Cabinets;

/// <summary>
/// A cabinet as Authenticode sees it (signtool, osslsigncode): signing inserts a 24-byte header reserve at 0x24 whose
/// last 20 bytes say where the PKCS#7 blob sits (right after the cabinet's last byte), and shifts the offsets that
/// point past it. The digest covers the cabinet in that signed layout except the fields that locate the signature, so
/// it is the same before and after the blob is appended, and the same for an unsigned cabinet and its signed form.
/// </summary>
public sealed class CabinetSigningLayout
{
    /// <summary>cbCFHeader, cbCFFolder, cbCFData (4 bytes) and the 20-byte abReserve signing adds.</summary>
    public const int ReserveSize = 24;

    private const int HeaderSize = CabinetFormat.HeaderSize;
    private const int SignedHeaderSize = HeaderSize + ReserveSize;
    private const uint ReserveMarker = 0x00100000;

    /// <summary>Far more than any certificate chain and time stamp need; bounds what a verifier reads.</summary>
    private const uint MaxSignature = 1 << 24;

    /// <summary>The header and CFFOLDERs in the signed layout; the signature's offset and length still zero.</summary>
    private readonly byte[] prefix;

    private CabinetSigningLayout(byte[] prefix, long bodyOffset, long bodyEnd, (long Offset, long Length)? signature)
    {
        this.prefix = prefix;
        BodyOffset = bodyOffset;
        BodyEnd = bodyEnd;
        Signature = signature;
    }

    /// <summary>Where the CFFILEs and CFDATAs start in the file as read; they are copied unchanged.</summary>
    public long BodyOffset { get; }

    /// <summary>The file's cbCabinet: where the cabinet ends and a signature starts.</summary>
    public long BodyEnd { get; }

    /// <summary>The signature the file carries (offset, padded length), or null.</summary>
    public (long Offset, long Length)? Signature { get; }

    /// <summary>cbCabinet of the signed layout: where the signature goes.</summary>
    public long SignedCabinetSize => BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(8));

    /// <summary>Whether the file starts as a cabinet does ("MSCF").</summary>
    public static bool IsCabinet(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16);
        return IsCabinet(stream);
    }

    /// <summary>Whether the stream starts, at its beginning, as a cabinet does.</summary>
    public static bool IsCabinet(Stream stream)
    {
        var magic = new byte[4];
        stream.Position = 0;
        return stream.Read(magic, 0, 4) == 4 && BinaryPrimitives.ReadUInt32LittleEndian(magic) == CabinetFormat.Signature;
    }

    /// <summary>
    /// Reads the layout from the start of <paramref name="input"/>: an unsigned cabinet (no reserve) or one signed as
    /// above. Anything else, such as one of a set of cabinets or a reserve of another kind, cannot be signed.
    /// </summary>
    public static CabinetSigningLayout Read(Stream input, string path, string errorCode)
    {
        var length = input.Length;
        var header = ReadAt(input, 0, HeaderSize, path, errorCode);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != CabinetFormat.Signature)
        {
            throw Invalid(path, errorCode, "it does not start with MSCF");
        }

        var cabinetSize = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
        var folders = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x1A));
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x1E));
        if ((flags & (CabinetFormat.FlagPrevious | CabinetFormat.FlagNext)) != 0)
        {
            throw Invalid(path, errorCode, "it is one of a set of cabinets; Authenticode signs single cabinets");
        }

        var prefix = new byte[SignedHeaderSize + folders * CabinetFormat.FolderSize];
        header.CopyTo(prefix, 0);
        long foldersAt;
        (long Offset, long Length)? signature = null;
        if ((flags & CabinetFormat.FlagReservePresent) == 0)
        {
            // Unsigned: the reserve is inserted, and every offset from the start of the file moves with it.
            foldersAt = HeaderSize;
            Add(prefix, 8, ReserveSize);
            Add(prefix, 0x10, ReserveSize);
            BinaryPrimitives.WriteUInt16LittleEndian(prefix.AsSpan(0x1E), (ushort)(flags | CabinetFormat.FlagReservePresent));
            BinaryPrimitives.WriteUInt16LittleEndian(prefix.AsSpan(0x24), ReserveSize - 4);
            BinaryPrimitives.WriteUInt32LittleEndian(prefix.AsSpan(0x28), ReserveMarker);
        }
        else
        {
            var reserve = ReadAt(input, HeaderSize, ReserveSize, path, errorCode);
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(reserve.AsSpan(8));
            var size = BinaryPrimitives.ReadUInt32LittleEndian(reserve.AsSpan(12));
            if (BinaryPrimitives.ReadUInt16LittleEndian(reserve) != ReserveSize - 4 || reserve[2] != 0 || reserve[3] != 0
                || BinaryPrimitives.ReadUInt32LittleEndian(reserve.AsSpan(4)) != ReserveMarker)
            {
                throw Invalid(path, errorCode, "its header reserve is not an Authenticode signature's");
            }

            if (offset != cabinetSize || offset + (long)size != length || size == 0 || size > MaxSignature)
            {
                throw Invalid(path, errorCode, $"its signature's place (offset {offset}, {size} bytes) is not the end of the cabinet ({cabinetSize} bytes of {length})");
            }

            reserve.CopyTo(prefix, HeaderSize);
            prefix.AsSpan(0x2C, 8).Clear();
            foldersAt = SignedHeaderSize;
            signature = (offset, size);
        }

        ReadAt(input, foldersAt, folders * CabinetFormat.FolderSize, path, errorCode).CopyTo(prefix, SignedHeaderSize);
        if (foldersAt == HeaderSize)
        {
            for (var i = 0; i < folders; i++)
            {
                Add(prefix, SignedHeaderSize + i * CabinetFormat.FolderSize, ReserveSize);
            }
        }

        var bodyOffset = foldersAt + folders * CabinetFormat.FolderSize;
        if (cabinetSize < bodyOffset || cabinetSize > length)
        {
            throw Invalid(path, errorCode, $"its header gives {cabinetSize} bytes, the file has {length}");
        }

        return new CabinetSigningLayout(prefix, bodyOffset, cabinetSize, signature);
    }

    /// <summary>
    /// The Authenticode digest: the signed layout without reserved1, iCabinet, the reserve sizes, the reserve's first
    /// 16 bytes (marker, signature offset and length) and the signature.
    /// </summary>
    public byte[] Digest(Stream input, HashAlgorithmName algorithm)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        hash.AppendData(prefix, 0, 4);
        hash.AppendData(prefix, 8, 0x22 - 8);
        hash.AppendData(prefix, 0x38, prefix.Length - 0x38);
        input.Position = BodyOffset;
        var buffer = new byte[1 << 16];
        for (var left = BodyEnd - BodyOffset; left > 0;)
        {
            var read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                throw new EndOfStreamException("the cabinet ends before its header says");
            }

            hash.AppendData(buffer, 0, read);
            left -= read;
        }

        return hash.GetHashAndReset();
    }

    /// <summary>The signature blob the file carries, with its padding.</summary>
    public byte[] ReadSignature(Stream input, string path) =>
        Signature is { } signature ? ReadAt(input, signature.Offset, (int)signature.Length, path, ErrorCodes.SignatureInvalid) : Array.Empty<byte>();

    /// <summary>Writes the cabinet in the signed layout with <paramref name="signedData"/> appended, zero-padded to 8 bytes.</summary>
    public void WriteSigned(Stream input, Stream output, byte[] signedData)
    {
        var padded = (signedData.Length + 7) / 8 * 8;
        var header = (byte[])prefix.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x2C), (uint)SignedCabinetSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x30), (uint)padded);
        output.Write(header, 0, header.Length);
        input.Position = BodyOffset;
        CopyBytes(input, output, BodyEnd - BodyOffset);
        output.Write(signedData, 0, signedData.Length);
        output.Write(new byte[padded - signedData.Length], 0, padded - signedData.Length);
    }

    private static void CopyBytes(Stream input, Stream output, long count)
    {
        var buffer = new byte[1 << 16];
        while (count > 0)
        {
            var read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read == 0)
            {
                throw new EndOfStreamException("the cabinet ends before its header says");
            }

            output.Write(buffer, 0, read);
            count -= read;
        }
    }

    private static void Add(byte[] bytes, int offset, uint value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)) + value);

    private static byte[] ReadAt(Stream input, long offset, int count, string path, string errorCode)
    {
        if (offset + count > input.Length)
        {
            throw Invalid(path, errorCode, "it ends inside its header");
        }

        var bytes = new byte[count];
        input.Position = offset;
        var done = 0;
        while (done < count)
        {
            var read = input.Read(bytes, done, count - done);
            if (read == 0)
            {
                throw Invalid(path, errorCode, "it ends inside its header");
            }

            done += read;
        }

        return bytes;
    }

    private static WdkException Invalid(string path, string errorCode, string reason) =>
        new(Diagnostic.Error(errorCode, $"This cabinet has no valid place for an Authenticode signature: {reason}.", path));
}
