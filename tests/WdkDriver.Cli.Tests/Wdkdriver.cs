using System.Diagnostics;

namespace WdkDriver.Cli.Tests;

public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>
/// Runs the built wdkdriver command in a process of its own: the framework-dependent build beside the tests, or the
/// executable WDKDRIVER_COMMAND names (the native build, see the README).
/// </summary>
internal static class Wdkdriver
{
    private static readonly string Assembly = Path.Combine(AppContext.BaseDirectory, "wdkdriver.dll");

    private static readonly string? Command = Environment.GetEnvironmentVariable("WDKDRIVER_COMMAND") is { Length: > 0 } command ? command : null;

    public static CommandResult Run(params string[] arguments) => RunWith(Command, arguments);

    /// <summary>Runs the command with these variables added to its environment.</summary>
    public static CommandResult RunIn(IReadOnlyDictionary<string, string> environment, params string[] arguments) => RunWith(Command, arguments, environment);

    /// <param name="command">An executable; null for the framework-dependent build.</param>
    public static CommandResult RunWith(string? command, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(command ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        if (command is null)
        {
            info.ArgumentList.Add(Assembly);
        }

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

        // The command ends its lines as its host does (CRLF on Windows, where the Windows lane runs it); the tests
        // read lines.
        return new CommandResult(process.ExitCode, output.Result.Replace("\r\n", "\n"), error.Result.Replace("\r\n", "\n"));
    }
}
