using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;

namespace WdkDriver.Core.Tests.Inf;

public class DriverVerSourceTests
{
    private static readonly DateTime Now = new(2030, 5, 6, 23, 59, 0, DateTimeKind.Utc);

    [Fact]
    public void Git_version_uses_major_minor_and_height_and_the_commit_day_in_UTC()
    {
        var commit = new DateTime(2025, 1, 2, 23, 30, 0, DateTimeKind.Utc);

        var (value, warning) = new DriverVerSource(MajorMinorVersion: "0.3", GitVersionHeight: "17", GitCommitDateTicks: commit.Ticks.ToString()).Resolve(Now);

        Assert.Equal("01/02/2025,0.3.17.0", value.ToString());
        Assert.Null(warning);
    }

    [Fact]
    public void SOURCE_DATE_EPOCH_wins_over_the_commit_and_explicit_values_win_over_everything()
    {
        var source = new DriverVerSource(MajorMinorVersion: "1.0", GitVersionHeight: "5", GitCommitDateTicks: "638000000000000000", SourceDateEpoch: "1700000000");

        Assert.Equal("11/14/2023,1.0.5.0", source.Resolve(Now).Value.ToString());
        Assert.Equal("02/03/2024,9.8.7.6", (source with { DriverVersion = "9.8.7.6", DriverDate = "02/03/2024" }).Resolve(Now).Value.ToString());
    }

    [Fact]
    public void Without_git_the_fallback_version_is_padded_and_today_is_used_with_a_warning()
    {
        var (value, warning) = new DriverVerSource(FallbackVersion: "2.1.0-beta+abc").Resolve(Now, "a.inx");

        Assert.Equal("05/06/2030,2.1.0.0", value.ToString());
        Assert.Equal("WDK2007", warning!.Code);
        Assert.Equal(Severity.Warning, warning.Severity);
    }

    [Theory]
    [InlineData("1.2.3.65536", null, null, "WDK2003")]
    [InlineData("1.2.3.4.5", null, null, "WDK2003")]
    [InlineData(null, "13/01/2025", null, "WDK2004")]
    [InlineData(null, null, "yesterday", "WDK2004")]
    public void Values_that_do_not_fit_DriverVer_are_coded_errors(string? version, string? date, string? epoch, string code)
    {
        var source = new DriverVerSource(DriverVersion: version, DriverDate: date, SourceDateEpoch: epoch);

        Assert.Equal(code, Assert.Throws<WdkException>(() => source.Resolve(Now)).Diagnostic.Code);
    }

    [Fact]
    public void A_git_height_beyond_65535_is_WDK2003()
    {
        Assert.Equal("WDK2003", Assert.Throws<WdkException>(() => new DriverVerSource(MajorMinorVersion: "1.0", GitVersionHeight: "70000").Resolve(Now)).Diagnostic.Code);
    }
}
