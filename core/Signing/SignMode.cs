using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Signing;

/// <summary>The WDK's <c>SignMode</c>.</summary>
public enum SignMode
{
    TestSign,
    ProductionSign,
    Off,
}

public static class SignModes
{
    public static SignMode Parse(string? text) => (text ?? string.Empty).Trim().ToLowerInvariant() switch
    {
        "" or "testsign" => SignMode.TestSign,
        "productionsign" => SignMode.ProductionSign,
        "off" => SignMode.Off,
        _ => throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"SignMode '{text}' is not TestSign, ProductionSign or Off.")),
    };
}

/// <summary>FileDigestAlgorithm's values.</summary>
public static class SigningDigests
{
    public static System.Security.Cryptography.HashAlgorithmName Parse(string? text) => (text ?? "sha256").Trim().ToLowerInvariant() switch
    {
        "sha256" or "" => System.Security.Cryptography.HashAlgorithmName.SHA256,
        "sha384" => System.Security.Cryptography.HashAlgorithmName.SHA384,
        "sha512" => System.Security.Cryptography.HashAlgorithmName.SHA512,
        "sha1" => System.Security.Cryptography.HashAlgorithmName.SHA1,
        _ => throw new WdkException(Diagnostic.Error(ErrorCodes.SignSetupInvalid, $"FileDigestAlgorithm '{text}' is not sha256, sha384, sha512 or sha1.")),
    };
}
