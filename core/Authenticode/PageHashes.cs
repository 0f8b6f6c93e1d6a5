using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Authenticode;

/// <summary>
/// Authenticode page hashes (inf2cat's <c>/pageHashes</c>): a hash for every 4 KiB page Windows maps, so the
/// loader can check pages as it reads them. Each entry is the page's file offset (4 bytes, little-endian) and the hash
/// of the page zero-padded to 4 KiB: first the headers (without CheckSum and the certificate directory entry), then
/// each section's raw data page by page, then the end of the last section with a zero hash.
/// </summary>
public static class PageHashes
{
    public const int PageSize = 4096;

    public static byte[] Compute(string path, HashAlgorithmName algorithm)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            var image = PeImage.TryRead(new MemoryStream(bytes, writable: false), path)
                ?? throw new WdkException(Diagnostic.Error(ErrorCodes.PeImageMalformed, "Page hashes need a PE image; this file is not one.", path));
            return Compute(bytes, image, algorithm, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.FileUnreadable, $"Cannot read the file to hash its pages: {e.Message}", path), e);
        }
    }

    private static byte[] Compute(byte[] file, PeImage image, HashAlgorithmName algorithm, string path)
    {
        var peOffset = BitConverter.ToInt32(file, 0x3C);
        var sectionCount = BitConverter.ToUInt16(file, peOffset + 6);
        var sectionTable = peOffset + 24 + BitConverter.ToUInt16(file, peOffset + 20);
        var headersSize = (int)Math.Min(BitConverter.ToUInt32(file, peOffset + 24 + 60), (uint)file.Length);
        if (sectionTable + (sectionCount * 40) > file.Length || headersSize < image.CertificateDirectoryOffset + 8)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.PeImageMalformed, "The PE image is malformed: its section table or header size lies outside the file.", path));
        }

        var sections = Enumerable.Range(0, sectionCount)
            .Select(i => (Offset: (long)BitConverter.ToUInt32(file, sectionTable + (i * 40) + 20), Size: (long)BitConverter.ToUInt32(file, sectionTable + (i * 40) + 16)))
            .Where(s => s.Size > 0)
            .OrderBy(s => s.Offset)
            .ToList();
        if (sections.Any(s => s.Offset + s.Size > file.Length))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.PeImageMalformed, "The PE image is malformed: a section's raw data lies outside the file.", path));
        }

        using var hash = IncrementalHash.CreateHash(algorithm);
        var entries = new List<byte>();
        void Entry(long offset, byte[] digest)
        {
            entries.AddRange(BitConverter.GetBytes((uint)offset));
            entries.AddRange(digest);
        }

        hash.AppendData(file, 0, (int)image.ChecksumOffset);
        hash.AppendData(file, (int)image.ChecksumOffset + 4, (int)(image.CertificateDirectoryOffset - image.ChecksumOffset - 4));
        hash.AppendData(file, (int)image.CertificateDirectoryOffset + 8, headersSize - (int)image.CertificateDirectoryOffset - 8);
        hash.AppendData(new byte[Math.Max(0, PageSize - headersSize)]);
        Entry(0, hash.GetHashAndReset());

        foreach (var (offset, size) in sections)
        {
            for (long page = 0; page < size; page += PageSize)
            {
                var length = (int)Math.Min(PageSize, size - page);
                hash.AppendData(file, (int)(offset + page), length);
                hash.AppendData(new byte[PageSize - length]);
                Entry(offset + page, hash.GetHashAndReset());
            }
        }

        var end = sections.Count > 0 ? sections[sections.Count - 1].Offset + sections[sections.Count - 1].Size : headersSize;
        Entry(end, new byte[algorithm == HashAlgorithmName.SHA1 ? 20 : 32]);
        return entries.ToArray();
    }
}
