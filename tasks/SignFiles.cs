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
/// the environment variable named by ProductionCertificatePasswordVariable), a key in a PKCS#11 token (one login for
/// all the files), or an external SignCommand.
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

    /// <summary>A PKCS#11 module (the token's library): the key stays in the token.</summary>
    public string? ProductionPkcs11Module { get; set; }

    public string? ProductionPkcs11Token { get; set; }

    /// <summary>The key's label, or its id in hexadecimal.</summary>
    public string? ProductionPkcs11Key { get; set; }

    /// <summary>The environment variable that holds the token's PIN.</summary>
    public string? ProductionPkcs11PinVariable { get; set; }

    /// <summary>The signer's certificate (.cer); empty: the token's certificate with the key's id.</summary>
    public string? ProductionPkcs11Certificate { get; set; }

    public string? FileDigestAlgorithm { get; set; }

    /// <summary>An RFC 3161 time-stamping server (signtool's /tr); empty: no time stamps.</summary>
    public string? TimestampServer { get; set; }

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

    /// <summary>
    /// The token's key, opened (and logged in to) once per build and node: tokens count logins and lock after wrong
    /// PINs, so the driver, the client, the catalog and the submission cabinet share one session. MSBuild disposes it
    /// (logging out) when the build ends.
    /// </summary>
    private Pkcs11Key TokenKey()
    {
        var certificate = string.IsNullOrWhiteSpace(ProductionPkcs11Certificate) ? null : ProductionPkcs11Certificate;
        var cacheKey = string.Join("|", "WdkDriver.Pkcs11Key", ProductionPkcs11Module, ProductionPkcs11Token, ProductionPkcs11Key, ProductionPkcs11PinVariable, certificate);
        if (BuildEngine4.GetRegisteredTaskObject(cacheKey, RegisteredTaskObjectLifetime.Build) is Pkcs11Key open)
        {
            return open;
        }

        var key = Pkcs11Key.Open(ProductionPkcs11Module!, ProductionPkcs11Token!, ProductionPkcs11Key!, ProductionPkcs11PinVariable ?? string.Empty, certificate);
        BuildEngine4.RegisterTaskObject(cacheKey, key, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
        return key;
    }

    private FileSigner CreateSigner()
    {
        var mode = SignModes.Parse(SignMode);
        if (!string.IsNullOrWhiteSpace(SignCommand))
        {
            return FileSigner.WithCommand(SignCommand!, ProcessRunner.Instance);
        }

        if (mode == Core.Signing.SignMode.ProductionSign)
        {
            if (!string.IsNullOrWhiteSpace(ProductionPkcs11Module))
            {
                if (string.IsNullOrWhiteSpace(ProductionPkcs11Token) || string.IsNullOrWhiteSpace(ProductionPkcs11Key))
                {
                    throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, "ProductionPkcs11Module needs ProductionPkcs11Token (the token's label) and ProductionPkcs11Key (the key's label or id)."));
                }

                return FileSigner.WithKey(TokenKey(), ownsKey: false);
            }

            if (!string.IsNullOrWhiteSpace(ProductionCertificateThumbprint))
            {
                return FileSigner.WithCertificate(CertificateStoreLookup.Find(ProductionCertificateThumbprint!));
            }

            if (string.IsNullOrWhiteSpace(ProductionCertificate))
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, "SignMode ProductionSign needs ProductionCertificate (a .pfx), ProductionCertificateThumbprint, ProductionPkcs11Module (a token) or SignCommand."));
            }

            return FileSigner.WithCertificate(FileSigner.LoadPfx(ProductionCertificate!, ProductionCertificatePasswordVariable));
        }

        var path = string.IsNullOrWhiteSpace(TestCertificate) ? TestCertificateStore.DefaultPath : TestCertificate!;
        return FileSigner.WithCertificate(TestCertificateStore.GetOrCreate(path, System.TimeSpan.FromMinutes(2)));
    }
}
