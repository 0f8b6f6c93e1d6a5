using System.Linq;
using Microsoft.Build.Framework;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Sdk.Tasks;

/// <summary>Verifies each file's own signature (a cabinet's, a catalog's or a PE file's), as <c>signtool verify /pa</c> does.</summary>
public sealed class VerifySignatures : WdkTask
{
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    /// <summary>Certificates (.cer) the signers must chain to; none: the system's trusted roots.</summary>
    public ITaskItem[] TrustedCertificates { get; set; } = new ITaskItem[0];

    /// <summary>Certificate revocation lists (.crl), read offline.</summary>
    public ITaskItem[] RevocationLists { get; set; } = new ITaskItem[0];

    protected override void ExecuteCore()
    {
        var trust = new TrustOptions(Certificates(TrustedCertificates)) { RevocationLists = LoadRevocationLists(RevocationLists) };
        foreach (var path in Files.Select(f => f.GetMetadata("FullPath")))
        {
            var findings = SignatureVerifier.VerifyFile(path, trust);
            foreach (var finding in findings)
            {
                Report(finding);
            }

            if (findings.Count == 0)
            {
                Log.LogMessage(MessageImportance.Normal, $"Signature verified: {path}");
            }
        }
    }
}
