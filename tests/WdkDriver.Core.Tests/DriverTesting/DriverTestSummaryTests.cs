using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.DriverTesting;

namespace WdkDriver.Core.Tests.DriverTesting;

public class DriverTestSummaryTests
{
    [Fact]
    public void A_failed_session_lists_its_findings_and_what_a_client_printed_cannot_break_the_table()
    {
        var report = new DriverTestReport(
            new[]
            {
                new SessionStep("start", 0, Array.Empty<string>(), new[] { "Pipe: loaded" }),
                new SessionStep("run 0", 2, new[] { "a | b", "```" }, new[] { "Pipe: <x> | *y* [z]" }),
            },
            new[] { Diagnostic.Error(ErrorCodes.DriverTestExitCode, "'pipe' exited with 2, not 0.") });

        var markdown = DriverTestSummary.Markdown("pipe.sys", "amd64", report);

        Assert.StartsWith("### Driver test failed: `pipe.sys` (amd64, under wine)\n\n| Step | Exit code | Driver's DbgPrint |\n|---|---|---|\n", markdown);
        Assert.Contains("| start | 0 | Pipe: loaded |\n", markdown);
        Assert.Contains("| run 0 | 2 | Pipe: &#60;x&#62; &#124; &#42;y&#42; &#91;z&#93; |\n", markdown);
        Assert.Contains("- `WDK6005`: 'pipe' exited with 2, not 0.\n", markdown);
        // The folded output is a code block a client's own fence cannot close.
        Assert.Contains("```\n[run 0] a | b\n[run 0] '''\n```\n", markdown);
    }

    [Fact]
    public void A_passed_session_says_so()
    {
        var report = new DriverTestReport(new[] { new SessionStep("stop", null, Array.Empty<string>(), Array.Empty<string>()) }, Array.Empty<Diagnostic>());

        var markdown = DriverTestSummary.Markdown("ok.sys", "amd64", report);

        Assert.Equal("### Driver test passed: `ok.sys` (amd64, under wine)\n\n| Step | Exit code | Driver's DbgPrint |\n|---|---|---|\n| stop | none |  |\n\n", markdown);
    }
}
