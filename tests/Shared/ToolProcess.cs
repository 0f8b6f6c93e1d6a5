using System.Diagnostics;

namespace WdkDriver.Tests;

/// <summary>Runs a command-line tool (git, openssl, osslsigncode) the way a person would, and keeps what it printed.</summary>
internal static class ToolProcess
{
    public static (int ExitCode, string Output) Run(string workingDirectory, string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(tool) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    /// <summary>Runs the tool and fails the test, with what it printed, unless it succeeds; returns what it printed.</summary>
    public static string Succeed(string workingDirectory, string tool, params string[] arguments)
    {
        var (exitCode, output) = Run(workingDirectory, tool, arguments);
        Assert.True(exitCode == 0, $"{tool} {string.Join(" ", arguments)}: {output}");
        return output;
    }
}
