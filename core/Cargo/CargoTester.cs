using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Cargo;

/// <summary>
/// Runs <c>cargo test</c> on the host for the workspace's crates that can run there (all but the driver crate, which
/// only links as a Windows kernel image): compiler diagnostics as coded findings, each failed test as one.
/// </summary>
public sealed class CargoTester
{
    private static readonly Regex FailedTest = new(@"^test (?<name>\S+) \.\.\. FAILED$", RegexOptions.CultureInvariant);

    // rustc 1.73+: "thread 'tests::x' (1234) panicked at src/lib.rs:12:5:" and the message on the next line;
    // older: "thread 'tests::x' panicked at 'message', src/lib.rs:12:5", the message possibly spanning lines.
    private static readonly Regex PanicStart = new(@"^thread '(?<name>[^']+)'(?: \(\d+\))? panicked at (?<rest>.*)$", RegexOptions.CultureInvariant);
    private static readonly Regex PanicLocation = new(@"(?:^|', )(?<file>[^\s',][^:']*):(?<line>\d+):(?<column>\d+):?$", RegexOptions.CultureInvariant);

    private readonly IProcessRunner runner;
    private readonly IDiagnosticSink sink;

    public CargoTester(IProcessRunner runner, IDiagnosticSink sink)
    {
        this.runner = runner;
        this.sink = sink;
    }

    /// <returns>True when everything compiled and every test passed.</returns>
    public bool Run(string cargo, string rustc, string manifestPath, IReadOnlyList<string> excludedPackages, CancellationToken cancellation)
    {
        var workspace = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var arguments = new List<string> { "test", "--message-format=json", "--manifest-path", manifestPath, "--workspace" };
        foreach (var package in excludedPackages)
        {
            arguments.Add("--exclude");
            arguments.Add(package);
        }

        var request = new ProcessRequest(cargo, arguments, workspace, CargoBuildRequest.ToolchainEnvironment(rustc));
        sink.Info(request.ToString(), important: true);

        var failed = new List<string>();
        var panics = new Dictionary<string, Diagnostic>();
        string? panicking = null;
        var panicText = new List<string>();
        var errors = 0;
        var gate = new object();

        // A test's panic is printed by the test binary (to its captured output, which the harness repeats on stdout).
        string? awaitingMessage = null;
        Diagnostic Failure(string name, string message, Match at) => Diagnostic.Error(
            ErrorCodes.CargoTestFailed,
            $"test {name} failed{(message.Length > 0 ? ": " + message : string.Empty)}",
            Path.Combine(workspace, at.Groups["file"].Value),
            int.Parse(at.Groups["line"].Value),
            int.Parse(at.Groups["column"].Value));

        void ReadPanic(string line)
        {
            if (PanicStart.Match(line) is { Success: true } start)
            {
                (panicking, line) = (start.Groups["name"].Value, start.Groups["rest"].Value);
                panicText.Clear();
                if (PanicLocation.Match(line) is { Success: true } first && first.Index == 0)
                {
                    // The new form: the location first, the message on the next line.
                    panics[panicking] = Failure(panicking, string.Empty, first);
                    (awaitingMessage, panicking) = (panicking, null);
                    return;
                }
            }
            else if (awaitingMessage is not null && line.Trim().Length > 0)
            {
                panics[awaitingMessage] = panics[awaitingMessage] with { Message = $"test {awaitingMessage} failed: {line.Trim()}" };
                awaitingMessage = null;
                return;
            }

            if (panicking is null)
            {
                return;
            }

            panicText.Add(line);
            if (PanicLocation.Match(line) is { Success: true } at)
            {
                var message = string.Join(" ", panicText).Trim();
                panics[panicking] = Failure(panicking, message.Substring(0, Math.Max(0, message.Length - at.Length)).Trim().Trim('\''), at);
                panicking = null;
            }
            else if (panicText.Count > 20)
            {
                panicking = null;
            }
        }

        int exitCode;
        try
        {
            exitCode = runner.Run(
                request,
                line =>
                {
                    lock (gate)
                    {
                        switch (CargoMessageReader.Read(line, workspace))
                        {
                            case CargoCompilerMessage { Diagnostic: { } diagnostic } message when diagnostic.Code.Length > 0 || diagnostic.File is not null:
                                sink.Info(message.Rendered);
                                sink.Report(diagnostic);
                                errors += diagnostic.Severity == Severity.Error ? 1 : 0;
                                break;
                            case CargoCompilerMessage message:
                                sink.Info(message.Rendered);
                                break;
                            case CargoOtherMessage { Text: var text } when !text.StartsWith("{", StringComparison.Ordinal):
                                sink.Info(text, important: text.StartsWith("test result:", StringComparison.Ordinal));
                                ReadPanic(text);
                                if (FailedTest.Match(text) is { Success: true } test)
                                {
                                    failed.Add(test.Groups["name"].Value);
                                }

                                break;
                        }
                    }
                },
                line =>
                {
                    lock (gate)
                    {
                        sink.Info(line);
                        ReadPanic(line);
                    }
                },
                cancellation);
        }
        catch (ProcessStartException e)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CargoNotFound, $"{e.Message}. Set CargoPath to a working cargo."), e);
        }

        foreach (var name in failed)
        {
            sink.Report(panics.TryGetValue(name, out var located) ? located : Diagnostic.Error(ErrorCodes.CargoTestFailed, $"test {name} failed; its output is above.", manifestPath));
        }

        if (exitCode != 0 && failed.Count == 0 && errors == 0)
        {
            sink.Report(Diagnostic.Error(ErrorCodes.CargoTestFailed, $"cargo test failed with exit code {exitCode}; its output is above.", manifestPath));
        }

        return exitCode == 0;
    }
}
