namespace WdkDriver.Tests;

/// <summary>
/// Why a test is kept out of the Windows lane (eng/windows-lane.sh: the tests as a Windows process under wine). A
/// test carries one as its trait, <c>[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]</c>; the tool attributes of
/// <see cref="Requirements"/> carry <see cref="LinuxPrograms"/> as their <c>WindowsLane</c> property. The lane prints
/// every exclusion and counts them by reason; docs/windows.md lists the reasons with the counts.
/// </summary>
internal static class LaneExclusion
{
    public const string Trait = "WindowsLane";

    /// <summary>Wine 8's BCrypt fails RSA keys, public ones too (0xc1000002), where .NET on Windows does all RSA.</summary>
    public const string Rsa = "RSA keys: wine 8's BCrypt fails every RSA operation (0xc1000002), so nothing that signs or verifies runs";

    /// <summary>What the SDK does only off Windows (rust-lld behind a shell script, Unix file modes and links).</summary>
    public const string OffWindowsOnly = "off Windows only: what the SDK does on Linux and macOS alone (a shell script, Unix PATHs, symbolic links)";

    /// <summary>The tool attributes add which programs, in brackets: the lane counts by the words before them.</summary>
    public const string LinuxPrograms = "Linux programs: the peer tools, cargo, git, node or wine, which a Windows process cannot start";
}
