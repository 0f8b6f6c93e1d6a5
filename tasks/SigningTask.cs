using Microsoft.Build.Framework;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Processes;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Signing.Cloud;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// The signing settings the tasks that sign share (SignMode and where its key is), and the signer they make. The
/// settings come as the metadata of one item (<c>@(_WdkSigner)</c>, named after the properties), so that every stage
/// that signs is given all of them.
/// </summary>
public abstract class SigningTask : WdkTask
{
    /// <summary>The signing properties as metadata: SignMode, TestCertificate, ProductionCertificate, ….</summary>
    [Required]
    public ITaskItem Signer { get; set; } = null!;

    /// <summary>The digest algorithm, where the stage does not take FileDigestAlgorithm (Partner Center takes SHA-256 only).</summary>
    public string? FileDigestAlgorithm { get; set; }

    private string? Setting(string name) => Signer.GetMetadata(name) is { Length: > 0 } value ? value : null;

    private string? SignMode => Setting("SignMode");

    private string? SignCommand => Setting("SignCommand");

    /// <summary>An RFC 3161 time-stamping server (signtool's /tr); empty: no time stamps.</summary>
    protected string? TimestampServer => Setting("TimestampServer");

    protected string? DigestAlgorithm => FileDigestAlgorithm ?? Setting("FileDigestAlgorithm");

    /// <summary>How many files are signed at once (SigningConcurrency; default 4).</summary>
    protected int Concurrency =>
        Setting("SigningConcurrency") is not { } text ? 4
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count > 0 ? count
        : throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"SigningConcurrency '{text}' is not a whole number above 0."));

    private CloudKeySettings Cloud => new(
        Setting("ProductionAzureKeyVault"), Setting("ProductionAzureKeyVaultCertificate"),
        Setting("ProductionArtifactSigningEndpoint"), Setting("ProductionArtifactSigningAccount"), Setting("ProductionArtifactSigningProfile"),
        Setting("ProductionAwsKmsKey"), Setting("ProductionCertificateFile"), Setting("ProductionAwsRegion"));

    /// <summary>
    /// What the signatures depend on besides the files, without a secret: the signer certificate's thumbprint (a .pfx
    /// is opened with its password, so a wrong password or a damaged file fails here, at the .pfx, even when nothing
    /// is left to sign), the test certificate's path (its bytes are recorded beside), the token's coordinates (no
    /// login: its certificate is recorded by the bytes of the file that gives it), a cloud key's identity (a Key Vault
    /// certificate's version, so a renewed one signs again; an Artifact Signing profile; a KMS key and its
    /// certificate), or the command; then the digest and the time-stamping server.
    /// </summary>
    protected string SignerIdentity()
    {
        var mode = SignModes.Parse(SignMode);
        string signer;
        if (mode == Core.Signing.SignMode.Off)
        {
            signer = "none";
        }
        else if (mode == Core.Signing.SignMode.ProductionSign && SignCommand is null && Setting("ProductionPkcs11Module") is { } module)
        {
            signer = $"pkcs11 {module}|{Setting("ProductionPkcs11Token")}|{Setting("ProductionPkcs11Key")}|{Setting("ProductionPkcs11PinVariable")}|{Setting("ProductionPkcs11Certificate")}";
        }
        else if (mode == Core.Signing.SignMode.TestSign && SignCommand is null)
        {
            // No password to get wrong: the test certificate is recorded by its bytes (made on first use), not opened
            // on every build.
            var path = Setting("TestCertificate") ?? TestCertificateStore.DefaultPath;
            if (!System.IO.File.Exists(path))
            {
                TestCertificateStore.GetOrCreate(path, System.TimeSpan.FromMinutes(2)).Dispose();
            }

            signer = "test certificate " + System.IO.Path.GetFullPath(path);
        }
        else
        {
            using var opened = CreateSigner();
            signer = opened.Identity;
        }

        return $"{mode} {signer} {DigestAlgorithm} {TimestampServer}";
    }

    /// <summary>
    /// A key opened once per build and node, shared by every stage that signs, and disposed by MSBuild when the build
    /// ends: a token (tokens count logins and lock after wrong PINs, so the driver, the client, the catalog and the
    /// submission cabinet share one session), or a cloud key (one sign-in, one read of its certificate).
    /// </summary>
    private SigningKey SharedKey(string coordinates, System.Func<SigningKey> open)
    {
        var cacheKey = "WdkDriver.SigningKey|" + coordinates;
        if (BuildEngine4.GetRegisteredTaskObject(cacheKey, RegisteredTaskObjectLifetime.Build) is SigningKey key)
        {
            return key;
        }

        key = open();
        BuildEngine4.RegisterTaskObject(cacheKey, key, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
        return key;
    }

    protected FileSigner CreateSigner()
    {
        var mode = SignModes.Parse(SignMode);
        if (SignCommand is not null)
        {
            return FileSigner.WithCommand(SignCommand, ProcessRunner.Instance);
        }

        if (mode != Core.Signing.SignMode.ProductionSign)
        {
            var path = Setting("TestCertificate") ?? TestCertificateStore.DefaultPath;
            return FileSigner.WithCertificate(TestCertificateStore.GetOrCreate(path, System.TimeSpan.FromMinutes(2)));
        }

        var cloud = Cloud;
        if (cloud.Any)
        {
            return FileSigner.WithKey(SharedKey(cloud.ToString(), cloud.Open), ownsKey: false);
        }

        if (Setting("ProductionPkcs11Module") is { } module)
        {
            var (token, keyLabel, pin, certificate) = (Setting("ProductionPkcs11Token"), Setting("ProductionPkcs11Key"), Setting("ProductionPkcs11PinVariable"), Setting("ProductionPkcs11Certificate"));
            if (token is null || keyLabel is null)
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, "ProductionPkcs11Module needs ProductionPkcs11Token (the token's label) and ProductionPkcs11Key (the key's label or id)."));
            }

            return FileSigner.WithKey(SharedKey(string.Join("|", "pkcs11", module, token, keyLabel, pin, certificate), () => Pkcs11Key.Open(module, token, keyLabel, pin ?? string.Empty, certificate)), ownsKey: false);
        }

        if (Setting("ProductionCertificateThumbprint") is { } thumbprint)
        {
            return FileSigner.WithCertificate(CertificateStoreLookup.Find(thumbprint));
        }

        if (Setting("ProductionCertificate") is not { } pfx)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, "SignMode ProductionSign needs ProductionCertificate (a .pfx), ProductionCertificateThumbprint, ProductionPkcs11Module (a token), a cloud key (ProductionAzureKeyVault, ProductionArtifactSigningEndpoint, ProductionAwsKmsKey) or SignCommand."));
        }

        return FileSigner.WithCertificate(FileSigner.LoadPfx(pfx, Setting("ProductionCertificatePasswordVariable")));
    }
}
