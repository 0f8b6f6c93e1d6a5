using System.Globalization;
using System.Runtime.InteropServices;
using WdkDriver.Bench;

// dotnet run -c Release --project bench [-- --quick] [--only <comparison>] [--output <file>]
// Builds what it needs, runs each comparison interleaved and writes BENCHMARKS.md (or --output).
var quick = args.Contains("--quick");
// --only <word>: just the comparisons whose name contains it (for working on one of them).
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
var output = args.SkipWhile(a => a != "--output").Skip(1).FirstOrDefault() ?? Path.Combine(RepositoryPaths.Root, "BENCHMARKS.md");
var rounds = quick ? 3 : 7;
var work = Path.Combine(Path.GetTempPath(), "wdkdriver-bench-" + Environment.ProcessId);
Directory.CreateDirectory(work);
try
{
    Console.WriteLine("Building the wdkdriver command (Release: its framework-dependent build, and the tool packages, installed as a user installs them)...");
    var project = Path.Combine(RepositoryPaths.Root, "cli", "WdkDriver.Cli.csproj");
    Tools.Run(RepositoryPaths.Root, "dotnet", "build", project, "-c", "Release", "-v:q", "-nologo");
    var cli = Path.Combine(RepositoryPaths.Root, "cli", "bin", "Release", "net10.0", "wdkdriver.dll");
    var feed = Path.Combine(work, "feed");
    Tools.Run(RepositoryPaths.Root, "dotnet", "pack", project, "-c", "Release", "-o", feed, "-v:q", "-nologo");
    var version = Directory.GetFiles(feed, "WdkDriver.Cli.*.nupkg").Select(Path.GetFileName).Select(n => System.Text.RegularExpressions.Regex.Match(n!, @"^WdkDriver\.Cli\.(\d.*)\.nupkg$")).First(m => m.Success).Groups[1].Value;
    var native = Path.Combine(work, "tool");
    Tools.Run(work, "dotnet", "tool", "install", "WdkDriver.Cli", "--tool-path", native, "--add-source", feed, "--version", version);

    var report = new Report();
    report.Line("# Benchmarks");
    report.Line();
    report.Line($"Written by `dotnet run -c Release --project bench{(quick ? " -- --quick" : string.Empty)}` on {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC: " +
                $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}. Each comparison ran its contenders " +
                $"interleaved (A B C A B C ...) {rounds} times (the no-op builds {rounds * 2} times) after one warm-up round; the machine is shared, so read the ratios, not the absolute times.");
    report.Line();

    Step("catalog hashing", () => CatalogHashing.Run(report, work, rounds, quick ? 256L << 20 : 1L << 30));
    Step("signing", () => Signing.Run(report, work, rounds, cli, Path.Combine(native, "wdkdriver")));
    Step("pipeline and INF corpus", () => Pipeline.Run(report, work, rounds * 3));
    Step("build overhead", () => BuildOverhead.Run(report, work, rounds));
    Step("scaling", () => Scaling.Run(report, work, rounds));
    Step("submission cabinet", () => SubmissionCab.Run(report, work, rounds, Path.Combine(native, "wdkdriver")));
    Step("installer", () => Installer.Run(report, work, rounds, Path.Combine(native, "wdkdriver")));
    Step("rust targets", () => RustTargets.Run(report, work, rounds));
    Step("cloud signing", () => CloudSigning.Run(report, work, rounds));

    var changes = Path.Combine(RepositoryPaths.Root, "bench", "Changes.md");
    if (File.Exists(changes))
    {
        report.Line(File.ReadAllText(changes).TrimEnd());
    }

    File.WriteAllText(output, report.ToString());
    Console.WriteLine($"Wrote {output}");
}
finally
{
    Directory.Delete(work, recursive: true);
}

void Step(string name, Action run)
{
    if (only is not null && !name.Contains(only, StringComparison.OrdinalIgnoreCase))
    {
        return;
    }

    Console.WriteLine($"Benchmark: {name}...");
    run();
}
