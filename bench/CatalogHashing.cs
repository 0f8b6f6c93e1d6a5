using System.Security.Cryptography;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Catalogs;

namespace WdkDriver.Bench;

/// <summary>Catalog hashing over a large package, against openssl and sha256sum over the same files.</summary>
public static class CatalogHashing
{
    public static void Run(Report report, string work, int rounds, long totalBytes)
    {
        var package = Path.Combine(work, "catalog-package");
        var files = MakePackage(package, totalBytes, largeFiles: 4, smallFiles: 1024);
        var names = files.Keys.Where(k => k != "bench.inf").Select(k => Path.Combine(package, k)).ToArray();
        var gib = totalBytes / (double)(1L << 30);

        var timings = Measure.Interleaved(
            rounds,
            new Contender("openssl dgst -sha256 (1 core)", () => Tools.Run(package, "openssl", new[] { "dgst", "-sha256" }.Concat(names).ToArray())),
            new Contender("sha256sum (1 core)", () => Tools.Run(package, "sha256sum", names)),
            new Contender("openssl dgst -sha1, then -sha256: both digests a v2 catalog needs (1 core)", () =>
            {
                Tools.Run(package, "openssl", new[] { "dgst", "-sha1" }.Concat(names).ToArray());
                Tools.Run(package, "openssl", new[] { "dgst", "-sha256" }.Concat(names).ToArray());
            }),
            new Contender("WdkDriver catalog, 1 core (SHA-1 + SHA-256, one read)", () => Catalog(files, 1)),
            new Contender($"WdkDriver catalog, {Environment.ProcessorCount} cores", () => Catalog(files, 0)),
            new Contender("WdkDriver catalog before: 3 reads (SHA-256 id, SHA-1, SHA-256), 1 core", () => Before(files)),
            new Contender("WdkDriver catalog v1 (SHA-1 only), 1 core", () => Catalog(files, 1, version: 1)));
        report.Table($"1. Catalog hashing: {gib:0.00} GiB in {files.Count} files (4 large, 1024 small)", timings, "time vs openssl", t => $"{gib * 1024 / (t.Median / 1000):0} MiB/s", "throughput");
        var openssl = timings[0].Median;
        report.Target("catalog throughput on 1 core vs OpenSSL SHA-256", openssl / timings[3].Median, 0.9, atMost: false);
        report.Target($"catalog throughput on {Environment.ProcessorCount} cores vs OpenSSL on 1 core", openssl / timings[4].Median, 1.6, atMost: false);
        report.Line($"- A v2 catalog (the default for Windows 10 and later) needs SHA-1 *and* SHA-256 of every file (the SHA-1 companion members are named by their digest), so the catalog hashes twice what `openssl dgst -sha256` hashes; the ratio counts bytes of files, not bytes hashed. Against OpenSSL computing both digests, the v2 catalog on 1 core reaches {timings[2].Median / timings[3].Median:0.00}× its throughput. A v1 catalog (SHA-1 only, what inf2cat writes when the OS list reaches below Windows 10) on 1 core: {openssl / timings[6].Median:0.00}× OpenSSL's SHA-256 throughput.");
        report.Line();
        Directory.Delete(package, recursive: true);
    }

    public static void Catalog(IReadOnlyDictionary<string, string> files, int parallelism, int? version = null) =>
        CatalogBuilder.Build(files, new CatalogOptions("10_X64", version, Time: DateTimeOffset.UnixEpoch, MaxParallelism: parallelism), DateTimeOffset.UtcNow);

    /// <summary>What the catalog stage did before this benchmark: each file read three times, one file after another.</summary>
    private static void Before(IReadOnlyDictionary<string, string> files)
    {
        foreach (var path in files.Values)
        {
            FileDigest.Compute(path, HashAlgorithmName.SHA256);
            FileDigest.Compute(path, HashAlgorithmName.SHA1);
            FileDigest.Compute(path, HashAlgorithmName.SHA256);
        }
    }

    /// <summary>A driver package of random files and an INF that lists them all, so the catalog covers every byte.</summary>
    public static IReadOnlyDictionary<string, string> MakePackage(string folder, long totalBytes, int largeFiles, int smallFiles)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(20261124);
        var smallSize = (int)Math.Max(1024, totalBytes / 4 / Math.Max(1, smallFiles));
        var largeSize = largeFiles == 0 ? 0 : (totalBytes - (long)smallSize * smallFiles) / largeFiles;
        var names = new List<string>();
        var buffer = new byte[1 << 20];
        void Write(string name, long size)
        {
            using var stream = File.Create(Path.Combine(folder, name));
            for (var left = size; left > 0; left -= buffer.Length)
            {
                random.NextBytes(buffer);
                stream.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
            }

            names.Add(name);
        }

        for (var i = 0; i < largeFiles; i++)
        {
            Write($"large{i}.bin", largeSize);
        }

        for (var i = 0; i < smallFiles; i++)
        {
            Write($"small{i:D5}.bin", smallSize);
        }

        File.WriteAllText(Path.Combine(folder, "bench.inf"), string.Join("\r\n", new[]
        {
            "[Version]", "Signature = \"$WINDOWS NT$\"", "Class = System", "ClassGuid = {4D36E97D-E325-11CE-BFC1-08002BE10318}",
            "Provider = %P%", "DriverVer = 01/01/2026,1.0.0.0", "CatalogFile = bench.cat", "PnpLockdown = 1",
            "[DestinationDirs]", "DefaultDestDir = 13", "[SourceDisksNames]", "1 = %D%,,,\"\"", "[SourceDisksFiles]",
        }.Concat(names.Select(n => n + " = 1")).Concat(new[] { "[DefaultInstall.NTamd64]", "CopyFiles = Bench.Files", "[Bench.Files]" })
            .Concat(names).Concat(new[] { "[Strings]", "P = \"Bench\"", "D = \"Bench disk\"", string.Empty })));
        return names.Append("bench.inf").ToDictionary(n => n, n => Path.Combine(folder, n));
    }
}
