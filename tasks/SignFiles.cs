using System;
using System.Security.Cryptography;
using Microsoft.Build.Framework;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Processes;
using WdkDriver.Core.Signing;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Writes a signed copy of each file (PE images embedded, catalogs as signed CTLs) at its <c>SignedPath</c>, with the
/// WDK's SignMode: the per-user test certificate, a production PFX (password from
/// the environment variable named by ProductionCertificatePasswordVariable), or an external SignCommand.
/// </summary>
public sealed class SignFiles : WdkTask
{
    /// <summary>The files to sign, each with the path of its signed copy in <c>SignedPath</c> metadata.</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    public string? SignMode { get; set; }

    /// <summary>The test certificate's .pfx; created on first use.</summary>
    public string? TestCertificate { get; set; }

    public string? ProductionCertificate { get; set; }

    public string? ProductionCertificatePasswordVariable { get; set; }

    /// <summary>A certificate in the personal store, by SHA-1 thumbprint (instead of ProductionCertificate).</summary>
    public string? ProductionCertificateThumbprint { get; set; }

    public string? SignCommand { get; set; }

    public string? FileDigestAlgorithm { get; set; }

    /// <summary>An RFC 3161 time-stamping server (signtool's /tr); empty: no time stamps.</summary>
    public string? TimestampServer { get; set; }

    protected override void ExecuteCore()
    {
        var signer = CreateSigner().WithTimestamps(Timestamper(TimestampServer));
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

    private static ITimestamper? Timestamper(string? server) =>
        string.IsNullOrWhiteSpace(server) ? null
        : Uri.TryCreate(server, UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https") ? new Rfc3161Timestamper(uri)
        : throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"TimestampServer '{server}' is not an http(s) URL."));

    private FileSigner CreateSigner()
    {
        var mode = SignModes.Parse(SignMode);
        if (!string.IsNullOrWhiteSpace(SignCommand))
        {
            return FileSigner.WithCommand(SignCommand!, ProcessRunner.Instance);
        }

        if (mode == Core.Signing.SignMode.ProductionSign)
        {
            if (!string.IsNullOrWhiteSpace(ProductionCertificateThumbprint))
            {
                return FileSigner.WithCertificate(CertificateStoreLookup.Find(ProductionCertificateThumbprint!));
            }

            if (string.IsNullOrWhiteSpace(ProductionCertificate))
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, "SignMode ProductionSign needs ProductionCertificate (a .pfx), ProductionCertificateThumbprint or SignCommand."));
            }

            return FileSigner.WithCertificate(FileSigner.LoadPfx(ProductionCertificate!, ProductionCertificatePasswordVariable));
        }

        var path = string.IsNullOrWhiteSpace(TestCertificate) ? TestCertificateStore.DefaultPath : TestCertificate!;
        return FileSigner.WithCertificate(TestCertificateStore.GetOrCreate(path, System.TimeSpan.FromMinutes(2)));
    }
}
