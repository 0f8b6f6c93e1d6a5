using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.DriverTesting;
using WdkDriver.Core.Processes;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Loads the laid-out driver under wine, runs each <c>DriverTestRun</c> item's client against it and checks what it
/// printed (the client's output, exit code and the driver's DbgPrint lines); any mismatch is a coded error.
/// </summary>
public sealed class TestDriver : WdkTask
{
    /// <summary>The package's INF, in the package folder: one.</summary>
    public ITaskItem[] Infs { get; set; } = new ITaskItem[0];

    /// <summary>The driver binary, in the package folder: one.</summary>
    public ITaskItem[] DriverFiles { get; set; } = new ITaskItem[0];

    [Required]
    public string ClientDirectory { get; set; } = string.Empty;

    [Required]
    public string Architecture { get; set; } = string.Empty;

    /// <summary>Client (item spec), <c>Arguments</c>, <c>ExpectedExitCode</c>, <c>ExpectedOutput</c> and <c>ExpectedDebugOutput</c> (lists).</summary>
    public ITaskItem[] Runs { get; set; } = new ITaskItem[0];

    [Required]
    public string WorkDirectory { get; set; } = string.Empty;

    public string? WinePath { get; set; }

    public string? WinePrefix { get; set; }

    public int TimeoutSeconds { get; set; } = 120;

    /// <summary>A Markdown file the session's summary is appended to: a CI run's summary page (GITHUB_STEP_SUMMARY).</summary>
    public string? SummaryFile { get; set; }

    /// <summary>Whether this host is Windows (a parameter so the decision is testable anywhere).</summary>
    public bool HostIsWindows { get; set; } = Environment.OSVersion.Platform == PlatformID.Win32NT;

    protected override void ExecuteCore()
    {
        if (HostIsWindows)
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.DriverTestNeedsTestMachine,
                "TestDriver loads the driver under wine, which is for Linux hosts. On Windows, test on a test machine (or VM) instead: copy the package there and run tools\\Install-Driver.cmd -TrustTestCertificate, then the client."));
        }

        if (!string.Equals(Architecture, "amd64", StringComparison.OrdinalIgnoreCase))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.DriverTestNeedsTestMachine, $"wine loads amd64 drivers only; test the {Architecture} driver on an {Architecture} test machine."));
        }

        if (Infs.Length != 1 || DriverFiles.Length != 1)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.DriverTestNeedsTestMachine, $"TestDriver loads a package of one INF and one driver binary; this one has {Infs.Length} INFs and {DriverFiles.Length} binaries. Test it on a test machine."));
        }

        var infFile = Infs[0].GetMetadata("FullPath");
        var driverFile = DriverFiles[0].GetMetadata("FullPath");
        var wine = string.IsNullOrEmpty(WinePath) ? WineDriverTester.FindWine() : WinePath;
        if (wine is null || !File.Exists(wine))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.DriverTestWineMissing, $"wine {(wine is null ? "is not installed" : $"is not at '{wine}'")}: install it (Debian: apt-get install wine64 wine) or set WinePath."));
        }

        var runs = Runs.Select(r => new DriverTestRun(
            r.ItemSpec,
            r.GetMetadata("Arguments"),
            int.TryParse(r.GetMetadata("ExpectedExitCode"), out var code) ? code : 0,
            Lines(r.GetMetadata("ExpectedOutput")),
            Lines(r.GetMetadata("ExpectedDebugOutput")))).ToList();
        var prefix = string.IsNullOrEmpty(WinePrefix) ? WineDriverTester.DefaultPrefix : WinePrefix!;
        Log.LogMessage(MessageImportance.High, $"{Path.GetFileNameWithoutExtension(ProjectFile)}: testing {Path.GetFileName(driverFile)} under wine (prefix {prefix}): {runs.Count} run(s).");

        var tester = new WineDriverTester(ProcessRunner.Instance, wine, prefix, TimeSpan.FromSeconds(TimeoutSeconds));
        DriverTestReport report;
        try
        {
            report = tester.Run(new DriverTestRequest(infFile, Architecture, driverFile, ClientDirectory, runs, WorkDirectory), Cancellation);
        }
        catch (WdkException e) when (e.Diagnostic.Code == ErrorCodes.DriverTestClientMissing && e.Diagnostic.File is null)
        {
            // The run names the client: the finding goes to the DriverTestRun item, not to the SDK's targets.
            var run = Runs.FirstOrDefault(r => e.Diagnostic.Message.Contains($"'{r.ItemSpec}'")) ?? Runs.First();
            var (line, column) = ProjectItemLocation.Find(ProjectFile, "DriverTestRun", run.ItemSpec);
            throw new WdkException(e.Diagnostic with { File = ProjectFile, Line = line, Column = column });
        }

        foreach (var step in report.Steps)
        {
            foreach (var line in step.Output)
            {
                Log.LogMessage(MessageImportance.Normal, $"  [{step.Name}] {line}");
            }

            foreach (var line in step.DebugOutput)
            {
                Log.LogMessage(MessageImportance.High, $"  [{step.Name}] DbgPrint: {line}");
            }
        }

        // A finding in the package's INF is one in the stamped INF it was copied from, which leads to the .inx.
        var stamped = Infs[0].GetMetadata("Stamped");
        foreach (var finding in report.Findings)
        {
            Report(finding.File == infFile && stamped.Length > 0 ? finding with { File = stamped } : finding);
        }

        if (!string.IsNullOrEmpty(SummaryFile))
        {
            // Appended, as the CI's summary file collects every step's part.
            try
            {
                File.AppendAllText(SummaryFile, DriverTestSummary.Markdown(Path.GetFileName(driverFile), Architecture, report));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Report(Diagnostic.Error(ErrorCodes.DriverTestSummaryUnwritable, $"Cannot append the driver test's summary to DriverTestSummaryFile: {e.Message}", ProjectFile));
            }
        }

        if (report.Findings.Count == 0)
        {
            Log.LogMessage(MessageImportance.High, $"{Path.GetFileNameWithoutExtension(ProjectFile)}: Driver test passed: loaded, {runs.Count} run(s) as expected, unloaded.");
        }
    }

    private static string[] Lines(string list) => list.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
}
