using System;
using System.Formats.Asn1;
using System.Security.Cryptography;

namespace WdkDriver.Core.Signing;

/// <summary>
/// A key that signs a digest made here: a token or a cloud HSM is sent a few bytes, never the data, and needs no
/// hash-and-sign mechanism of its own.
/// </summary>
public abstract class DigestSigningKey : SigningKey
{
    public sealed override (string Algorithm, byte[] Signature) Sign(byte[] data, HashAlgorithmName digest)
    {
        var signed = SignWithCertificate(data, digest);
        return (signed.Algorithm, signed.Value);
    }

    public sealed override KeySignature SignWithCertificate(byte[] data, HashAlgorithmName digest)
    {
        using var hasher = IncrementalHash.CreateHash(digest);
        hasher.AppendData(data);
        return SignDigest(hasher.GetHashAndReset(), digest);
    }

    /// <summary>Signs a digest made with <paramref name="digest"/>.</summary>
    protected abstract KeySignature SignDigest(byte[] hash, HashAlgorithmName digest);

    /// <summary>The DER DigestInfo PKCS#1 v1.5 signs: what a key that signs raw RSA blocks is given.</summary>
    protected static byte[] DigestInfo(byte[] hash, HashAlgorithmName digest)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        AuthenticodeSigner.WriteDigestInfo(writer, hash, digest);
        return writer.Encode();
    }

    /// <summary>PKCS#11 and Key Vault return ECDSA's r and s side by side; PKCS#7 stores SEQUENCE { INTEGER r, INTEGER s }.</summary>
    protected static byte[] DerSignature(byte[] raw)
    {
        var half = raw.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(raw.AsSpan(0, half));
            writer.WriteIntegerUnsigned(raw.AsSpan(half));
        }

        return writer.Encode();
    }
}
