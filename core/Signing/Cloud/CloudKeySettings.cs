using System.Linq;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Signing.Cloud;

/// <summary>
/// Where a key in a cloud HSM is, as a build or the command names it (never a credential: those come from the
/// environment): an Azure Key Vault certificate, an Artifact Signing certificate profile, or an AWS KMS key with the
/// certificate its CA issued.
/// </summary>
public sealed record CloudKeySettings(
    string? KeyVault,
    string? KeyVaultCertificate,
    string? ArtifactSigningEndpoint,
    string? ArtifactSigningAccount,
    string? ArtifactSigningProfile,
    string? AwsKmsKey,
    string? CertificateFile,
    string? AwsRegion)
{
    private bool UsesKeyVault => !string.IsNullOrWhiteSpace(KeyVault);

    private bool UsesArtifactSigning => !string.IsNullOrWhiteSpace(ArtifactSigningEndpoint);

    private bool UsesKms => !string.IsNullOrWhiteSpace(AwsKmsKey);

    /// <summary>Whether any cloud key is named.</summary>
    public bool Any => UsesKeyVault || UsesArtifactSigning || UsesKms;

    /// <summary>Opens the one key named; naming two, or one without what it needs, is a setup error.</summary>
    public SigningKey Open()
    {
        if (new[] { UsesKeyVault, UsesArtifactSigning, UsesKms }.Count(x => x) != 1)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, "Name one cloud key: ProductionAzureKeyVault, ProductionArtifactSigningEndpoint or ProductionAwsKmsKey (--azure-key-vault, --artifact-signing or --aws-kms), not several."));
        }

        if (UsesKeyVault)
        {
            return string.IsNullOrWhiteSpace(KeyVaultCertificate)
                ? throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, "ProductionAzureKeyVault needs ProductionAzureKeyVaultCertificate (--certificate-name): the certificate's name in the vault, optionally with /version."))
                : AzureKeyVaultKey.Open(KeyVault!, KeyVaultCertificate!);
        }

        return UsesArtifactSigning
            ? ArtifactSigningKey.Open(ArtifactSigningEndpoint!, ArtifactSigningAccount ?? string.Empty, ArtifactSigningProfile ?? string.Empty)
            : Cloud.AwsKmsKey.Open(AwsKmsKey!, CertificateFile ?? string.Empty, AwsRegion);
    }
}
