using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Cargo;

public static class RustTarget
{
    /// <summary>The triple to build for <paramref name="architecture"/>: <paramref name="explicitTarget"/> if set, which
    /// must agree, else the MSVC target (<see cref="RustBuildPlanner"/> decides where a host lacks it).</summary>
    public static string Resolve(DriverArchitecture architecture, string? explicitTarget)
    {
        if (string.IsNullOrWhiteSpace(explicitTarget))
        {
            return architecture.MsvcRustTarget();
        }

        var triple = explicitTarget!.Trim();
        var targetArchitecture = DriverArchitectures.FromRustTarget(triple);
        if (targetArchitecture != architecture)
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.RustTargetMismatch,
                targetArchitecture is null
                    ? $"RustTarget '{triple}' is not a Windows x86_64 or aarch64 target; a driver needs one."
                    : $"RustTarget '{triple}' builds for {targetArchitecture.Value.PlatformName()}, but Platform is {architecture.PlatformName()}. Change one of the two."));
        }

        return triple;
    }
}
