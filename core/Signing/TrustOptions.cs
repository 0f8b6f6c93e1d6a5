using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace WdkDriver.Core.Signing;

/// <summary>What a signer must chain to: the given anchors, else the system's trusted roots; or nothing, with <see cref="IgnoreChain"/>.</summary>
public sealed record TrustOptions(IReadOnlyList<X509Certificate2> Anchors, bool IgnoreChain = false);
