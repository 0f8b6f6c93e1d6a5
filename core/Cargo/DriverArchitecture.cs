using System;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Cargo;

public enum DriverArchitecture
{
    X64,
    Arm64,
}

/// <summary>The names one architecture goes by in MSBuild, INF files and Rust target triples.</summary>
public static class DriverArchitectures
{
    /// <summary>MSBuild's <c>Platform</c>: x64 or ARM64 as in the WDK's projects; AnyCPU (the .NET default) means x64.</summary>
    public static DriverArchitecture FromPlatform(string? platform)
    {
        switch ((platform ?? string.Empty).Trim().ToUpperInvariant())
        {
            case "":
            case "ANYCPU":
            case "ANY CPU":
            case "X64":
            case "AMD64":
                return DriverArchitecture.X64;
            case "ARM64":
                return DriverArchitecture.Arm64;
            default:
                throw new WdkException(Diagnostic.Error(
                    ErrorCodes.UnsupportedPlatform,
                    $"Platform '{platform}' is not a driver platform. Use x64 or ARM64 (AnyCPU builds x64)."));
        }
    }

    /// <summary>The architecture a Rust target triple compiles for, or null for one a Windows driver cannot use.</summary>
    public static DriverArchitecture? FromRustTarget(string triple)
    {
        if (!triple.Contains("-windows-"))
        {
            return null;
        }

        if (triple.StartsWith("x86_64-", StringComparison.Ordinal))
        {
            return DriverArchitecture.X64;
        }

        return triple.StartsWith("aarch64-", StringComparison.Ordinal) ? DriverArchitecture.Arm64 : null;
    }

    /// <summary>The MSVC target, which cargo-wdk and the WDK build on Windows: the default on every host that has it.</summary>
    public static string MsvcRustTarget(this DriverArchitecture architecture) =>
        architecture == DriverArchitecture.X64 ? "x86_64-pc-windows-msvc" : "aarch64-pc-windows-msvc";

    /// <summary>mingw-w64's target, the x64 fallback where a toolchain has no MSVC target (Debian's rustc).</summary>
    public const string GnuRustTarget = "x86_64-pc-windows-gnu";

    public static string PlatformName(this DriverArchitecture architecture) =>
        architecture == DriverArchitecture.X64 ? "x64" : "ARM64";

    /// <summary>The INF's name (stampinf's <c>-a</c>, <c>$ARCH$</c>, <c>NTamd64</c> decorations).</summary>
    public static string InfName(this DriverArchitecture architecture) =>
        architecture == DriverArchitecture.X64 ? "amd64" : "arm64";
}
