using System;
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
