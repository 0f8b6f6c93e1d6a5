using System;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Cargo;

public static class CargoProfile
{
    /// <summary>Debug builds with cargo's <c>dev</c> profile and Release with <c>release</c>; <paramref name="explicitProfile"/> wins.</summary>
    public static string FromConfiguration(string? configuration, string? explicitProfile)
    {
        if (!string.IsNullOrWhiteSpace(explicitProfile))
        {
            return explicitProfile!.Trim();
        }

        if (string.Equals(configuration, "Debug", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(configuration))
        {
            return "dev";
        }

        if (string.Equals(configuration, "Release", StringComparison.OrdinalIgnoreCase))
        {
            return "release";
        }

        throw new WdkException(Diagnostic.Error(
            ErrorCodes.UnknownConfiguration,
            $"Configuration '{configuration}' has no cargo profile. Set CargoProfile to the [profile.*] this configuration builds with."));
    }
}
