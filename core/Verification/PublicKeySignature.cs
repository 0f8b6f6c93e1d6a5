using System;
using System.Formats.Asn1;
using System.Linq;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WdkDriver.Core.Verification;

/// <summary>
/// Checks a signature made by a certificate's key over some bytes, in the forms X.509 and PKCS#7 use: RSA PKCS#1 v1.5,
/// ECDSA with a DER (r, s) pair, DSA. Old time-stamping authorities (VeriSign's G2 signer, Thawte) padded the bare digest
/// without its DigestInfo; Windows accepts that form for RSA, and so does <see cref="Verify"/> when asked to.
/// </summary>
internal static class PublicKeySignature
{
    public static bool Verify(X509Certificate2 signer, byte[] data, byte[] signature, HashAlgorithmName digest, bool allowBareDigest = false)
    {
        using (var rsa = signer.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                return rsa.VerifyData(data, signature, digest, RSASignaturePadding.Pkcs1)
                    || (allowBareDigest && BareDigestMatches(rsa, Hash(digest, data), signature));
            }
        }

        using (var ecdsa = signer.GetECDsaPublicKey())
        {
            if (ecdsa is not null)
            {
                return ToIeee(signature, (ecdsa.KeySize + 7) / 8) is { } pair && ecdsa.VerifyData(data, pair, digest);
            }
        }

        using var dsa = signer.GetDSAPublicKey();
        return dsa is not null && ToIeee(signature, dsa.ExportParameters(false).Q!.Length) is { } dsaPair && dsa.VerifyData(data, dsaPair, digest);
    }

    public static byte[] Hash(HashAlgorithmName digest, byte[] data)
    {
        using var hash = IncrementalHash.CreateHash(digest);
        hash.AppendData(data);
        return hash.GetHashAndReset();
    }

    /// <summary>The digest algorithm an OID names (a bare digest, or the digest of an RSA, ECDSA or DSA signature); null when unknown.</summary>
    public static HashAlgorithmName? Digest(string? oid) => Authenticode.DigestAlgorithms.FromOid(oid) ?? oid switch
    {
        "1.2.840.113549.1.1.5" or "1.2.840.10045.4.1" or "1.2.840.10040.4.3" or "1.3.14.3.2.29" => HashAlgorithmName.SHA1,
        "1.2.840.113549.1.1.11" or "1.2.840.10045.4.3.2" => HashAlgorithmName.SHA256,
        "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
        "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
        "1.2.840.113549.2.5" or "1.2.840.113549.1.1.4" => HashAlgorithmName.MD5,
        _ => null,
    };

    /// <summary>RSA's public operation by hand: .NET pads with a DigestInfo and has no other way to check one without it.</summary>
    private static bool BareDigestMatches(RSA rsa, byte[] digest, byte[] signature)
    {
        var key = rsa.ExportParameters(false);
        var modulus = Unsigned(key.Modulus!);
        var length = key.Modulus!.Length;
        if (signature.Length != length)
        {
            return false;
        }

        var message = BigEndian(BigInteger.ModPow(Unsigned(signature), Unsigned(key.Exponent!), modulus), length);
        // 00 01 FF...FF 00 digest, with at least eight bytes of FF.
        var padding = length - digest.Length - 3;
        return padding >= 8 && message[0] == 0 && message[1] == 1 && message.Skip(2).Take(padding).All(b => b == 0xFF)
            && message[2 + padding] == 0 && message.Skip(3 + padding).SequenceEqual(digest);
    }

    private static BigInteger Unsigned(byte[] bigEndian) => new(Enumerable.Reverse(bigEndian).Concat(new byte[] { 0 }).ToArray());

    private static byte[] BigEndian(BigInteger value, int length)
    {
        var little = value.ToByteArray();
        var result = new byte[length];
        for (var i = 0; i < Math.Min(length, little.Length); i++)
        {
            result[length - 1 - i] = little[i];
        }

        return result;
    }

    /// <summary>A DER SEQUENCE of r and s as the fixed-width r || s .NET's VerifyData takes; null when it is not one.</summary>
    private static byte[]? ToIeee(byte[] der, int width)
    {
        try
        {
            var pair = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var result = new byte[width * 2];
            for (var part = 0; part < 2; part++)
            {
                var value = pair.ReadIntegerBytes().ToArray().SkipWhile(b => b == 0).ToArray();
                if (value.Length > width)
                {
                    return null;
                }

                value.CopyTo(result, (part + 1) * width - value.Length);
            }

            return result;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
