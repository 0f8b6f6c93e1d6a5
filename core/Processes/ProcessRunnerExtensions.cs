using System.Collections.Generic;
using System.Threading;

namespace WdkDriver.Core.Processes;

public sealed record CapturedOutput(int ExitCode, IReadOnlyList<string> StandardOutput, IReadOnlyList<string> StandardError)
{
    public string Output => string.Join("\n", StandardOutput);

    public string Error => string.Join("\n", StandardError);
}

public static class ProcessRunnerExtensions
{
    /// <summary>Runs a short program and keeps all of its output.</summary>
    public static CapturedOutput Capture(this IProcessRunner runner, ProcessRequest request, CancellationToken cancellation = default)
    {
        var output = new List<string>();
        var error = new List<string>();
        var exitCode = runner.Run(
            request,
            line => { lock (output) output.Add(line); },
            line => { lock (error) error.Add(line); },
            cancellation);
        return new CapturedOutput(exitCode, output, error);
    }
}
