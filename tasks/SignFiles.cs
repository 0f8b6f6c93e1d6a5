using System.Linq;
using System.Security.Cryptography;
using Microsoft.Build.Framework;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Writes a signed copy of each file (PE images embedded, catalogs as signed CTLs) at its <c>SignedPath</c>, with the
/// WDK's SignMode: the per-user test certificate, a production PFX (password from the environment variable named by
/// ProductionCertificatePasswordVariable), a key in a PKCS#11 token (one login for all the files), a key in a cloud
/// HSM, or an external SignCommand. Files are signed side by side, at most SigningConcurrency at once: a remote
/// signature takes 100-300 ms.
/// </summary>
public sealed class SignFiles : SigningTask
{
    /// <summary>The files to sign, each with the path of its signed copy in <c>SignedPath</c> metadata.</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    protected override void ExecuteCore()
    {
        var digest = SigningDigests.Parse(DigestAlgorithm);
        foreach (var file in Files.Where(f => f.GetMetadata("SignedPath").Length == 0))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"'{file.ItemSpec}' has no SignedPath metadata: where its signed copy goes."));
        }

        using var signer = CreateSigner().WithTimestamps(Rfc3161Timestamper.For(TimestampServer, "TimestampServer"));
        // The first failure stops the files not yet begun; each signed copy is written whole or not at all.
        signer.SignAll(Files.Select(f => (f.GetMetadata("FullPath"), f.GetMetadata("SignedPath"))).ToList(), digest, Concurrency, Cancellation);
        foreach (var file in Files)
        {
            Log.LogMessage(MessageImportance.Normal, $"Signed {file.GetMetadata("SignedPath")}");
        }
    }
}
