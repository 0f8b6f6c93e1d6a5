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
    private const string LifetimeSigning = "1.3.6.1.4.1.311.10.3.13";
    private const string AnyUsage = "2.5.29.37.0";

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

        // A time stamp that is there but not valid makes the whole signature invalid (TRUST_E_TIME_STAMP): one that
        // does not verify at once; one whose authority is not trusted after the signer's own chain, judged at the
        // time it states, so that a signer nobody trusts is named first.
        var stamp = Timestamp(signerInfo, cms.Certificates, trust);
        if (stamp is { Time: null, Problem: { } broken })
        {
            return StampInvalid(stamp.Kind, broken, path);
        }

        // A certificate for lifetime signing ends its signatures with itself: a time stamp does not extend them.
        var lifetime = Has(signer, LifetimeSigning);
        var stampTime = lifetime ? null : stamp?.Time;
        var now = trust.At is { } at ? $"{at:yyyy-MM-dd HH:mm:ss} UTC, the time asked for" : "now";
        var when = stampTime is { } time ? $"its {stamp!.Kind} time stamp's time, {time:yyyy-MM-dd HH:mm:ss} UTC"
            : lifetime ? $"{now} (its certificate is for lifetime signing, {LifetimeSigning}: the signature ends with the certificate, time stamp or not)"
            : $"{now} (it has no time stamp)";
        if (Chain(signer, cms.Certificates, trust, stampTime ?? trust.Now, when, TestCertificate.CodeSigning) is { } problem)
        {
            return Diagnostic.Error(problem.Code, problem.Message, path);
        }

        return stamp?.Problem is { } untrusted ? StampInvalid(stamp.Kind, untrusted, path) : null;
    }

    private static Diagnostic StampInvalid(string kind, string problem, string path) => Diagnostic.Error(
        ErrorCodes.TimestampInvalid,
        $"The signature's {kind} time stamp is not valid: {problem}. Windows then refuses the whole signature (TRUST_E_TIME_STAMP), not only its time stamp: sign the file again, with a time-stamp server that works or without one.",
        path);

    /// <summary>
    /// A signature's time stamp: its kind, the time it states when it verifies, and why it is not valid (null when it
    /// is): one that does not verify has no time; one whose authority may not stamp times or is not trusted has one.
    /// </summary>
    private sealed record Stamp(string Kind, DateTime? Time, string? Problem);

    /// <summary>
    /// The signature's time stamp: an RFC 3161 token, else a legacy countersignature, that verifies and whose
    /// authority may stamp times and is trusted as the signer must be, at the time it states. Null when there is none.
    /// </summary>
    private static Stamp? Timestamp(SignerInfo signerInfo, X509Certificate2Collection included, TrustOptions trust)
    {
        var attributes = signerInfo.UnsignedAttributes.Cast<CryptographicAttributeObject>().ToList();
        var candidates = new List<(X509Certificate2 Authority, X509Certificate2Collection Certificates, DateTime Time, string Kind)>();
        Stamp? invalid = null;
#if !NETFRAMEWORK
        // .NET Framework's PKCS library has no RFC 3161 support: only legacy time stamps count there.
        foreach (var value in attributes.Where(a => a.Oid.Value == Rfc3161Timestamp).SelectMany(a => a.Values.Cast<AsnEncodedData>()))
        {
            if (Rfc3161(value.RawData, signerInfo) is { } token)
            {
                candidates.Add((token.Authority, token.Certificates, token.Time, "RFC 3161"));
            }
            else
            {
                invalid ??= new Stamp("RFC 3161", null, "its token's signature or message imprint does not verify against this signature");
            }
        }
#endif
        foreach (var value in attributes.Where(a => a.Oid.Value == Countersignature.AttributeOid).SelectMany(a => a.Values.Cast<AsnEncodedData>()))
        {
            if (Countersignature.Verify(value.RawData, signerInfo.GetSignature(), included) is { } legacy)
            {
                candidates.Add((legacy.Authority, new X509Certificate2Collection(), legacy.Time, "countersignature"));
            }
            else
            {
                invalid ??= new Stamp("countersignature", null, "it does not verify against this signature, or its authority's certificate is not in it");
            }
        }

        foreach (var candidate in candidates)
        {
            var certificates = new X509Certificate2Collection(candidate.Certificates);
            certificates.AddRange(included);
            var problem = !MayUse(candidate.Authority, TimeStamping) ? $"its authority '{candidate.Authority.Subject}' may not stamp times (its certificate lacks the time-stamping usage)"
                : !MaySign(candidate.Authority) ? $"its authority '{candidate.Authority.Subject}' may not sign (its key usage lacks digital signatures)"
                : AuthorityChain(candidate.Authority, certificates, trust, candidate.Time);
            if (problem is null)
            {
                return new Stamp(candidate.Kind, candidate.Time, null);
            }

            invalid ??= new Stamp(candidate.Kind, candidate.Time, problem.TrimEnd('.'));
        }

        return invalid;
    }

    /// <summary>
    /// Why a time-stamping authority is not trusted at the time it states; null when it is. Besides the anchors, the
    /// system's roots may vouch for it: the anchors say whom the signer must chain to (a test root, a company's own),
    /// not which public authority stamps times, and Windows' store holds both.
    /// </summary>
    private static string? AuthorityChain(X509Certificate2 authority, X509Certificate2Collection certificates, TrustOptions trust, DateTime time)
    {
        var when = $"the time it states, {time:yyyy-MM-dd HH:mm:ss} UTC";
        var problem = Chain(authority, certificates, trust, time, when, TimeStamping);
        if (problem is not null && trust.Anchors.Count > 0 && !trust.Microsoft && Chain(authority, certificates, trust with { Anchors = Array.Empty<X509Certificate2>() }, time, when, TimeStamping) is null)
        {
            return null;
        }

        return problem?.Message;
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

            var algorithm = Authenticode.DigestAlgorithms.FromOid(info!.HashAlgorithmId.Value);
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

    /// <param name="usage">What the certificate is for (code signing, time stamping): every issuer above it must allow it too.</param>
    private static (string Code, string Message)? Chain(X509Certificate2 certificate, X509Certificate2Collection included, TrustOptions trust, DateTime utcTime, string when, string usage)
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
        var invalid = problems.Count > 0
            ? (ErrorCodes.ChainUntrusted, $"The chain of '{certificate.Subject}' is not valid at {when}: {string.Join(", ", problems.Select(s => s.StatusInformation.Trim()))}.")
            : Narrowed(elements, usage) ?? Revoked(elements, trust, utcTime, when);

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

    /// <summary>
    /// An issuer whose extended key usages leave out <paramref name="usage"/>: Windows narrows a chain's usages to what
    /// every certificate in it allows, so an intermediate or root limited to other usages cannot issue this signer.
    /// </summary>
    private static (string Code, string Message)? Narrowed(IReadOnlyList<X509Certificate2> elements, string usage)
    {
        foreach (var issuer in elements.Skip(1))
        {
            if (Usages(issuer) is { } usages && !usages.Contains(usage) && !usages.Contains(AnyUsage))
            {
                return (ErrorCodes.ChainUntrusted, $"'{issuer.Subject}' in the chain of '{elements[0].Subject}' is limited to {string.Join(", ", usages)}, which leaves out {usage}: Windows allows a certificate only the usages every certificate above it allows, so this chain cannot sign {(usage == TimeStamping ? "time stamps" : "code")}.");
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
