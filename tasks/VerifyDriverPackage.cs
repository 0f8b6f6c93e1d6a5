using System;
using System.Linq;
using Microsoft.Build.Framework;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Verifies the driver package, given as its files, before it is laid out: the catalog's signature, every INF and
/// file it copies being a catalog member with its present digest, and every PE file's embedded signature.
/// </summary>
public sealed class VerifyDriverPackage : WdkTask
{
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    /// <summary>Files shipped beside the driver package (the client): their embedded signatures are checked.</summary>
    public ITaskItem[] ClientFiles { get; set; } = new ITaskItem[0];

    /// <summary>Certificates (.cer) the signers must chain to; none: the system's trusted roots.</summary>
    public ITaskItem[] TrustedCertificates { get; set; } = new ITaskItem[0];

    /// <summary>Certificate revocation lists (.crl), read offline.</summary>
    public ITaskItem[] RevocationLists { get; set; } = new ITaskItem[0];

    /// <summary>
    /// The catalogs must carry Microsoft's driver signature (attestation or WHQL), chaining to a pinned Microsoft root,
    /// valid at their time stamps; TrustedCertificates then supply Microsoft's root where the system has none.
    /// </summary>
    public bool Microsoft { get; set; }

    protected override void ExecuteCore()
    {
        var files = Files.ToDictionary(f => f.GetMetadata("PackagePath").Replace('\\', '/'), f => f.GetMetadata("FullPath"), StringComparer.OrdinalIgnoreCase);
        var trust = new TrustOptions(Certificates(TrustedCertificates), Microsoft: Microsoft) { RevocationLists = LoadRevocationLists(RevocationLists) };
        var findings = PackageVerifier.VerifyPackage(files, trust)
            .Concat(ClientFiles.SelectMany(f => SignatureVerifier.VerifyPe(f.GetMetadata("FullPath"), trust) ?? Array.Empty<Diagnostic>()))
            .ToList();
        foreach (var finding in findings)
        {
            Report(finding);
        }

        if (findings.Count == 0)
        {
            Log.LogMessage(MessageImportance.Normal, $"Driver package verified: {files.Count} files, {ClientFiles.Length} client files.");
        }
    }
}
