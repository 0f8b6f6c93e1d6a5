using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;

namespace WdkDriver.Core.Verification;

/// <summary>
/// Whom a verified signature's signer chains to, judged as signtool and Windows judge it: at the time of a valid time
/// stamp from a trusted authority (RFC 3161, or the legacy countersignature of <c>signtool /t</c>), else now (or
/// <see cref="TrustOptions.At"/>); to the given anchors as the whole trust store, the system's roots, or, for Microsoft's
/// driver signature, one of Microsoft's pinned roots; and not revoked by a given revocation list before that time.
/// </summary>
internal static class SignerTrust
{
    private const string Rfc3161Timestamp = "1.3.6.1.4.1.311.3.3.1";
    private const string TimeStamping = "1.3.6.1.5.5.7.3.8";
    private const string EllipticCurveKey = "1.2.840.10045.2.1";

    public static Diagnostic? Judge(SignedCms cms, string path, TrustOptions trust)
    {
        var signerInfo = cms.SignerInfos[0];
        var signer = signerInfo.Certificate!;
        if (!MayUse(signer, TestCertificate.CodeSigning))
        {
            return Diagnostic.Error(ErrorCodes.ChainUntrusted, $"The signer '{signer.Subject}' may not sign code: its certificate lacks the code-signing usage.", path);
        }

        if (!MaySign(signer))
        {
            return Diagnostic.Error(ErrorCodes.ChainUntrusted, $"The signer '{signer.Subject}' may not sign code: its certificate's key usage does not include digital signatures.", path);
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

        if (cms.Certificates.Cast<X509Certificate2>().Append(signer).FirstOrDefault(ExplicitCurve) is { } spoof)
        {
            return Diagnostic.Error(
                ErrorCodes.ChainUntrusted,
                $"The certificate '{spoof.Subject}' in this signature spells out its elliptic curve instead of naming a standard one: that is the form of a spoofed root (CVE-2020-0601, a key that matches a trusted root's on a curve of the forger's making). Windows refuses such a chain, and so does this check.",
                path);
        }

        var stamp = Timestamp(signerInfo, cms.Certificates, trust);
        var when = stamp is { } s ? $"its {s.Kind} time stamp's time, {s.Time:yyyy-MM-dd HH:mm:ss} UTC"
            : trust.At is { } at ? $"{at:yyyy-MM-dd HH:mm:ss} UTC, the time asked for (it has no time stamp from a trusted authority)"
            : "now (it has no time stamp from a trusted authority)";
        return Chain(signer, cms.Certificates, trust, stamp?.Time ?? trust.Now, when) is { } problem
            ? Diagnostic.Error(problem.Code, problem.Message, path)
            : null;
    }

    /// <summary>
    /// The time of the signature's time stamp: an RFC 3161 token, else a legacy countersignature, that verifies and
    /// whose authority is trusted as the signer must be, at the time it states.
    /// </summary>
    private static (DateTime Time, string Kind)? Timestamp(SignerInfo signerInfo, X509Certificate2Collection included, TrustOptions trust)
    {
        var attributes = signerInfo.UnsignedAttributes.Cast<CryptographicAttributeObject>().ToList();
        var candidates = new List<(X509Certificate2 Authority, X509Certificate2Collection Certificates, DateTime Time, string Kind)>();
#if !NETFRAMEWORK
        // .NET Framework's PKCS library has no RFC 3161 support: only legacy time stamps count there.
        foreach (var value in attributes.Where(a => a.Oid.Value == Rfc3161Timestamp).SelectMany(a => a.Values.Cast<AsnEncodedData>()))
        {
            if (Rfc3161(value.RawData, signerInfo) is { } token)
            {
                candidates.Add((token.Authority, token.Certificates, token.Time, "RFC 3161"));
            }
        }
#endif
        foreach (var value in attributes.Where(a => a.Oid.Value == Countersignature.AttributeOid).SelectMany(a => a.Values.Cast<AsnEncodedData>()))
        {
            if (Countersignature.Verify(value.RawData, signerInfo.GetSignature(), included) is { } legacy)
            {
                candidates.Add((legacy.Authority, new X509Certificate2Collection(), legacy.Time, "countersignature"));
            }
        }

        foreach (var candidate in candidates.Where(c => MayUse(c.Authority, TimeStamping) && MaySign(c.Authority)))
        {
            var certificates = new X509Certificate2Collection(candidate.Certificates);
            certificates.AddRange(included);
            if (Chain(candidate.Authority, certificates, trust, candidate.Time, string.Empty) is null)
            {
                return (candidate.Time, candidate.Kind);
            }
        }

        return null;
    }

#if !NETFRAMEWORK
    /// <summary>
    /// An RFC 3161 token that verifies: its own signature over the TSTInfo, and a message imprint that is the hash of
    /// this signature's value. (.NET's Rfc3161TimestampToken.TryDecode refuses the tokens of Microsoft's time-stamping
    /// service that Partner Center's signatures carry, so the parts are checked one by one.)
    /// </summary>
    private static (X509Certificate2 Authority, X509Certificate2Collection Certificates, DateTime Time)? Rfc3161(byte[] encoded, SignerInfo signerInfo)
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
        // Microsoft's roots ship with the tool; pinned roots given instead of Microsoft's come among the anchors.
        var anchors = trust.Microsoft && trust.PinnedRoots is null ? trust.Anchors.Concat(MicrosoftRoots.Certificates).ToList() : trust.Anchors.ToList();
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = utcTime.ToLocalTime();
        chain.ChainPolicy.ExtraStore.AddRange(included);
        if (anchors.Count > 0)
        {
#if NETFRAMEWORK
            chain.ChainPolicy.ExtraStore.AddRange(anchors.ToArray());
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
#else
            // The anchors are the trust store: a chain is built to them, past a cross-signed copy of a root the signature carries.
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
#endif
        }

        bool built;
        try
        {
            built = chain.Build(certificate);
        }
        catch (CryptographicException e)
        {
            return (ErrorCodes.ChainUntrusted, $"The chain of '{certificate.Subject}' cannot be built: {e.Message}");
        }

        var elements = chain.ChainElements.Cast<X509ChainElement>().Select(e => e.Certificate).ToList();
        var root = elements.Count > 0 ? elements[elements.Count - 1] : certificate;
        var anchored = anchors.Any(a => a.Thumbprint == root.Thumbprint);
        // Whether the chain ends at a trusted root is judged below, by thumbprint; the rest (times, usages, signatures) here.
        // A signer that is itself the trust anchor (a self-signed certificate trusted as it is) has no issuer whose
        // constraints apply: RFC 5280 does not check a trust anchor's own extensions, and osslsigncode accepts such a
        // signer. OpenSSL, under .NET, reports one marked as a CA without certificate signing in its key usage (what
        // openssl req -x509 makes) as InvalidBasicConstraints; that alone does not make the chain invalid.
        var selfAnchored = elements.Count == 1 && anchors.Any(a => a.Thumbprint == certificate.Thumbprint);
        var problems = chain.ChainStatus.Where(s => s.Status is not (X509ChainStatusFlags.NoError or X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain))
            .Where(s => !(selfAnchored && s.Status == X509ChainStatusFlags.InvalidBasicConstraints))
            .ToList();
        var invalid = problems.Count == 0 ? Revoked(elements, trust, utcTime, when)
            : (ErrorCodes.ChainUntrusted, $"The chain of '{certificate.Subject}' is not valid at {when}: {string.Join(", ", problems.Select(s => s.StatusInformation.Trim()))}.");

        if (trust.Microsoft)
        {
            if (((IEnumerable<string>?)trust.PinnedRoots ?? MicrosoftRoots.Pinned.Keys).Contains(root.Thumbprint, StringComparer.OrdinalIgnoreCase))
            {
                return invalid;
            }

            return root.SubjectName.RawData.AsSpan().SequenceEqual(root.IssuerName.RawData)
                ? (ErrorCodes.NotMicrosoftSigned, $"'{certificate.Subject}' chains to '{root.Subject}' (thumbprint {root.Thumbprint}), which is not one of Microsoft's roots: they are pinned by thumbprint, whatever a certificate is called.")
                : (ErrorCodes.NotMicrosoftSigned, $"The chain of '{certificate.Subject}' ends at '{root.Subject}', whose issuer '{root.Issuer}' is none of Microsoft's roots{IssuerLocation(root)}.");
        }

        if (anchors.Count > 0)
        {
            return anchored ? invalid : (ErrorCodes.ChainUntrusted, $"The signer '{certificate.Subject}' does not chain to a trusted certificate given for verification.{TrustHint(root)}");
        }

        return built ? invalid
            : (ErrorCodes.ChainUntrusted, $"The signer '{certificate.Subject}' does not chain to a root this system trusts at {when} ({string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))}).{TrustHint(root)}");
    }

    /// <summary>
    /// A certificate of the chain that a given revocation list, signed by its issuer, lists as revoked at or before
    /// <paramref name="utcTime"/>: the time stamp's time (one revoked later signed while it was good), else the time
    /// the signature is judged at. A list that names the issuer but is not signed by it is refused.
    /// </summary>
    private static (string Code, string Message)? Revoked(IReadOnlyList<X509Certificate2> elements, TrustOptions trust, DateTime utcTime, string when)
    {
        for (var i = 0; i + 1 < elements.Count; i++)
        {
            foreach (var list in trust.RevocationLists.Where(l => l.Issuer.AsSpan().SequenceEqual(elements[i].IssuerName.RawData)))
            {
                if (!list.IsIssuedBy(elements[i + 1]))
                {
                    return (ErrorCodes.RevocationListInvalid, $"The revocation list {list.Path} names '{elements[i].Issuer}' as its issuer, but that certificate's key did not sign it.");
                }

                if (list.RevocationOf(elements[i]) is { } revoked && revoked <= utcTime)
                {
                    return (ErrorCodes.CertificateRevoked, $"'{elements[i].Subject}' was revoked on {revoked:yyyy-MM-dd HH:mm:ss} UTC ({list.Path}), before {(when.Length == 0 ? $"{utcTime:yyyy-MM-dd HH:mm:ss} UTC" : when)}.");
                }
            }
        }

        return null;
    }

    /// <summary>What to do when a chain ends at a self-signed root nobody said to trust: the test certificate travels with the package.</summary>
    private static string TrustHint(X509Certificate2 root)
    {
        if (!root.SubjectName.RawData.AsSpan().SequenceEqual(root.IssuerName.RawData))
        {
            return string.Empty;
        }

        return root.Subject == TestCertificateStore.Subject
            // An installer or a lone file does not hold the certificate: say where its .cer is.
            ? $" It is the SDK's test certificate: its .cer is WdkDriverTestCert.cer at the top of the driver package the file came with (the .nupkg, the .zip or the package folder; an installer holds none), and beside the test certificate that signed it ({Path.ChangeExtension(TestCertificateStore.DefaultPath, ".cer")} by default); trust it with --trusted-cert and that .cer (in a project, a VerifyTrustedCertificate item)."
            : $" '{root.Subject}' is self-signed: trust it with --trusted-cert and its .cer (in a project, a VerifyTrustedCertificate item; a production certificate of your own needs one too).";
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

    /// <summary>A key usage extension, where there is one, must allow digital signatures (RFC 5280 §4.2.1.3).</summary>
    private static bool MaySign(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is not { } usage || (usage.KeyUsages & X509KeyUsageFlags.DigitalSignature) != 0;

    /// <summary>An elliptic-curve key whose curve is spelled out (not a named curve's OID).</summary>
    private static bool ExplicitCurve(X509Certificate2 certificate) =>
        certificate.PublicKey.Oid.Value == EllipticCurveKey && certificate.PublicKey.EncodedParameters.RawData is { Length: > 0 } parameters && parameters[0] != 0x06;

    /// <summary>A certificate without an extended key usage may be used for anything.</summary>
    private static bool MayUse(X509Certificate2 certificate, string usage) => Usages(certificate) is not { } usages || usages.Contains(usage);

    private static bool Has(X509Certificate2 certificate, string usage) => Usages(certificate)?.Contains(usage) == true;

    private static List<string>? Usages(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()?.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value ?? string.Empty).ToList();
}
