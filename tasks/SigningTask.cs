using Microsoft.Build.Framework;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Processes;
using WdkDriver.Core.Signing;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// The signing settings the tasks that sign share (SignMode and where its key is), and the signer they make.
/// </summary>
public abstract class SigningTask : WdkTask
{
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

    /// <summary>
    /// What the signatures depend on besides the files, without a secret: the signer certificate's thumbprint (a .pfx
    /// is opened with its password, so a wrong password or a damaged file fails here, at the .pfx, even when nothing
    /// is left to sign), the test certificate's path (its bytes are recorded beside), the token's coordinates (no
    /// login: its certificate is recorded by the bytes of the file that gives it), or the command; then the digest
    /// and the time-stamping server.
    /// </summary>
    protected string SignerIdentity()
    {
        var mode = SignModes.Parse(SignMode);
        string signer;
        if (mode == Core.Signing.SignMode.Off)
        {
            signer = "none";
        }
        else if (mode == Core.Signing.SignMode.ProductionSign && string.IsNullOrWhiteSpace(SignCommand) && !string.IsNullOrWhiteSpace(ProductionPkcs11Module))
        {
            signer = $"pkcs11 {ProductionPkcs11Module}|{ProductionPkcs11Token}|{ProductionPkcs11Key}|{ProductionPkcs11PinVariable}|{ProductionPkcs11Certificate}";
        }
        else if (mode == Core.Signing.SignMode.TestSign && string.IsNullOrWhiteSpace(SignCommand))
        {
            // No password to get wrong: the test certificate is recorded by its bytes (made on first use), not opened
            // on every build.
            var path = string.IsNullOrWhiteSpace(TestCertificate) ? TestCertificateStore.DefaultPath : TestCertificate!;
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

        return $"{mode} {signer} {FileDigestAlgorithm} {TimestampServer}";
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

    protected FileSigner CreateSigner()
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
