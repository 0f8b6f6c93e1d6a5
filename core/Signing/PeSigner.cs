using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Signing;

/// <summary>
/// Embeds an Authenticode signature in a PE image as signtool does: an earlier signature is removed, the image is
/// padded to 8 bytes, a WIN_CERTIFICATE holding the PKCS#7 SignedData of an SpcIndirectDataContent (the image hash)
/// is appended, the certificate directory points at it and the CheckSum is recomputed. The image hash does not change,
/// so a catalog made before or after signing holds the same digest.
/// </summary>
public static class PeSigner
{
    private const string IndirectData = "1.3.6.1.4.1.311.2.1.4";
    private const string PeImageData = "1.3.6.1.4.1.311.2.1.15";

    public static byte[] Sign(byte[] image, string path, X509Certificate2 signer, IReadOnlyList<X509Certificate2> chain, HashAlgorithmName digest, ITimestamper? timestamper = null)
    {
        var layout = PeImage.TryRead(new MemoryStream(image, writable: false), path)
            ?? throw new WdkException(Diagnostic.Error(ErrorCodes.SignInputInvalid, "This file is not a PE image or a catalog, so it cannot be signed.", path));

        // The image hash skips the CheckSum, the certificate directory entry and an old signature, and pads to 8
        // bytes: it is the same for the image as it is and for the signed image, so it is taken from the input.
        var length = layout.IsSigned ? layout.CertificateTableOffset : image.Length;
        var padded = (length + 7) / 8 * 8;
        var hash = FileDigest.Compute(new MemoryStream(image, writable: false), path, digest).Digest;
        var signedData = AuthenticodeSigner.Sign(IndirectData, IndirectDataContent(hash, digest), signer, chain, digest, timestamper);

        // One copy of the image: without the old signature, padded, then the new certificate table.
        var certificateLength = 8 + ((signedData.Length + 7) / 8 * 8);
        var signed = new byte[padded + certificateLength];
        Array.Copy(image, signed, length);
        BitConverter.GetBytes((uint)certificateLength).CopyTo(signed, (int)padded);
        BitConverter.GetBytes((ushort)0x0200).CopyTo(signed, (int)padded + 4);
        BitConverter.GetBytes((ushort)0x0002).CopyTo(signed, (int)padded + 6);
        signedData.CopyTo(signed, (int)padded + 8);
        BitConverter.GetBytes((uint)padded).CopyTo(signed, (int)layout.CertificateDirectoryOffset);
        BitConverter.GetBytes((uint)certificateLength).CopyTo(signed, (int)layout.CertificateDirectoryOffset + 4);
        BitConverter.GetBytes(PeChecksum.Compute(signed, layout.ChecksumOffset)).CopyTo(signed, (int)layout.ChecksumOffset);
        return signed;
    }

    /// <summary>SpcIndirectDataContent for a PE: SpcPeImageData with an empty flags BIT STRING and the obsolete file link, then the hash.</summary>
    private static byte[] IndirectDataContent(byte[] hash, HashAlgorithmName digest)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(PeImageData);
                using (writer.PushSequence())
                {
                    writer.WriteBitString(Array.Empty<byte>());
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, true)))
                    {
                        writer.WriteCharacterString(UniversalTagNumber.BMPString, "<<<Obsolete>>>", new Asn1Tag(TagClass.ContextSpecific, 0));
                    }
                }
            }

            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(AuthenticodeSigner.DigestOid(digest));
                    writer.WriteNull();
                }

                writer.WriteOctetString(hash);
            }
        }

        return writer.Encode();
    }
}
