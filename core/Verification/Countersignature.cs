using System;
using System.Formats.Asn1;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WdkDriver.Core.Verification;

/// <summary>
/// The legacy Authenticode time stamp (<c>signtool /t</c>, and most signatures made before about 2016): a PKCS#9
/// countersignature, an unsigned attribute (1.2.840.113549.1.9.6) holding a SignerInfo of the time-stamping authority
/// whose messageDigest is the hash of the signature it counter-signs and whose signingTime is the time.
/// </summary>
internal static class Countersignature
{
    public const string AttributeOid = "1.2.840.113549.1.9.6";
    private const string MessageDigest = "1.2.840.113549.1.9.4";
    private const string SigningTime = "1.2.840.113549.1.9.5";

    /// <summary>
    /// The authority and time of a countersignature over <paramref name="counterSigned"/> (the signer's encrypted
    /// digest) that verifies; null when it does not, or its authority's certificate is not among <paramref name="certificates"/>.
    /// </summary>
    public static (X509Certificate2 Authority, DateTime Time)? Verify(byte[] encoded, byte[] counterSigned, X509Certificate2Collection certificates)
    {
        try
        {
            var info = new AsnReader(encoded, AsnEncodingRules.BER).ReadSequence();
            info.ReadInteger();
            var authority = FindAuthority(info, certificates);
            var digest = PublicKeySignature.Digest(info.ReadSequence().ReadObjectIdentifier());
            var signedTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (authority is null || digest is null || !info.PeekTag().HasSameClassAndValue(signedTag))
            {
                return null;
            }

            var signedAttributes = info.ReadEncodedValue().ToArray();
            info.ReadSequence();
            var signature = info.ReadOctetString();

            byte[]? messageDigest = null;
            DateTime? time = null;
            var attributes = new AsnReader(signedAttributes, AsnEncodingRules.BER).ReadSetOf(signedTag);
            while (attributes.HasData)
            {
                var attribute = attributes.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                var value = attribute.ReadSetOf();
                if (oid == MessageDigest)
                {
                    messageDigest = value.ReadOctetString();
                }
                else if (oid == SigningTime)
                {
                    time = (value.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? value.ReadUtcTime() : value.ReadGeneralizedTime()).UtcDateTime;
                }
            }

            if (messageDigest is null || time is null || !messageDigest.SequenceEqual(PublicKeySignature.Hash(digest.Value, counterSigned)))
            {
                return null;
            }

            // The signature is over the attributes as a SET, not under their [0] tag.
            var signedBytes = (byte[])signedAttributes.Clone();
            signedBytes[0] = 0x31;
            return PublicKeySignature.Verify(authority, signedBytes, signature, digest.Value, allowBareDigest: true) ? (authority, time.Value) : null;
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The certificate the SignerInfo's identifier names: by issuer and serial number, or by subject key identifier.</summary>
    private static X509Certificate2? FindAuthority(AsnReader info, X509Certificate2Collection certificates)
    {
        var all = certificates.Cast<X509Certificate2>();
        if (info.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var id = info.ReadSequence();
            var issuer = id.ReadEncodedValue().ToArray();
            var serial = CertificateSerial.Of(id.ReadIntegerBytes().ToArray());
            return all.FirstOrDefault(c => c.IssuerName.RawData.SequenceEqual(issuer) && CertificateSerial.Of(c) == serial);
        }

        var keyId = BitConverter.ToString(info.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0))).Replace("-", string.Empty);
        return all.FirstOrDefault(c => c.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any(e => string.Equals(e.SubjectKeyIdentifier, keyId, StringComparison.OrdinalIgnoreCase)));
    }
}
