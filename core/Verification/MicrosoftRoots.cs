using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace WdkDriver.Core.Verification;

/// <summary>
/// Microsoft's driver signature: the catalog of a package Windows loads outside test mode is signed by Microsoft's
/// hardware publisher, with a driver-verification usage, chaining to one of Microsoft's roots. The roots are pinned by
/// SHA-1 thumbprint, never trusted by name: anyone can make a certificate called "Microsoft Root Certificate
/// Authority 2010", and one is published.
/// </summary>
public static class MicrosoftRoots
{
    /// <summary>Windows Hardware Driver Verification: WHQL-signed drivers.</summary>
    public const string WhqlUsage = "1.3.6.1.4.1.311.10.3.5";

    /// <summary>Windows Hardware Driver Attested Verification: attestation-signed drivers.</summary>
    public const string AttestationUsage = "1.3.6.1.4.1.311.10.3.5.1";

    /// <summary>The roots of Microsoft's code signing that the kernel-mode signing policy accepts, by thumbprint.</summary>
    public static readonly IReadOnlyDictionary<string, string> Pinned = new Dictionary<string, string>
    {
        // Root of attestation and WHQL driver signatures (Microsoft Windows Third Party Component CA 2012-2014).
        ["3B1EFD3A66EA28B16697394703A72CA340A05BD5"] = "Microsoft Root Certificate Authority 2010",
        // Root of Microsoft's own production code signing.
        ["8F43288AD272F3103B6FB1428485EA3014C0BCFE"] = "Microsoft Root Certificate Authority 2011",
        // Legacy roots, still accepted for older WHQL signatures.
        ["A43489159A520F0D93D032CCAF37E7FE20A8B419"] = "Microsoft Root Authority",
        ["CDD4EEAE6000AC7F40C3802C171E30148030C072"] = "Microsoft Root Certificate Authority",
    };

    /// <summary>
    /// The pinned roots themselves, as the tool ships them (public certificates, from Microsoft's trusted root
    /// program): a chain to Microsoft's signature is built against them on any system, Linux included.
    /// </summary>
    public static IReadOnlyList<X509Certificate2> Certificates => LoadedCertificates.Value;

    private static readonly System.Lazy<IReadOnlyList<X509Certificate2>> LoadedCertificates = new(() =>
    {
        var assembly = typeof(MicrosoftRoots).Assembly;
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith("MicrosoftRoots/", System.StringComparison.Ordinal)).OrderBy(n => n, System.StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var bytes = new System.IO.MemoryStream();
                stream.CopyTo(bytes);
                return new X509Certificate2(bytes.ToArray());
            })
            .Where(c => Pinned.ContainsKey(c.Thumbprint))
            .ToList();
    });

    /// <summary>
    /// Trust in Microsoft's driver signature (its roots ship with the tool; <paramref name="trusted"/> may add roots,
    /// which must be pinned ones too), or in the <paramref name="pinned"/> roots' signature instead of Microsoft's.
    /// </summary>
    public static TrustOptions Trust(IEnumerable<X509Certificate2> trusted, IReadOnlyList<X509Certificate2> pinned) =>
        new(trusted.Concat(pinned).ToList(), Microsoft: true, PinnedRoots: pinned.Count > 0 ? pinned.Select(r => r.Thumbprint).ToList() : null);
}
