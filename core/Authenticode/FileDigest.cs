using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Authenticode;

/// <summary>
/// The digest a catalog holds for a file: the Authenticode image hash for a PE (CheckSum, the certificate directory
/// entry and table skipped; an unsigned image padded with zeros to 8 bytes), a cabinet's as makecat computes it with
/// the cabinet SIP (a signed one: its Authenticode digest; an unsigned one: every byte but the header's reserved1,
/// as makecat's catalog of osslsigncode's unsigned.ex_ shows), the hash of every byte otherwise.
/// </summary>
public static class FileDigest
{
    private const int BufferSize = 1 << 17;

    public static (byte[] Digest, bool IsPe) Compute(string path, HashAlgorithmName algorithm)
    {
        var (digests, isPe) = Compute(path, new[] { algorithm });
        return (digests[0], isPe);
    }

    /// <summary>Several digests of one file from a single read of it.</summary>
    public static (byte[][] Digests, bool IsPe) Compute(string path, IReadOnlyList<HashAlgorithmName> algorithms)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            return Compute(stream, path, algorithms);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.FileUnreadable, $"Cannot read the file to hash it: {e.Message}", path), e);
        }
    }

    /// <param name="path">For messages only.</param>
    public static (byte[] Digest, bool IsPe) Compute(Stream stream, string path, HashAlgorithmName algorithm)
    {
        var (digests, isPe) = Compute(stream, path, new[] { algorithm });
        return (digests[0], isPe);
    }

    /// <summary>A cabinet's Authenticode digests; null for anything else, or a cabinet no signature can sit in (one of a set), which is hashed whole.</summary>
    private static byte[][]? CabinetDigest(Stream stream, string path, IReadOnlyList<HashAlgorithmName> algorithms)
    {
        stream.Position = 0;
        if (!Cabinets.CabinetSigningLayout.IsCabinet(stream))
        {
            stream.Position = 0;
            return null;
        }

        try
        {
            var layout = Cabinets.CabinetSigningLayout.Read(stream, path, ErrorCodes.CabinetMalformed);
            if (layout.Signature is not null)
            {
                return algorithms.Select(a => layout.Digest(stream, a)).ToArray();
            }

            var hashes = algorithms.Select(IncrementalHash.CreateHash).ToArray();
            var buffer = new byte[1 << 16];
            Append(hashes, null, stream, buffer, 0, 4);
            Append(hashes, null, stream, buffer, 8, stream.Length);
            return hashes.Select(h => h.GetHashAndReset()).ToArray();
        }
        catch (Exception e) when (e is WdkException or EndOfStreamException)
        {
            return null;
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <param name="path">For messages only.</param>
    /// <param name="checksum">Also gets every byte hashed: a signer's PE CheckSum from the same read.</param>
    public static (byte[][] Digests, bool IsPe) Compute(Stream stream, string path, IReadOnlyList<HashAlgorithmName> algorithms, PeChecksum? checksum = null)
    {
        var hashes = algorithms.Select(IncrementalHash.CreateHash).ToArray();
        // Rented: a package of thousands of small files would otherwise allocate a buffer per file.
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var image = PeImage.TryRead(stream, path);
            if (image is null && checksum is null && CabinetDigest(stream, path, algorithms) is { } cabinet)
            {
                return (cabinet, false);
            }

            if (image is null)
            {
                Append(hashes, checksum, stream, buffer, 0, stream.Length);
                return (hashes.Select(h => h.GetHashAndReset()).ToArray(), false);
            }

            var end = image.IsSigned ? image.CertificateTableOffset : image.Length;
            Append(hashes, checksum, stream, buffer, 0, image.ChecksumOffset);
            Append(hashes, checksum, stream, buffer, image.ChecksumOffset + 4, image.CertificateDirectoryOffset);
            Append(hashes, checksum, stream, buffer, image.CertificateDirectoryOffset + 8, end);
            if (!image.IsSigned && end % 8 != 0)
            {
                var padding = new byte[8 - (end % 8)];
                foreach (var hash in hashes)
                {
                    hash.AppendData(padding);
                }
            }

            return (hashes.Select(h => h.GetHashAndReset()).ToArray(), true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            foreach (var hash in hashes)
            {
                hash.Dispose();
            }
        }
    }

    private static void Append(IncrementalHash[] hashes, PeChecksum? checksum, Stream stream, byte[] buffer, long from, long to)
    {
        stream.Position = from;
        for (var left = to - from; left > 0;)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                throw new IOException("the file became shorter while it was hashed");
            }

            foreach (var hash in hashes)
            {
                hash.AppendData(buffer, 0, read);
            }

            checksum?.Add(buffer.AsSpan(0, read), to - left);
            left -= read;
        }
    }
}
