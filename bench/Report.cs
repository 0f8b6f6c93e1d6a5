using System.Globalization;
using System.Text;

namespace WdkDriver.Bench;

/// <summary>The Markdown that BENCHMARKS.md is made of: one table per comparison, ratios against its first row.</summary>
public sealed class Report
{
    private readonly StringBuilder text = new();

    public void Line(string line = "") => text.AppendLine(line);

    /// <param name="ratioNote">What the ratio column means.</param>
    public void Table(string title, IReadOnlyList<Timing> timings, string ratioNote, Func<Timing, string>? extra = null, string? extraHeader = null)
    {
        var baseline = timings[0].Median;
        Line($"### {title}");
        Line();
        Line($"| Contender | median ms | min ms | max ms | {ratioNote} |{(extraHeader is null ? string.Empty : $" {extraHeader} |")}");
        Line($"|---|---:|---:|---:|---:|{(extraHeader is null ? string.Empty : "---:|")}");
        foreach (var t in timings)
        {
            Line($"| {t.Name} | {F(t.Median)} | {F(t.Min)} | {F(t.Max)} | {(t.Median / baseline).ToString("0.00", CultureInfo.InvariantCulture)}× |{(extra is null ? string.Empty : $" {extra(t)} |")}");
        }

        Line();
    }

    /// <summary>A target from the issue, with whether this run met it.</summary>
    public void Target(string what, double value, double limit, bool atMost)
    {
        var met = atMost ? value <= limit : value >= limit;
        Line($"- {what}: **{value.ToString("0.00", CultureInfo.InvariantCulture)}** (target {(atMost ? "≤" : "≥")} {limit.ToString("0.##", CultureInfo.InvariantCulture)}) — {(met ? "met" : "**missed**")}");
    }

    public static string F(double milliseconds) => milliseconds.ToString(milliseconds < 10 ? "0.00" : "0", CultureInfo.InvariantCulture);

    public override string ToString() => text.ToString();
}
