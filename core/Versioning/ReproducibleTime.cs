using System;
using System.Globalization;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Versioning;

/// <summary>The time a build writes into its outputs: fixed for a commit, so the same sources give the same bytes.</summary>
public static class ReproducibleTime
{
    /// <summary><c>SOURCE_DATE_EPOCH</c> when set, else the commit's time (UTC ticks), else null.</summary>
    public static DateTimeOffset? Resolve(string? sourceDateEpoch, string? gitCommitDateTicks, string? file = null)
    {
        if (!string.IsNullOrWhiteSpace(sourceDateEpoch))
        {
            if (!long.TryParse(sourceDateEpoch!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.DriverDateInvalid, $"SOURCE_DATE_EPOCH '{sourceDateEpoch}' is not a number of seconds since 1970.", file));
            }

            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return long.TryParse(gitCommitDateTicks, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 && ticks <= DateTime.MaxValue.Ticks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;
    }
}
