namespace WdkDriver.WindowsLane;

/// <summary>What the lane counted, printed as it goes and summed up at the end.</summary>
internal sealed class Tally
{
    private readonly Dictionary<string, int> excludedByReason = new(StringComparer.Ordinal);
    private readonly List<string> failures = new();
    private readonly List<string> interruptions = new();

    public int Passed { get; private set; }

    public int Failed { get; private set; }

    public int Excluded { get; private set; }

    public (int Passed, int Failed, int Excluded) Snapshot() => (Passed, Failed, Excluded);

    public void Pass(string test, string seconds)
    {
        Passed++;
        Console.WriteLine($"  passed    {test} ({seconds} s)");
    }

    public void Fail(string assembly, string test, string detail)
    {
        Failed++;
        failures.Add($"{assembly}: {test}");
        Console.WriteLine($"  FAILED    {test}");
        foreach (var line in detail.Split('\n').Take(40))
        {
            Console.WriteLine("            " + line.TrimEnd('\r'));
        }
    }

    /// <summary>A test whose process hung or crashed, run again in a new one.</summary>
    public void Interrupted(string test, string why)
    {
        interruptions.Add($"{test} ({why})");
        Console.WriteLine($"  again     {test}: the test process ended during it ({why}); once more in a new process");
    }

    public void Exclude(string test, string reason)
    {
        Excluded++;
        // A reason may name what in brackets ("Linux programs: ... [osslsigncode]"); counted by the words before.
        var bracket = reason.IndexOf(" [", StringComparison.Ordinal);
        var kind = bracket < 0 ? reason : reason.Substring(0, bracket);
        excludedByReason[kind] = excludedByReason.TryGetValue(kind, out var count) ? count + 1 : 1;
        Console.WriteLine($"  excluded  {test}: {reason}");
    }

    public void PrintSummary()
    {
        if (excludedByReason.Count > 0)
        {
            Console.WriteLine("Excluded, by reason:");
            foreach (var (reason, count) in excludedByReason.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"  {count,5}  {reason}");
            }
        }

        if (interruptions.Count > 0)
        {
            Console.WriteLine("Run again after their process ended (wine or CoreCLR under wine, once; counted by their second run):");
            foreach (var interruption in interruptions)
            {
                Console.WriteLine("  " + interruption);
            }
        }

        if (failures.Count > 0)
        {
            Console.WriteLine("Failed:");
            foreach (var failure in failures)
            {
                Console.WriteLine("  " + failure);
            }
        }

        Console.WriteLine($"windows lane: {Passed} passed, {Failed} failed, {Excluded} excluded");
    }
}
