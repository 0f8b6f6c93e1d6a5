using System.Text.RegularExpressions;

namespace WdkDriver.Sdk.Tests;

/// <summary>The samples' drivers loaded under wine and driven by their clients, through TestDriver and dotnet test.</summary>
[Collection(SdkPackageCollection.Name)]
public class DriverTestTests
{
    private readonly SdkPackageFixture sdk;

    public DriverTestTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    [WineFact]
    public void Dotnet_test_on_Booster_runs_cargo_test_then_the_driver_and_its_client_under_wine()
    {
        var project = sdk.CreateProject("test-booster").WithSample("Booster");
        // A CI's summary file, which other steps have written to before.
        var summary = project.Write("summary.md", "## Build\n\n");

        var result = project.ShouldSucceed(project.Dotnet("test", $"-p:DriverTestSummaryFile={summary}"));

        Assert.Matches(@"cargo test --message-format=json .* --workspace --exclude booster", result.Output);
        Assert.Contains("test result: ok. 3 passed; 0 failed", result.Output);
        var debug = Regex.Matches(result.Output, @"\[(?<step>[^\]]+)\] DbgPrint: (?<text>.+)$", RegexOptions.Multiline).Select(m => (m.Groups["step"].Value, m.Groups["text"].Value.Trim())).ToList();
        Assert.Equal(("start", "Booster: loaded"), debug.First());
        Assert.Equal(("stop", "Booster: unloaded"), debug.Last());
        // wine's KeSetPriorityThread changes nothing; what the driver looked up and asked for is what it reports.
        Assert.Contains(debug, d => d.Item1 == "run 0" && Regex.IsMatch(d.Item2, @"^Booster: thread \d+ found, setting priority 15$"));
        Assert.Contains(("run 1", "Booster: priority 99 is out of range"), debug);
        Assert.Contains(("run 2", "Booster: thread 4000000 not found (0xC000000B)"), debug);
        Assert.Contains(("run 3", "Booster: request of 3 bytes is too short"), debug);
        Assert.Contains(debug, d => d.Item1 == "run 4" && d.Item2.EndsWith("now 1", StringComparison.Ordinal));
        Assert.Contains("Driver test passed: loaded, 5 run(s) as expected, unloaded.", result.Output);
        Assert.True(File.Exists(Path.Combine(sdk.WinePrefix, ".wdkdriver-prefix")), "the run's own prefix was made and marked");
        AssertNoWineProcessLeft();

        var markdown = File.ReadAllText(summary);
        Assert.StartsWith("## Build\n\n### Driver test passed: `booster.sys` (amd64, under wine)\n", markdown);
        Assert.Contains("| start | 0 | Booster: loaded |", markdown);
        Assert.Contains("| run 1 | 1 | Booster: priority 99 is out of range |", markdown);
        Assert.Contains("| stop | 0 | Booster: unloaded |", markdown);
    }

    [WineFact]
    public void An_expectation_the_driver_does_not_meet_is_WDK6006_and_the_driver_is_still_unloaded()
    {
        var project = sdk.CreateProject("test-mismatch").WithSample("Booster");
        var file = project.Path("Booster.proj");
        File.WriteAllText(file, File.ReadAllText(file).Replace("ExpectedDebugOutput=\"Booster: priority 99 is out of range\"", "ExpectedDebugOutput=\"Booster: priority 99 accepted\""));

        var summary = project.Path("summary.md");

        var result = project.ShouldFail(project.Build("-t:TestDriver", $"-p:DriverTestSummaryFile={summary}"));

        Assert.Contains("- `WDK6006`: 'boost self 99': \"Booster: priority 99 accepted\" is not in", File.ReadAllText(summary));
        Assert.StartsWith("### Driver test failed: `booster.sys`", File.ReadAllText(summary));
        Assert.Contains($"{file} : error WDK6006: 'boost self 99': \"Booster: priority 99 accepted\" is not in the driver's DbgPrint output: Booster: priority 99 is out of range", result.Output);
        Assert.Single(Regex.Matches(result.Output, @"error WDK6\d{3}").Select(m => m.Value).Distinct());
        Assert.Contains("[stop] DbgPrint: Booster: unloaded", result.Output);
    }

    [WineFact]
    public void Dotnet_test_on_Zero_checks_zeroed_reads_counted_writes_and_the_counters()
    {
        var project = sdk.CreateProject("test-zero").WithSample("Zero");

        var result = project.ShouldSucceed(project.Dotnet("test"));

        Assert.Contains("test result: ok. 3 passed; 0 failed", result.Output);
        var debug = Regex.Matches(result.Output, @"\[run 0\] DbgPrint: (?<text>.+)$", RegexOptions.Multiline).Select(m => m.Groups["text"].Value.Trim()).ToList();
        Assert.Equal(
            new[]
            {
                "Zero: statistics cleared", "Zero: read 1024 bytes (1024 in all)", "Zero: wrote 500 bytes (500 in all)", "Zero: read 256 bytes (1280 in all)",
                "Zero: statistics read 1280, written 500", "Zero: statistics cleared", "Zero: statistics read 0, written 0", "Zero: statistics need 16 bytes, got 8",
            },
            debug);
        Assert.Contains("Driver test passed: loaded, 1 run(s) as expected, unloaded.", result.Output);
    }

    [WineFact]
    public void The_prebuilt_C_driver_greets_its_client_under_wine()
    {
        var project = sdk.CreateProject("test-hello").WithSample("PrebuiltDriver");

        var result = project.ShouldSucceed(project.Build("-t:TestDriver"));

        Assert.Contains("[run 0] DbgPrint: hello: greeted (22 bytes)", result.Output);
        Assert.Contains("[stop] DbgPrint: hello: unloaded", result.Output);
        Assert.Contains("Driver test passed: loaded, 1 run(s) as expected, unloaded.", result.Output);
    }

    [WineFact]
    public void A_client_the_package_lacks_is_WDK6010_at_the_DriverTestRun_item()
    {
        var project = sdk.CreateProject("test-no-client").WithSample("PrebuiltDriver");
        var projectFile = project.Path("PrebuiltDriver.proj");
        File.WriteAllText(projectFile, File.ReadAllText(projectFile).Replace("<DriverTestRun Include=\"hello-client\"", "<DriverTestRun Include=\"gone-client\""));
        var line = Array.FindIndex(File.ReadAllLines(projectFile), l => l.Contains("gone-client")) + 1;

        var result = project.ShouldFail(project.Build("-t:TestDriver"));

        Assert.Contains($"{projectFile}({line},5): error WDK6010: The test run's client 'gone-client' is not in the package's client folder", result.Output);
        Assert.Contains("Build it into the package (a binary crate of the Cargo workspace, a .NET ProjectReference or a DriverClientFile item)", result.Output);
    }

    /// <summary>
    /// The catalog stage refuses such an INF (WDK3013); without a catalog stage (nor signing, which needs one), the driver test is where the mistake
    /// shows, and it says which file the service runs and which the package holds, at the .inx's line.
    /// </summary>
    [WineFact]
    public void A_service_that_runs_another_file_than_the_driver_is_WDK6004_at_the_ServiceBinary_line()
    {
        var project = sdk.CreateProject("test-service-binary").WithSample("PrebuiltDriver");
        var inx = project.Path("hello.inx");
        File.WriteAllText(inx, File.ReadAllText(inx).Replace(@"%12%\hello.sys", @"%12%\hullo.sys"));
        var line = Array.FindIndex(File.ReadAllLines(inx), l => l.StartsWith("ServiceBinary", StringComparison.Ordinal)) + 1;

        var result = project.ShouldFail(project.Build("-t:TestDriver", "-p:EnableInf2cat=false", "-p:SignMode=Off"));

        Assert.Contains($"{inx}({line},17): error WDK6004: The driver did not start: the service runs hullo.sys (ServiceBinary), but the package's driver is hello.sys. Name hello.sys in ServiceBinary", result.Output);
    }

    [WineFact]
    public void A_session_past_its_time_is_WDK6008_and_leaves_no_process_behind()
    {
        var project = sdk.CreateProject("test-timeout").WithSample("PrebuiltDriver");
        // A client that hangs: it sleeps far longer than the session may take.
        project.Write("client/sleeper.c", "#include <windows.h>\nint main(void) { Sleep(120000); return 0; }\n");
        ToolProcess.Succeed(project.Directory, "x86_64-w64-mingw32-gcc", "-o", "sleeper.exe", "client/sleeper.c");
        var file = project.Path("PrebuiltDriver.proj");
        File.WriteAllText(file, File.ReadAllText(file).Replace("</Project>", """
              <ItemGroup>
                <DriverClientFile Include="sleeper.exe" />
                <DriverTestRun Include="sleeper" />
              </ItemGroup>
            </Project>
            """));

        var result = project.ShouldFail(project.Build("-t:TestDriver", "-p:DriverTestTimeout=20"));

        Assert.Contains("error WDK6008: The driver test did not finish within 20 s; every process it started was ended.", result.Output);
        AssertNoWineProcessLeft();
    }

    /// <summary>No wine process still runs (zombies, which a container's init may never reap, are not running).</summary>
    private static void AssertNoWineProcessLeft()
    {
        var (_, output) = ToolProcess.Run("/", "ps", new[] { "-eo", "stat=,args=" });
        var running = output.Split('\n').Where(l => Regex.IsMatch(l, @"wineserver|winedevice|services\.exe") && !l.TrimStart().StartsWith("Z", StringComparison.Ordinal)).ToList();
        Assert.True(running.Count == 0, "wine processes are still running: " + string.Join(" | ", running));
    }
}
