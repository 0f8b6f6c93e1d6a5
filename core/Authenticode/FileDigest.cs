using System;
using System.IO;
using System.Security.Cryptography;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Authenticode;

/// <summary>
/// The digest a catalog holds for a file: the Authenticode image hash for a PE (CheckSum, the certificate directory
/// entry and table skipped; an unsigned image padded with zeros to 8 bytes), the hash of every byte otherwise.
/// </summary>
public static class FileDigest
{
    public static (byte[] Digest, bool IsPe) Compute(string path, HashAlgorithmName algorithm)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return Compute(stream, path, algorithm);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.FileUnreadable, $"Cannot read the file to hash it: {e.Message}", path), e);
        }
    }

    /// <param name="path">For messages only.</param>
    public static (byte[] Digest, bool IsPe) Compute(Stream stream, string path, HashAlgorithmName algorithm)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        var image = PeImage.TryRead(stream, path);
        if (image is null)
        {
            Append(hash, stream, 0, stream.Length);
            return (hash.GetHashAndReset(), false);
        }

        var end = image.IsSigned ? image.CertificateTableOffset : image.Length;
        Append(hash, stream, 0, image.ChecksumOffset);
        Append(hash, stream, image.ChecksumOffset + 4, image.CertificateDirectoryOffset);
        Append(hash, stream, image.CertificateDirectoryOffset + 8, end);
        if (!image.IsSigned && end % 8 != 0)
        {
            hash.AppendData(new byte[8 - (end % 8)]);
        }

        return (hash.GetHashAndReset(), true);
    }

    private static void Append(IncrementalHash hash, Stream stream, long from, long to)
    {
        stream.Position = from;
        var buffer = new byte[1 << 16];
        for (var left = to - from; left > 0;)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                throw new IOException("the file became shorter while it was hashed");
            }

            hash.AppendData(buffer, 0, read);
            left -= read;
        }
    }
}
