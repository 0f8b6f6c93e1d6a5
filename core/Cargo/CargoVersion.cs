using System;
using System.Text.RegularExpressions;

namespace WdkDriver.Core.Cargo;

/// <summary>Reads the version out of <c>cargo --version</c> / <c>rustc --version</c> output.</summary>
public static class CargoVersion
{
    private static readonly Regex VersionPattern = new(@"^(cargo|rustc)\s+(?<version>\d+\.\d+\.\d+)", RegexOptions.CultureInvariant);

    public static Version? Parse(string output)
    {
        var match = VersionPattern.Match(output.Trim());
        return match.Success ? Version.Parse(match.Groups["version"].Value) : null;
    }

    /// <summary>
    /// cargo drives rustc with command-line options of its own release, so a cargo much newer than its rustc fails
    /// (cargo 1.95 asks rustc 1.63 for <c>--print=split-debuginfo</c>). Debian ships cargo two minors ahead of rustc.
    /// </summary>
    public static bool AreCompatible(Version cargo, Version rustc) =>
        cargo.Major == rustc.Major && cargo.Minor <= rustc.Minor + 2;
}
