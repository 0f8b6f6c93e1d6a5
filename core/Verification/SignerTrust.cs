using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;

namespace WdkDriver.Core.Verification;

/// <summary>
/// Whom a verified signature's signer chains to, judged as signtool and Windows judge it: at the time of a valid
/// RFC 3161 time stamp from a trusted authority (a signature outlives its certificate that way), else now; to the
/// given anchors, the system's roots, or, for Microsoft's driver signature, one of Microsoft's pinned roots.
/// </summary>
internal static class SignerTrust
{
    private const string Rfc3161Timestamp = "1.3.6.1.4.1.311.3.3.1";
    private const string TimeStamping = "1.3.6.1.5.5.7.3.8";

    public static Diagnostic? Judge(SignedCms cms, string path, TrustOptions trust)
    {
        var signerInfo = cms.SignerInfos[0];
        var signer = signerInfo.Certificate!;
        if (!MayUse(signer, TestCertificate.CodeSigning))
        {
            return Diagnostic.Error(ErrorCodes.ChainUntrusted, $"The signer '{signer.Subject}' may not sign code: its certificate lacks the code-signing usage.", path);
        }

        if (trust.Microsoft && !Has(signer, MicrosoftRoots.WhqlUsage) && !Has(signer, MicrosoftRoots.AttestationUsage))
        {
            return Diagnostic.Error(
                ErrorCodes.NotMicrosoftSigned,
                $"The catalog is signed by '{signer.Subject}', not by Microsoft for drivers: its certificate has neither the WHQL ({MicrosoftRoots.WhqlUsage}) nor the attestation ({MicrosoftRoots.AttestationUsage}) driver-verification usage.",
                path);
        }

        if (trust.IgnoreChain)
        {
            return null;
        }

        var stamped = TimestampTime(signerInfo, cms.Certificates, trust);
        return Chain(signer, cms.Certificates, trust, stamped ?? DateTime.UtcNow, stamped is null ? "now (it has no time stamp from a trusted authority)" : $"its time stamp's time, {stamped:yyyy-MM-dd HH:mm:ss} UTC") is { } problem
            ? Diagnostic.Error(problem.Code, problem.Message, path)
            : null;
    }

    /// <summary>The time of the signature's RFC 3161 time stamp, when the token verifies and its authority is trusted as the signer must be.</summary>
    private static DateTime? TimestampTime(SignerInfo signerInfo, X509Certificate2Collection included, TrustOptions trust)
    {
#if NETFRAMEWORK
        // .NET Framework's PKCS library has no RFC 3161 support: signatures are judged now.
        return null;
#else
        foreach (var attribute in signerInfo.UnsignedAttributes.Cast<CryptographicAttributeObject>().Where(a => a.Oid.Value == Rfc3161Timestamp))
        {
            foreach (var value in attribute.Values)
            {
                if (Timestamp(value.RawData, signerInfo) is not { } token || !MayUse(token.Authority, TimeStamping))
                {
                    continue;
                }

                var certificates = new X509Certificate2Collection(token.Certificates);
                certificates.AddRange(included);
                if (Chain(token.Authority, certificates, trust, token.Time, string.Empty) is null)
                {
                    return token.Time;
                }
            }
        }

        return null;
#endif
    }

#if !NETFRAMEWORK
    /// <summary>
    /// An RFC 3161 token that verifies: its own signature over the TSTInfo, and a message imprint that is the hash of
    /// this signature's value. (.NET's Rfc3161TimestampToken.TryDecode refuses the tokens of Microsoft's time-stamping
    /// service that Partner Center's signatures carry, so the parts are checked one by one.)
    /// </summary>
    private static (X509Certificate2 Authority, X509Certificate2Collection Certificates, DateTime Time)? Timestamp(byte[] encoded, SignerInfo signerInfo)
    {
        try
        {
            var token = new SignedCms();
            token.Decode(encoded);
            if (token.ContentInfo.ContentType.Value != "1.2.840.113549.1.9.16.1.4" || token.SignerInfos.Count != 1 || token.SignerInfos[0].Certificate is not { } authority)
            {
                return null;
            }

            token.CheckSignature(verifySignatureOnly: true);
            if (!Rfc3161TimestampTokenInfo.TryDecode(token.ContentInfo.Content, out var info, out _))
            {
                return null;
            }

            var algorithm = info!.HashAlgorithmId.Value switch
            {
                "1.3.14.3.2.26" => HashAlgorithmName.SHA1,
                "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
                "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
                "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
                _ => (HashAlgorithmName?)null,
            };
            if (algorithm is null)
            {
                return null;
            }

            using var hash = IncrementalHash.CreateHash(algorithm.Value);
            hash.AppendData(signerInfo.GetSignature());
            return hash.GetHashAndReset().AsSpan().SequenceEqual(info.GetMessageHash().Span)
                ? (authority, token.Certificates, info.Timestamp.UtcDateTime)
                : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
#endif

    private static (string Code, string Message)? Chain(X509Certificate2 certificate, X509Certificate2Collection included, TrustOptions trust, DateTime utcTime, string when)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = utcTime.ToLocalTime();
        chain.ChainPolicy.ExtraStore.AddRange(included);
        if (trust.Anchors.Count > 0)
        {
            chain.ChainPolicy.ExtraStore.AddRange(trust.Anchors.ToArray());
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        }

        var built = chain.Build(certificate);
        var root = chain.ChainElements.Count > 0 ? chain.ChainElements[chain.ChainElements.Count - 1].Certificate : certificate;
        var problems = chain.ChainStatus.Where(s => s.Status is not (X509ChainStatusFlags.NoError or X509ChainStatusFlags.UntrustedRoot)).ToList();
        var invalid = problems.Count == 0 ? null
            : ((string, string)?)(ErrorCodes.ChainUntrusted, $"The chain of '{certificate.Subject}' is not valid at {when}: {string.Join(", ", problems.Select(s => s.StatusInformation.Trim()))}.");

        if (trust.Microsoft)
        {
            if (((IEnumerable<string>?)trust.PinnedRoots ?? MicrosoftRoots.Pinned.Keys).Contains(root.Thumbprint, StringComparer.OrdinalIgnoreCase))
            {
                return invalid;
            }

            return root.SubjectName.RawData.AsSpan().SequenceEqual(root.IssuerName.RawData)
                ? (ErrorCodes.NotMicrosoftSigned, $"'{certificate.Subject}' chains to '{root.Subject}' (thumbprint {root.Thumbprint}), which is not one of Microsoft's roots: they are pinned by thumbprint, whatever a certificate is called.")
                : (ErrorCodes.NotMicrosoftSigned, $"The chain of '{certificate.Subject}' ends at '{root.Subject}', whose issuer '{root.Issuer}' is not at hand: give Microsoft's root certificate with --trusted-cert or MicrosoftRootCertificate (it is pinned by thumbprint){IssuerLocation(root)}.");
        }

        if (trust.Anchors.Count > 0)
        {
            return !trust.Anchors.Any(a => a.Thumbprint == root.Thumbprint)
                ? (ErrorCodes.ChainUntrusted, $"The signer '{certificate.Subject}' does not chain to a trusted certificate given for verification.")
                : invalid;
        }

        return built ? null : (ErrorCodes.ChainUntrusted, $"The signer '{certificate.Subject}' does not chain to a root this system trusts at {when} ({string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))}).");
    }

    /// <summary>Where a certificate's issuer can be downloaded (its Authority Information Access), for the message.</summary>
    private static string IssuerLocation(X509Certificate2 certificate)
    {
        var access = certificate.Extensions.Cast<X509Extension>().FirstOrDefault(e => e.Oid?.Value == "1.3.6.1.5.5.7.1.1");
        var text = access is null ? null : new AsnEncodedData(access.Oid, access.RawData).Format(false);
        var start = text?.IndexOf("http", StringComparison.OrdinalIgnoreCase) ?? -1;
        if (start < 0)
        {
            return string.Empty;
        }

        var end = text!.IndexOfAny(new[] { ',', ' ', '\n', '\r' }, start);
        return $"; it is published at {(end < 0 ? text.Substring(start) : text.Substring(start, end - start))}";
    }

    /// <summary>A certificate without an extended key usage may be used for anything.</summary>
    private static bool MayUse(X509Certificate2 certificate, string usage) => Usages(certificate) is not { } usages || usages.Contains(usage);

    private static bool Has(X509Certificate2 certificate, string usage) => Usages(certificate)?.Contains(usage) == true;

    private static List<string>? Usages(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()?.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value ?? string.Empty).ToList();
}
