using System.Diagnostics;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Tests;

/// <summary>Processes on this host: sh off Windows, cmd on Windows (the Windows lane runs these there).</summary>
public class ProcessRunnerTests
{
    private static ProcessRequest Shell(string unix, string windows, IReadOnlyDictionary<string, string?>? environment = null) =>
        OperatingSystem.IsWindows()
            ? new ProcessRequest(Path.Combine(Environment.SystemDirectory, "cmd.exe"), new[] { "/c", windows }, null, environment)
            : new ProcessRequest("/bin/sh", new[] { "-c", unix }, null, environment);

    [Fact]
    public void Streams_both_outputs_and_returns_the_exit_code()
    {
        var result = ProcessRunner.Instance.Capture(Shell("echo out; echo err >&2; exit 3", "echo out& echo err 1>&2& exit 3"));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(new[] { "out" }, result.StandardOutput);
        // cmd's echo keeps the space before a redirection.
        Assert.Equal(new[] { "err" }, result.StandardError.Select(line => line.TrimEnd()));
    }

    [Fact]
    public void Environment_changes_apply_to_the_child_only()
    {
        var environment = new Dictionary<string, string?> { ["WDK_TEST_VALUE"] = "a b", ["HOME"] = null };

        var result = ProcessRunner.Instance.Capture(Shell("echo \"$WDK_TEST_VALUE|${HOME:-unset}\"", "echo %WDK_TEST_VALUE%^|%HOME%", environment));

        // cmd leaves an unset variable's reference as it is.
        Assert.Equal(OperatingSystem.IsWindows() ? "a b|%HOME%" : "a b|unset", result.Output.Trim());
        Assert.Null(Environment.GetEnvironmentVariable("WDK_TEST_VALUE"));
    }

    [Fact]
    public void A_missing_program_is_a_start_error()
    {
        Assert.Throws<ProcessStartException>(() => ProcessRunner.Instance.Capture(new ProcessRequest(Path.Combine(Path.GetTempPath(), "nonexistent", "cargo"), Array.Empty<string>())));
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void Cancelling_kills_the_program_and_its_children()
    {
        using var temp = new WdkDriver.Tests.TempDirectory("cancel");
        var pidFile = Path.Combine(temp.Path, "child.pid");
        using var cancellation = new CancellationTokenSource();
        var started = Stopwatch.StartNew();
        var request = new ProcessRequest("/bin/sh", new[] { "-c", $"sleep 60 & echo $! > {pidFile}; echo ready; wait" });

        Assert.Throws<OperationCanceledException>(() => ProcessRunner.Instance.Run(
            request,
            line => { if (line == "ready") cancellation.Cancel(); },
            _ => { },
            cancellation.Token));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"cancellation took {started.Elapsed}");
        var child = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.False(Directory.Exists($"/proc/{child}") && !File.ReadAllText($"/proc/{child}/stat").Contains(") Z "), $"child {child} still runs");
    }
}
