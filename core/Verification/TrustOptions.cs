using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace WdkDriver.Core.Verification;

/// <summary>
/// What a signer must chain to: the given anchors (the whole trust store: a chain ends at one of them or is refused),
/// else the system's trusted roots; or nothing, with <see cref="IgnoreChain"/>. With <see cref="Microsoft"/>, a
/// package's catalogs must carry Microsoft's driver signature, chaining to one of Microsoft's roots, which ship with
/// the tool (<see cref="MicrosoftRoots"/>) and are pinned by thumbprint; the anchors may add roots, which must be
/// pinned ones; <see cref="PinnedRoots"/> replaces Microsoft's thumbprints (a test authority standing in for
/// Microsoft's, another cloud's roots). A time stamp's authority may chain to the anchors or to the system's roots (a
/// public time-stamping service); one that chains to neither makes the signature invalid, as in Windows.
/// </summary>
public sealed record TrustOptions(IReadOnlyList<X509Certificate2> Anchors, bool IgnoreChain = false, bool Microsoft = false, IReadOnlyCollection<string>? PinnedRoots = null)
{
    /// <summary>Certificate revocation lists, read offline: a certificate they list as revoked before the time it is judged at is refused.</summary>
    public IReadOnlyList<RevocationList> RevocationLists { get; init; } = Array.Empty<RevocationList>();

    /// <summary>The moment to verify as of, instead of now (an audit, a reproducible CI run). A time stamp's time still wins.</summary>
    public DateTime? At { get; init; }

    /// <summary>The time a signature without a trusted time stamp is judged at.</summary>
    public DateTime Now => At ?? DateTime.UtcNow;
}
