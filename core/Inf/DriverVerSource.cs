using System;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Versioning;

namespace WdkDriver.Core.Inf;

/// <summary>
/// Where a build's DriverVer comes from, most specific first. Every source but the clock is fixed for a commit,
/// so two builds of one commit stamp the same bytes.
/// </summary>
public sealed record DriverVerSource(
    string? DriverVersion = null,
    string? DriverDate = null,
    string? MajorMinorVersion = null,
    string? GitVersionHeight = null,
    string? GitCommitDateTicks = null,
    string? SourceDateEpoch = null,
    string? FallbackVersion = null)
{
    /// <summary>
    /// Version: <c>DriverVersion</c>, else major.minor from version.json and the git height (so it grows with every
    /// commit; NBGV's fourth part holds commit-id bits, which do not), else <c>FallbackVersion</c>, each padded to
    /// four parts. Date: <c>DriverDate</c>, else <c>SOURCE_DATE_EPOCH</c>, else the commit's time, in UTC; else today,
    /// with a warning that the build is not reproducible.
    /// </summary>
    public (DriverVer Value, Diagnostic? Warning) Resolve(DateTime utcNow, string? file = null)
    {
        var versionText = !string.IsNullOrWhiteSpace(DriverVersion) ? DriverVersion!
            : !string.IsNullOrWhiteSpace(MajorMinorVersion) ? $"{MajorMinorVersion}.{(string.IsNullOrWhiteSpace(GitVersionHeight) ? "0" : GitVersionHeight)}.0"
            : !string.IsNullOrWhiteSpace(FallbackVersion) ? StripSuffix(FallbackVersion!)
            : "1.0.0.0";
        var version = DriverVer.TryParseVersion(versionText) ?? throw new WdkException(Diagnostic.Error(
            ErrorCodes.DriverVersionInvalid,
            $"Driver version '{versionText}' does not fit DriverVer: it needs one to four parts, each a number from 0 to 65535. Set DriverVersion, or fix version.json.",
            file));

        Diagnostic? warning = null;
        DateTime date;
        if (!string.IsNullOrWhiteSpace(DriverDate))
        {
            if (!DriverVer.TryParseDate(DriverDate!, out date))
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.DriverDateInvalid, $"DriverDate '{DriverDate}' is not a date in the form MM/DD/YYYY.", file));
            }
        }
        else if (ReproducibleTime.Resolve(SourceDateEpoch, GitCommitDateTicks, file) is { } time)
        {
            date = time.UtcDateTime.Date;
        }
        else
        {
            date = utcNow.Date;
            warning = Diagnostic.Warning(
                ErrorCodes.BuildNotReproducible,
                "DriverVer takes today's date: there is no commit time (not a git repository) and no SOURCE_DATE_EPOCH, so this build is not reproducible. Set SOURCE_DATE_EPOCH or DriverDate.",
                file);
        }

        return (new DriverVer(date, version), warning);
    }

    /// <summary>"1.2.3-beta+abc" → "1.2.3": DriverVer has no place for SemVer labels.</summary>
    private static string StripSuffix(string version)
    {
        var end = version.IndexOfAny(new[] { '-', '+' });
        return end < 0 ? version : version.Substring(0, end);
    }
}
