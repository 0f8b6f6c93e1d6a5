using System;
using System.Globalization;
using System.Linq;
using WdkDriver.Core.Processes;
using WdkDriver.Core.Versioning;

namespace WdkDriver.Core.Cabinets;

/// <summary>The time written for every file of a cabinet: SOURCE_DATE_EPOCH, else the commit time, so builds repeat.</summary>
public static class CabinetTime
{
    /// <summary>The earliest DOS time, for a folder outside any git repository and no SOURCE_DATE_EPOCH.</summary>
    public static readonly DateTime Earliest = new(1980, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static DateTime For(string directory, string? sourceDateEpoch, IProcessRunner runner)
    {
        if (ReproducibleTime.Resolve(sourceDateEpoch, null) is { } fixedTime)
        {
            return fixedTime.UtcDateTime;
        }

        try
        {
            var git = runner.Capture(new ProcessRequest("git", new[] { "-C", directory, "log", "-1", "--format=%ct" }));
            if (git.ExitCode == 0 && long.TryParse(git.StandardOutput.FirstOrDefault()?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
            }
        }
        catch (ProcessStartException)
        {
            // No git: the fixed earliest time below.
        }

        return Earliest;
    }
}
