using System.Diagnostics;

namespace WdkDriver.Bench;

/// <summary>One contender of a comparison: a name, the work to time, and what to do before it untimed.</summary>
public sealed record Contender(string Name, Action Run, Action? Prepare = null);

/// <summary>The times of one contender over the rounds, in milliseconds.</summary>
public sealed record Timing(string Name, IReadOnlyList<double> Milliseconds)
{
    public double Median => Percentile(0.5);

    public double Min => Milliseconds.Min();

    public double Max => Milliseconds.Max();

    private double Percentile(double p)
    {
        var sorted = Milliseconds.Order().ToList();
        var position = (sorted.Count - 1) * p;
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}

/// <summary>
/// Runs contenders interleaved, A B C A B C ..., after one warm-up round: on a shared, noisy machine absolute times
/// drift, but ratios of interleaved runs hold.
/// </summary>
public static class Measure
{
    public static IReadOnlyList<Timing> Interleaved(int rounds, params Contender[] contenders)
    {
        foreach (var contender in contenders)
        {
            contender.Prepare?.Invoke();
            contender.Run();
        }

        var times = contenders.Select(_ => new List<double>()).ToList();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < contenders.Length; i++)
            {
                contenders[i].Prepare?.Invoke();
                // The garbage of the contender before (10 000 files' worth) is not this one's to collect.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var watch = Stopwatch.StartNew();
                contenders[i].Run();
                times[i].Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return contenders.Select((c, i) => new Timing(c.Name, times[i])).ToList();
    }
}
