using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>InfVerif's modes: the three the WDK's <c>DriverTargetPlatform</c> chooses, and <c>/h</c>.</summary>
public enum InfVerifMode
{
    /// <summary><c>/u</c>: Universal (the default).</summary>
    Universal,

    /// <summary>
    /// The WDK's Desktop platform, which runs InfVerif with no driver-isolation mode: registry and destination
    /// isolation (INF1320, INF1322) are not reported.
    /// </summary>
    Desktop,

    /// <summary><c>/w</c>: Windows Driver (declarative, isolated driver packages).</summary>
    WindowsDriver,

    /// <summary><c>/h</c>: WHQL signature requirements; the <c>/w</c> severities with the WHQL destination rules.</summary>
    Whql,
}

public static class InfVerifModes
{
    /// <summary>
    /// Reads a mode by the names the WDK and the CLI use: Universal, Desktop, Windows Driver (or windows, /u, /w),
    /// and whql (/h), which no DriverTargetPlatform names.
    /// </summary>
    public static InfVerifMode Parse(string? text)
    {
        switch ((text ?? string.Empty).Trim().Replace(" ", string.Empty).ToLowerInvariant())
        {
            case "":
            case "universal":
            case "/u":
                return InfVerifMode.Universal;
            case "desktop":
                return InfVerifMode.Desktop;
            case "windows":
            case "windowsdriver":
            case "/w":
                return InfVerifMode.WindowsDriver;
            case "whql":
            case "/h":
                return InfVerifMode.Whql;
            default:
                throw new WdkException(Diagnostic.Error(
                    ErrorCodes.InfVerifModeUnknown,
                    $"'{text}' is not an INF validation mode; use Universal, Desktop or Windows Driver (DriverTargetPlatform), or whql (InfVerifMode)."));
        }
    }
}
