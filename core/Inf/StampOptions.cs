namespace WdkDriver.Core.Inf;

/// <summary>What to stamp (stampinf's switches); null leaves that part of the INF as it is.</summary>
/// <param name="Architecture">Replaces <c>$ARCH$</c> (<c>-a</c>): amd64, arm64 or x86.</param>
/// <param name="DriverVer">Written as <c>DriverVer</c> (<c>-d</c>, <c>-v</c>); null keeps a valid existing one.</param>
/// <param name="CatalogFile">Written as <c>CatalogFile</c> in [Version] (<c>-c</c>).</param>
/// <param name="KmdfVersion"><c>major.minor</c> for <c>$KMDFVERSION$</c> and <c>$KMDFCOINSTALLERVERSION$</c> (<c>-k</c>).</param>
/// <param name="UmdfVersion"><c>major.minor.service</c> for <c>$UMDFVERSION$</c> and <c>$UMDFCOINSTALLERVERSION$</c> (<c>-u</c>).</param>
/// <param name="Provider">Written as <c>Provider</c> in [Version] (<c>-p</c>).</param>
/// <param name="DriverVerSection">The section that holds DriverVer (<c>-s</c>).</param>
public sealed record StampOptions(
    string? Architecture = null,
    DriverVer? DriverVer = null,
    string? CatalogFile = null,
    string? KmdfVersion = null,
    string? UmdfVersion = null,
    string? Provider = null,
    string DriverVerSection = "Version");
