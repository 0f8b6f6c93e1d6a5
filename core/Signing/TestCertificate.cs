using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WdkDriver.Core.Signing;

/// <summary>
/// A test-signing certificate as makecert makes one for cargo-wdk: self-signed RSA-2048, SHA-256, code-signing EKU,
/// digitalSignature key usage, no CA basic constraint (a CA leaf trips some verification paths), valid to 2039.
/// </summary>
public static class TestCertificate
{
    public const string CodeSigning = "1.3.6.1.5.5.7.3.3";

    public static X509Certificate2 Create(string subject, DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(new X500DistinguishedName(subject), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(CodeSigning) }, critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        var serial = new byte[16];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(serial);
        }

        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        using var certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1), now.AddDays(-1), new DateTimeOffset(2039, 12, 31, 23, 59, 59, TimeSpan.Zero), serial);
        return certificate.CopyWithPrivateKey(rsa);
    }
}
