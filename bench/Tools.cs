using System.Diagnostics;

namespace WdkDriver.Bench;

/// <summary>Runs the other tools of a comparison (and the build steps the benchmark needs) as processes.</summary>
public static class Tools
{
    public static void Run(string workingDirectory, string tool, params string[] arguments) =>
        Run(workingDirectory, new Dictionary<string, string>(), tool, arguments);

    public static void Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(" ", arguments)} exited with {process.ExitCode}:\n{output}\n{error.Result}");
        }
    }

    public static bool Exists(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, tool)));
}
