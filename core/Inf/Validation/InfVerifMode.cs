using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>InfVerif's modes, as the WDK's <c>DriverTargetPlatform</c> chooses them.</summary>
public enum InfVerifMode
{
    /// <summary><c>/u</c>: Universal (the default).</summary>
    Universal,

    /// <summary><c>/h</c>: Desktop; the <c>/w</c> severities plus the WHQL rules for registry and file destinations.</summary>
    Desktop,

    /// <summary><c>/w</c>: Windows Driver (declarative, isolated driver packages).</summary>
    WindowsDriver,
}

public static class InfVerifModes
{
    /// <summary>Reads a mode by the names the WDK and the CLI use: Universal, Desktop, Windows Driver (or windows, /u, /h, /w).</summary>
    public static InfVerifMode Parse(string? text)
    {
        switch ((text ?? string.Empty).Trim().Replace(" ", string.Empty).ToLowerInvariant())
        {
            case "":
            case "universal":
            case "/u":
                return InfVerifMode.Universal;
            case "desktop":
            case "/h":
                return InfVerifMode.Desktop;
            case "windows":
            case "windowsdriver":
            case "/w":
                return InfVerifMode.WindowsDriver;
            default:
                throw new WdkException(Diagnostic.Error(
                    ErrorCodes.InfVerifModeUnknown,
                    $"'{text}' is not an INF validation mode; use Universal, Desktop or Windows Driver (DriverTargetPlatform)."));
        }
    }
}
