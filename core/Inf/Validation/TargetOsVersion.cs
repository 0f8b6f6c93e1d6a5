using System.Globalization;
using System.Text.RegularExpressions;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>
/// A platform decoration, <c>NT[Architecture][.[OSMajor][.[OSMinor][.[ProductType][.[SuiteMask][.[BuildNumber]]]]]]</c>,
/// as it decorates models sections in [Manufacturer] and [DefaultInstall] sections. Missing numbers are 0.
/// </summary>
internal sealed class TargetOsVersion
{
    private static readonly Regex Pattern = new(
        @"^NT(?<arch>x86|amd64|arm|arm64|ia64|\$ARCH\$)?(\.(?<major>\d*)(\.(?<minor>\d*)(\.(?<product>0x[0-9A-Fa-f]*|\d*)(\.(?<suite>0x[0-9A-Fa-f]*|\d*)(\.(?<build>\d*))?)?)?)?)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private TargetOsVersion(string architecture, int major, int minor, int build)
    {
        Architecture = architecture;
        Major = major;
        Minor = minor;
        Build = build;
    }

    /// <summary>The architecture as written (<c>amd64</c>, <c>$ARCH$</c> before stamping), or empty.</summary>
    public string Architecture { get; }

    public int Major { get; }

    public int Minor { get; }

    public int Build { get; }

    /// <summary>The decoration's version; an empty one (an undecorated section) installs on any version. Null: invalid.</summary>
    public static TargetOsVersion? Parse(string decoration)
    {
        if (decoration.Length == 0)
        {
            return new TargetOsVersion(string.Empty, 0, 0, 0);
        }

        var match = Pattern.Match(decoration);
        if (!match.Success)
        {
            return null;
        }

        return new TargetOsVersion(match.Groups["arch"].Value, Number(match, "major"), Number(match, "minor"), Number(match, "build"));
    }

    public bool IsAtLeast(int major, int minor, int build) =>
        Major != major ? Major > major : Minor != minor ? Minor > minor : Build >= build;

    private static int Number(Match match, string group) =>
        int.TryParse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
}
