using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Tests;

/// <summary>Answers known command lines with scripted output, to test decisions about which program to run.</summary>
internal sealed class ScriptedProcessRunner : IProcessRunner
{
    private readonly Dictionary<string, (int ExitCode, string Output)> answers = new();

    public List<ProcessRequest> Requests { get; } = new();

    public ScriptedProcessRunner Answer(string fileName, string arguments, string output, int exitCode = 0)
    {
        answers[fileName + " " + arguments] = (exitCode, output);
        return this;
    }

    public int Run(ProcessRequest request, Action<string> standardOutput, Action<string> standardError, CancellationToken cancellation)
    {
        Requests.Add(request);
        if (!answers.TryGetValue(request.FileName + " " + string.Join(" ", request.Arguments), out var answer))
        {
            throw new ProcessStartException(request.FileName, new FileNotFoundException("not scripted"));
        }

        foreach (var line in answer.Output.Split('\n'))
        {
            standardOutput(line);
        }

        return answer.ExitCode;
    }
}
