using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.Signing;

/// <summary>
/// Embeds an Authenticode signature in a PE image as signtool does: an earlier signature is removed, the image is
/// padded to 8 bytes, a WIN_CERTIFICATE holding the PKCS#7 SignedData of an SpcIndirectDataContent (the image hash)
/// is appended, the certificate directory points at it and the CheckSum is recomputed. The image hash does not change,
/// so a catalog made before or after signing holds the same digest.
/// </summary>
public static class PeSigner
{
    public static byte[] Sign(byte[] image, string path, SigningKey signer, IReadOnlyList<X509Certificate2> chain, HashAlgorithmName digest, ITimestamper? timestamper = null)
    {
        var layout = Layout(new MemoryStream(image, writable: false), path);
        var hash = FileDigest.Compute(new MemoryStream(image, writable: false), path, digest).Digest;
        var table = CertificateTable(hash, signer, chain, digest, timestamper, Unsigned(layout));

        // One copy of the image: without the old signature, padded, then the new certificate table.
        var signed = new byte[table.Offset + table.Bytes.Length];
        Array.Copy(image, signed, Unsigned(layout));
        table.Bytes.CopyTo(signed, (int)table.Offset);
        table.DirectoryEntry.CopyTo(signed, (int)layout.CertificateDirectoryOffset);
        BitConverter.GetBytes(PeChecksum.Compute(signed, layout.ChecksumOffset)).CopyTo(signed, (int)layout.ChecksumOffset);
        return signed;
    }

    /// <summary>
    /// Writes the signed form of the PE file <paramref name="source"/> to <paramref name="destination"/> (never
    /// half-written; the two may be one file). The kernel copies the file while this thread hashes it and sums its
    /// CheckSum in the same read; then the copy gets the signature and its header fields.
    /// </summary>
    public static void Sign(string source, string destination, SigningKey signer, IReadOnlyList<X509Certificate2> chain, HashAlgorithmName digest, ITimestamper? timestamper = null)
    {
        AtomicFile.Write(
            destination,
            temporary =>
            {
                var copy = Task.Run(() => File.Copy(source, temporary, overwrite: true));
                PeImage layout;
                byte[] hash;
                var checksum = new PeChecksum();
                try
                {
                    using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                    layout = Layout(input, source);
                    hash = FileDigest.Compute(input, source, new[] { digest }, checksum).Digests[0];
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new WdkException(Diagnostic.Error(ErrorCodes.FileUnreadable, $"Cannot read the file to sign it: {e.Message}", source), e);
                }
                finally
                {
                    // The copy must be done before the temporary file is written to, or deleted after an error.
                    try
                    {
                        copy.Wait();
                    }
                    catch (AggregateException)
                    {
                        // Thrown below, unless an error of the read is already on its way.
                    }
                }

                copy.GetAwaiter().GetResult();
                var table = CertificateTable(hash, signer, chain, digest, timestamper, Unsigned(layout));
                using var output = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                if (output.Length != layout.Length)
                {
                    throw new IOException($"'{source}' changed while it was signed");
                }

                // Without the old signature, padded with zeros. The hash read left out the CheckSum field and the
                // directory entry: the entry's new value is added to the sum.
                output.SetLength(Unsigned(layout));
                output.SetLength(table.Offset);
                Write(output, table.Offset, table.Bytes, checksum);
                Write(output, layout.CertificateDirectoryOffset, table.DirectoryEntry, checksum);
                Write(output, layout.ChecksumOffset, BitConverter.GetBytes(checksum.Finish(output.Length)), null);
            },
            ErrorCodes.SignOutputFailed);
    }

    private static PeImage Layout(Stream image, string path) =>
        PeImage.TryRead(image, path)
            ?? throw new WdkException(Diagnostic.Error(ErrorCodes.SignInputInvalid, "This file is not a PE image, a catalog or a cabinet, so it cannot be signed.", path));

    /// <summary>The image without an old signature: what is signed.</summary>
    private static long Unsigned(PeImage layout) => layout.IsSigned ? layout.CertificateTableOffset : layout.Length;

    private static void Write(FileStream output, long offset, byte[] bytes, PeChecksum? checksum)
    {
        output.Position = offset;
        output.Write(bytes, 0, bytes.Length);
        checksum?.Add(bytes, offset);
    }

    /// <summary>
    /// The WIN_CERTIFICATE to append at <c>Offset</c> (the unsigned image padded to 8 bytes) and the certificate
    /// directory entry that points at it. The image hash skips the CheckSum, the directory entry and an old signature,
    /// and pads to 8 bytes, so it is the same for the image as it is and for the signed image.
    /// </summary>
    private static (long Offset, byte[] Bytes, byte[] DirectoryEntry) CertificateTable(byte[] hash, SigningKey signer, IReadOnlyList<X509Certificate2> chain, HashAlgorithmName digest, ITimestamper? timestamper, long unsignedLength)
    {
        var signedData = AuthenticodeSigner.SignIndirectData(Catalogs.CatalogOids.PeImageData, WritePeImageData, hash, signer, chain, digest, timestamper);
        var offset = (unsignedLength + 7) / 8 * 8;
        var table = new byte[8 + ((signedData.Length + 7) / 8 * 8)];
        BitConverter.GetBytes((uint)table.Length).CopyTo(table, 0);
        BitConverter.GetBytes((ushort)0x0200).CopyTo(table, 4);
        BitConverter.GetBytes((ushort)0x0002).CopyTo(table, 6);
        signedData.CopyTo(table, 8);
        var entry = new byte[8];
        BitConverter.GetBytes((uint)offset).CopyTo(entry, 0);
        BitConverter.GetBytes((uint)table.Length).CopyTo(entry, 4);
        return (offset, table, entry);
    }

    /// <summary>SpcPeImageData: an empty flags BIT STRING and the obsolete file link.</summary>
    private static void WritePeImageData(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteBitString(Array.Empty<byte>());
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
            {
                AuthenticodeSigner.WriteObsoleteFileLink(writer);
            }
        }
    }
}
