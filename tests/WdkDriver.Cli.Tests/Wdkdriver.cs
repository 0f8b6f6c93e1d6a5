using System.Diagnostics;

namespace WdkDriver.Cli.Tests;

public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>Runs the built wdkdriver command in a process of its own.</summary>
internal static class Wdkdriver
{
    private static readonly string Assembly = Path.Combine(AppContext.BaseDirectory, "wdkdriver.dll");

    public static CommandResult Run(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Assembly);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        return new CommandResult(process.ExitCode, output.Result, error.Result);
    }
}
