using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace WdkDriver.Core.Verification;

/// <summary>
/// What a signer must chain to: the given anchors, else the system's trusted roots; or nothing, with
/// <see cref="IgnoreChain"/>. With <see cref="Microsoft"/>, a package's catalogs must carry Microsoft's driver
/// signature (<see cref="MicrosoftRoots"/>): the anchors then only supply root certificates, which must be pinned ones;
/// <see cref="PinnedRoots"/> replaces Microsoft's thumbprints (a test authority standing in for Microsoft's, another
/// cloud's roots).
/// </summary>
public sealed record TrustOptions(IReadOnlyList<X509Certificate2> Anchors, bool IgnoreChain = false, bool Microsoft = false, IReadOnlyCollection<string>? PinnedRoots = null);
