using System.Globalization;
using WdkDriver.Core.Packaging;

namespace WdkDriver.Bench;

/// <summary>
/// Writing the submission cabinet of 100 MB of driver files against gcab -c -z: real Windows PE files of mixed sizes
/// (wine's 64-bit DLLs, every fifth by size) and an INF, MSZIP, the same files in the same folder.
/// </summary>
public static class SubmissionCab
{
    private const string WineDlls = "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows";

    public static void Run(Report report, string work, int rounds, string nativeCli)
    {
        var folder = Path.Combine(work, "cab");
        var package = Path.Combine(folder, "src", "Driver");
        Directory.CreateDirectory(package);
        long total = 0;
        foreach (var dll in Directory.GetFiles(WineDlls, "*.dll").OrderByDescending(f => new FileInfo(f).Length).ThenBy(f => f, StringComparer.Ordinal).Where((_, i) => i % 5 == 4))
        {
            var size = new FileInfo(dll).Length;
            if (total + size <= 100L << 20)
            {
                File.Copy(dll, Path.Combine(package, Path.GetFileName(dll)));
                total += size;
            }
        }

        File.Copy(Path.Combine(RepositoryPaths.Root, "samples", "Booster", "booster.inx"), Path.Combine(package, "booster.inf"));
        var files = Directory.GetFiles(package).Order(StringComparer.Ordinal).ToList();
        var sources = files.Select(f => new PackageFile(f, Path.GetFileName(f))).ToList();
        var (ours, native, theirs) = (Path.Combine(folder, "ours.cab"), Path.Combine(folder, "native.cab"), Path.Combine(folder, "gcab.cab"));
        var gcabArguments = new[] { "-c", "-z", theirs }.Concat(files.Select(f => Path.Combine("Driver", Path.GetFileName(f)))).ToArray();
        var time = new DateTime(2026, 11, 30);

        var timings = Measure.Interleaved(
            rounds,
            new Contender("gcab -c -z", () => Tools.Run(Path.Combine(folder, "src"), "gcab", gcabArguments), () => File.Delete(theirs)),
            new Contender("WdkDriver in-process (SubmissionCabinet)", () => SubmissionCabinet.Write(ours, "Driver", sources, time), () => File.Delete(ours)),
            new Contender("wdkdriver cab create, native build (a process)", () => Tools.Run(folder, nativeCli, "cab", "create", Path.Combine(folder, "src"), "-o", native), () => File.Delete(native)));
        var sizes = new Dictionary<string, long>
        {
            [timings[0].Name] = new FileInfo(theirs).Length,
            [timings[1].Name] = new FileInfo(ours).Length,
            [timings[2].Name] = new FileInfo(native).Length,
        };
        report.Table(
            $"7. The submission cabinet: {total / 1e6:0} MB in {files.Count} Windows PE files ({new FileInfo(files.OrderBy(f => new FileInfo(f).Length).First()).Length / 1024} KiB to {new FileInfo(files.OrderBy(f => new FileInfo(f).Length).Last()).Length / 1e6:0.0} MB), MSZIP",
            timings,
            "time vs gcab",
            t => $"{sizes[t.Name] / 1e6:0.00} MB ({((double)sizes[t.Name] / sizes[timings[0].Name]).ToString("0.000", CultureInfo.InvariantCulture)}×)",
            "size (vs gcab)");
        report.Target("in-process cabinet time vs gcab", timings[1].Median / timings[0].Median, 1.0, atMost: true);
        report.Target("wdkdriver cab create (native) time vs gcab", timings[2].Median / timings[0].Median, 1.0, atMost: true);
        report.Target("cabinet size vs gcab", (double)sizes[timings[1].Name] / sizes[timings[0].Name], 1.03, atMost: true);
        report.Line("- Both write one MSZIP folder of 32 KiB blocks, each block compressed on its own. gcab uses zlib's default level on one core; " +
                    "WdkDriver uses level 9 (a smaller upload) and compresses a batch of blocks on all cores, writing them in order, so the bytes do not depend on the core count.");
        report.Line();
        Directory.Delete(folder, recursive: true);
    }
}
