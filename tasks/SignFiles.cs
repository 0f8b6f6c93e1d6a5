using System.Security.Cryptography;
using Microsoft.Build.Framework;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Writes a signed copy of each file (PE images embedded, catalogs as signed CTLs) at its <c>SignedPath</c>, with the
/// WDK's SignMode: the per-user test certificate, a production PFX (password from
/// the environment variable named by ProductionCertificatePasswordVariable), a key in a PKCS#11 token (one login for
/// all the files), or an external SignCommand.
/// </summary>
public sealed class SignFiles : SigningTask
{
    /// <summary>The files to sign, each with the path of its signed copy in <c>SignedPath</c> metadata.</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    protected override void ExecuteCore()
    {
        using var signer = CreateSigner().WithTimestamps(Rfc3161Timestamper.For(TimestampServer, "TimestampServer"));
        var digest = (FileDigestAlgorithm ?? "sha256").ToLowerInvariant() switch
        {
            "sha256" or "" => HashAlgorithmName.SHA256,
            "sha384" => HashAlgorithmName.SHA384,
            "sha512" => HashAlgorithmName.SHA512,
            "sha1" => HashAlgorithmName.SHA1,
            _ => throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"FileDigestAlgorithm '{FileDigestAlgorithm}' is not sha256, sha384, sha512 or sha1.")),
        };
        foreach (var file in Files)
        {
            var destination = file.GetMetadata("SignedPath");
            if (destination.Length == 0)
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"'{file.ItemSpec}' has no SignedPath metadata: where its signed copy goes."));
            }

            signer.Sign(file.GetMetadata("FullPath"), destination, digest, Cancellation);
            Log.LogMessage(MessageImportance.Normal, $"Signed {destination}");
        }
    }
}
