using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Signing;

/// <summary>
/// What makes a signature: the signer's certificate and an operation that signs with its private key. The key may be
/// in memory (a .pfx, the test certificate, a certificate store) or stay in a hardware token (<see cref="Pkcs11Key"/>).
/// </summary>
public abstract class SigningKey : IDisposable
{
    public abstract X509Certificate2 Certificate { get; }

    /// <summary>Signs <paramref name="data"/> hashed with <paramref name="digest"/>; returns the signature algorithm's OID and the signature as PKCS#7 stores it.</summary>
    public abstract (string Algorithm, byte[] Signature) Sign(byte[] data, HashAlgorithmName digest);

    /// <summary>
    /// Signs as <see cref="Sign"/> does, with the certificate that verifies this very signature and the chain above it
    /// to embed: a service that issues short-lived certificates (Artifact Signing) answers each signature with its own.
    /// </summary>
    public virtual KeySignature SignWithCertificate(byte[] data, HashAlgorithmName digest)
    {
        var (algorithm, signature) = Sign(data, digest);
        return new KeySignature(algorithm, signature, Certificate, Array.Empty<X509Certificate2>());
    }

    /// <summary>Who signs, without a secret: what an incremental build records, so that another signer signs again.</summary>
    public virtual string Identity => "certificate " + Certificate.Thumbprint;

    /// <summary>
    /// Why this key cannot make a signature Windows accepts, or null: a certificate outside its validity or without
    /// code-signing usage, or a key that is not the certificate's (one probe signature tells; on a token it also shows
    /// that the login worked). Keys whose service vouches for the pair skip the probe, a remote call.
    /// </summary>
    public virtual string? CannotSign(DateTime utcNow) => CertificateCannotSign(Certificate, utcNow) ?? ProbeCannotSign();

    /// <summary>A certificate's validity and extended key usage, as Windows checks them for code signing.</summary>
    public static string? CertificateCannotSign(X509Certificate2 certificate, DateTime utcNow)
    {
        if (utcNow < certificate.NotBefore.ToUniversalTime() || utcNow > certificate.NotAfter.ToUniversalTime())
        {
            return $"it is valid from {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd} (UTC), not now.";
        }

        var usage = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usage is not null && !usage.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == TestCertificate.CodeSigning))
        {
            return "its extended key usage does not include code signing (1.3.6.1.5.5.7.3.3).";
        }

        return null;
    }

    private string? ProbeCannotSign()
    {
        // A key that is not the certificate's signs, but nothing verifies what it signed.
        var probe = new byte[] { 0x57, 0x44, 0x4B };
        var (algorithm, signature) = Sign(probe, HashAlgorithmName.SHA256);
        return Verifies(Certificate, algorithm, probe, signature) ? null : "its private key is not the key of the certificate.";
    }

    /// <summary>Whether <paramref name="signature"/> over <paramref name="data"/> (SHA-256) verifies with the certificate's public key.</summary>
    private static bool Verifies(X509Certificate2 certificate, string algorithm, byte[] data, byte[] signature)
    {
        using var rsaPublic = certificate.GetRSAPublicKey();
        if (algorithm == RsaEncryption && rsaPublic is not null)
        {
            return rsaPublic.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

#if !NETFRAMEWORK
        using var ecdsaPublic = certificate.GetECDsaPublicKey();
        if (algorithm != RsaEncryption && ecdsaPublic is not null)
        {
            return ecdsaPublic.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
#endif

        return true;
    }

    public virtual void Dispose()
    {
    }

    /// <summary>A certificate with its private key signs as it is (the caller keeps owning it).</summary>
    public static implicit operator SigningKey(X509Certificate2 certificate) => new CertificateKey(certificate);

    public const string RsaEncryption = "1.2.840.113549.1.1.1";

    /// <summary>The ECDSA-with-hash OID for a digest.</summary>
    public static string EcdsaAlgorithm(HashAlgorithmName digest) =>
        digest == HashAlgorithmName.SHA256 ? "1.2.840.10045.4.3.2"
        : digest == HashAlgorithmName.SHA384 ? "1.2.840.10045.4.3.3"
        : digest == HashAlgorithmName.SHA512 ? "1.2.840.10045.4.3.4"
        : throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"ECDSA signing needs SHA-256, SHA-384 or SHA-512, not {digest.Name}."));

    private sealed class CertificateKey : SigningKey
    {
        private readonly X509Certificate2 certificate;

        public CertificateKey(X509Certificate2 certificate) => this.certificate = certificate;

        public override X509Certificate2 Certificate => certificate;

        public override (string Algorithm, byte[] Signature) Sign(byte[] data, HashAlgorithmName digest)
        {
            using (var rsa = certificate.GetRSAPrivateKey())
            {
                if (rsa is not null)
                {
                    return (RsaEncryption, rsa.SignData(data, digest, RSASignaturePadding.Pkcs1));
                }
            }

#if !NETFRAMEWORK
            using (var ecdsa = certificate.GetECDsaPrivateKey())
            {
                if (ecdsa is not null)
                {
                    return (EcdsaAlgorithm(digest), ecdsa.SignData(data, digest, DSASignatureFormat.Rfc3279DerSequence));
                }
            }
#endif

            throw new WdkException(Diagnostic.Error(
                ErrorCodes.SigningKeyUnusable,
                $"The certificate '{certificate.Subject}' has no RSA or ECDSA private key to sign with."));
        }
    }
}

/// <summary>A signature (its algorithm's OID and value as PKCS#7 stores them), the certificate it verifies with, and the chain above that certificate.</summary>
public sealed record KeySignature(string Algorithm, byte[] Value, X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain);
