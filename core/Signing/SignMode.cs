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
