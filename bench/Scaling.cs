namespace WdkDriver.Bench;

/// <summary>Catalogs of 10 to 10 000 files: the cost per file must stay flat; and what the second core buys.</summary>
public static class Scaling
{
    public static void Run(Report report, string work, int rounds)
    {
        var contenders = new List<Contender>();
        var counts = new[] { 10, 100, 1000, 10000 };
        foreach (var count in counts)
        {
            var files = CatalogHashing.MakePackage(Path.Combine(work, $"scaling-{count}"), count * 16L * 1024 * 4, largeFiles: 0, smallFiles: count);
            contenders.Add(new Contender($"{count} files of 16 KiB, {Environment.ProcessorCount} cores", () => CatalogHashing.Catalog(files, 0)));
            if (count == 1000)
            {
                contenders.Add(new Contender($"{count} files of 16 KiB, 1 core", () => CatalogHashing.Catalog(files, 1)));
                // What the machine itself gives: the same hashing with no files to open and nothing else to do.
                var bytes = files.Values.Where(f => f.EndsWith(".bin", StringComparison.Ordinal)).Select(File.ReadAllBytes).ToArray();
                contenders.Add(new Contender("ceiling: SHA-1 + SHA-256 of those bytes in memory, 1 thread", () => HashInMemory(bytes, 1)));
                contenders.Add(new Contender($"ceiling: SHA-1 + SHA-256 of those bytes in memory, {Environment.ProcessorCount} threads", () => HashInMemory(bytes, Environment.ProcessorCount)));
            }
        }

        var timings = Measure.Interleaved(rounds, contenders.ToArray());
        var perFile = timings.Where(t => t.Name.EndsWith("cores", StringComparison.Ordinal)).Zip(counts, (t, n) => (t, n)).ToDictionary(x => x.t.Name, x => x.t.Median * 1000 / x.n);
        report.Table("6. Scaling: catalogs of 10 to 10 000 files", timings, "vs 10 files", t => perFile.TryGetValue(t.Name, out var us) ? $"{us:0} µs" : "—", "per file");
        var flat = perFile.Values.Skip(1).Max() / perFile.Values.Skip(1).Min();
        report.Target("per-file cost, largest over smallest (100 to 10 000 files)", flat, 1.5, atMost: true);
        var oneCore = timings.Single(t => t.Name.EndsWith("1 core", StringComparison.Ordinal)).Median;
        var allCores = timings.Single(t => t.Name.StartsWith("1000 files", StringComparison.Ordinal) && t.Name.EndsWith("cores", StringComparison.Ordinal)).Median;
        report.Target($"speed-up of {Environment.ProcessorCount} cores over 1 (1000 files)", oneCore / allCores, 1.6, atMost: false);
        var ceiling = timings.Single(t => t.Name.EndsWith("1 thread", StringComparison.Ordinal)).Median / timings.Single(t => t.Name.EndsWith("threads", StringComparison.Ordinal)).Median;
        report.Line($"- The machine's ceiling for that speed-up, in the same run: hashing the same bytes in memory, with nothing else to do, is {ceiling:0.00}× as fast on {Environment.ProcessorCount} threads as on 1.");
        report.Line();
        foreach (var count in counts)
        {
            Directory.Delete(Path.Combine(work, $"scaling-{count}"), recursive: true);
        }
    }

    private static void HashInMemory(byte[][] buffers, int threads) =>
        Parallel.For(0, buffers.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            System.Security.Cryptography.SHA1.HashData(buffers[i]);
            System.Security.Cryptography.SHA256.HashData(buffers[i]);
        });
}
