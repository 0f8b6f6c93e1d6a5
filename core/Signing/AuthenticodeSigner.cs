using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Signing;

/// <summary>
/// Assembles a PKCS#7 v1.5 SignedData the way signtool writes it: version 1, the content placed directly under
/// [0] (not in an OCTET STRING as CMS would), signed attributes SpcSpOpusInfo, contentType, statement type and a
/// messageDigest over the content's value, NULL algorithm parameters, the certificate chain included. .NET's
/// SignedCms writes the CMS form, which osslsigncode and kernel code integrity do not all accept.
/// </summary>
public static class AuthenticodeSigner
{
    private const string SignedData = "1.2.840.113549.1.7.2";
    private const string ContentType = "1.2.840.113549.1.9.3";
    private const string MessageDigest = "1.2.840.113549.1.9.4";
    private const string OpusInfo = "1.3.6.1.4.1.311.2.1.12";
    private const string StatementType = "1.3.6.1.4.1.311.2.1.11";
    private const string IndividualCodeSigning = "1.3.6.1.4.1.311.2.1.21";
    private const string Rfc3161Timestamp = "1.3.6.1.4.1.311.3.3.1";

    /// <param name="contentType">The OID of the content: the CTL for catalogs, SPC_INDIRECT_DATA for PE files.</param>
    /// <param name="content">The content's full DER (a SEQUENCE).</param>
    /// <param name="chain">Certificates to include besides the signer's (intermediates); roots are not needed.</param>
    /// <param name="timestamper">Adds an RFC 3161 token over the signature as the unsigned attribute signtool uses.</param>
    public static byte[] Sign(string contentType, byte[] content, SigningKey signer, IReadOnlyList<X509Certificate2> chain, HashAlgorithmName digest, ITimestamper? timestamper = null)
    {
        var digestOid = DigestOid(digest);
        var contentValue = ContentValue(content);
        byte[] messageDigest;
        using (var hash = IncrementalHash.CreateHash(digest))
        {
            hash.AppendData(contentValue);
            messageDigest = hash.GetHashAndReset();
        }

        var attributes = SignedAttributes(contentType, messageDigest);
        // PKCS#7 signs the DER of the attribute SET (tag 0x31).
        var signed = signer.SignWithCertificate(attributes, digest);
        var (signatureAlgorithm, signature, certificate) = (signed.Algorithm, signed.Value, signed.Certificate);
        // Before any DER is written: a failing time stamp must surface as itself, not as an unbalanced writer.
        var token = timestamper?.Timestamp(signature, digest);

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(SignedData);
            using (writer.PushSequence(Context(0)))
            using (writer.PushSequence())
            {
                writer.WriteInteger(1);
                writer.PushSetOf();
                WriteAlgorithm(writer, digestOid, withNull: true);
                writer.PopSetOf();
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(contentType);
                    using (writer.PushSequence(Context(0)))
                    {
                        writer.WriteEncodedValue(content);
                    }
                }

                writer.PushSetOf(Context(0));
                // The signer's certificate, then the chain the key's service gave with the signature, then the caller's.
                var included = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in new[] { certificate }.Concat(signed.Chain).Concat(chain))
                {
                    if (included.Add(member.Thumbprint))
                    {
                        writer.WriteEncodedValue(member.RawData);
                    }
                }

                writer.PopSetOf(Context(0));
                writer.PushSetOf();
                using (writer.PushSequence())
                {
                    writer.WriteInteger(1);
                    using (writer.PushSequence())
                    {
                        writer.WriteEncodedValue(certificate.IssuerName.RawData);
                        var serial = certificate.GetSerialNumber();
                        Array.Reverse(serial);
                        writer.WriteInteger(serial);
                    }

                    WriteAlgorithm(writer, digestOid, withNull: true);
                    // The signed attributes go under [0] IMPLICIT: the SET's bytes with its tag changed to A0.
                    var implicitAttributes = (byte[])attributes.Clone();
                    implicitAttributes[0] = 0xA0;
                    writer.WriteEncodedValue(implicitAttributes);
                    // rsaEncryption carries NULL parameters (as signtool writes them); ECDSA algorithms carry none.
                    WriteAlgorithm(writer, signatureAlgorithm, withNull: signatureAlgorithm == SigningKey.RsaEncryption);
                    writer.WriteOctetString(signature);
                    if (token is not null)
                    {
                        writer.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true));
                        Attribute(writer, Rfc3161Timestamp, w => w.WriteEncodedValue(token));
                        writer.PopSetOf(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true));
                    }
                }

                writer.PopSetOf();
            }
        }

        return writer.Encode();
    }

    /// <summary>The bytes of a DER value without its tag and length: what the messageDigest covers.</summary>
    public static byte[] ContentValue(byte[] content)
    {
        AsnDecoder.ReadEncodedValue(content, AsnEncodingRules.DER, out var contentOffset, out var contentLength, out _);
        return content.AsSpan(contentOffset, contentLength).ToArray();
    }

    private static byte[] SignedAttributes(string contentType, byte[] messageDigest)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.PushSetOf();
        Attribute(writer, OpusInfo, w => { w.PushSequence(); w.PopSequence(); });
        Attribute(writer, ContentType, w => w.WriteObjectIdentifier(contentType));
        Attribute(writer, StatementType, w => { w.PushSequence(); w.WriteObjectIdentifier(IndividualCodeSigning); w.PopSequence(); });
        Attribute(writer, MessageDigest, w => w.WriteOctetString(messageDigest));
        writer.PopSetOf();
        return writer.Encode();
    }

    private static void Attribute(AsnWriter writer, string type, Action<AsnWriter> value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(type);
            writer.PushSetOf();
            value(writer);
            writer.PopSetOf();
        }
    }

    private static void WriteAlgorithm(AsnWriter writer, string oid, bool withNull)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (withNull)
            {
                writer.WriteNull();
            }
        }
    }

    /// <summary>
    /// Signs Authenticode's indirect data (SpcIndirectDataContent) for a kind of file: the data of
    /// <paramref name="dataType"/> (SPC_PE_IMAGE_DATA, SPC_CAB_DATA, the MSI SIP's SPC_SIPINFO), whose value
    /// <paramref name="writeValue"/> writes, then the file's digest. The one shape the PE, cabinet and installer signers share.
    /// </summary>
    public static byte[] SignIndirectData(string dataType, Action<AsnWriter> writeValue, byte[] hash, SigningKey signer, IReadOnlyList<X509Certificate2> chain, HashAlgorithmName digest, ITimestamper? timestamper)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(dataType);
                writeValue(writer);
            }

            WriteDigestInfo(writer, hash, digest);
        }

        return Sign(Catalogs.CatalogOids.IndirectData, writer.Encode(), signer, chain, digest, timestamper);
    }

    /// <summary>
    /// SpcLink's file choice holding "&lt;&lt;&lt;Obsolete&gt;&gt;&gt;" ([2] { [0] BMPString }): the link signtool writes into
    /// SpcPeImageData and, alone, as the value of SPC_CAB_DATA.
    /// </summary>
    public static void WriteObsoleteFileLink(AsnWriter writer)
    {
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, true)))
        {
            writer.WriteCharacterString(UniversalTagNumber.BMPString, "<<<Obsolete>>>", new Asn1Tag(TagClass.ContextSpecific, 0));
        }
    }

    /// <summary>DigestInfo: the digest algorithm (NULL parameters) and the digest, as Authenticode's indirect data and PKCS#1 hold it.</summary>
    public static void WriteDigestInfo(AsnWriter writer, byte[] hash, HashAlgorithmName digest)
    {
        using (writer.PushSequence())
        {
            WriteAlgorithm(writer, DigestOid(digest), withNull: true);
            writer.WriteOctetString(hash);
        }
    }

    public static string DigestOid(HashAlgorithmName digest) => Authenticode.DigestAlgorithms.Oid(digest);

    private static Asn1Tag Context(int number) => new(TagClass.ContextSpecific, number, isConstructed: true);
}
