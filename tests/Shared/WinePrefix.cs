using System.Diagnostics;
using System.Text;

namespace WdkDriver.Tests;

/// <summary>
/// A fresh wine prefix of the test's own (wine 8's Windows Installer, setupapi, sc and reg), and batch sessions run in
/// it: a session's services live as long as its wineserver, so what is installed and then used runs in one batch.
/// </summary>
internal sealed class WinePrefix : IDisposable
{
    private readonly TempDirectory folder = new("wine-msi");

    public WinePrefix()
    {
        Run("/usr/bin/wine", "wineboot", "--init");
        Run("/usr/bin/wineserver", "-w");
    }

    public string Path => folder.Combine("prefix");

    public string DriveC => System.IO.Path.Combine(Path, "drive_c");

    public void Dispose()
    {
        Run("/usr/bin/wineserver", "-k");
        folder.Dispose();
    }

    /// <summary>
    /// Runs the lines as one batch file; returns what it printed (stdout and stderr). A <c>reg query</c> that cmd could
    /// not start (9009, "Can't recognize", seen on loaded machines right after msiexec) is asked again: that exit code
    /// says nothing about the key, and a query changes nothing.
    /// </summary>
    public string Session(params string[] lines)
    {
        var script = folder.Combine($"session-{Guid.NewGuid():N}.cmd");
        var batch = lines.SelectMany(line => line.StartsWith("reg query ", StringComparison.OrdinalIgnoreCase) ? new[] { line, "if %ERRORLEVEL%==9009 " + line } : new[] { line });
        File.WriteAllText(script, string.Join("\r\n", new[] { "@echo off" }.Concat(batch)) + "\r\n");
        var output = Run("/usr/bin/wine", "cmd", "/c", WindowsPath(script));
        Run("/usr/bin/wineserver", "-k");
        Run("/usr/bin/wineserver", "-w");
        return output;
    }

    public static string WindowsPath(string path) => "Z:" + path.Replace('/', '\\');

    /// <summary>
    /// Runs a Windows program (a self-contained .NET one too: wine's own mscoree, which CoreCLR needs to map IL
    /// images, is left on for it) with the environment given; returns its exit code and what it printed.
    /// </summary>
    public (int ExitCode, string Output, string Error) Program(string program, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("/usr/bin/wine") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder.Path };
        info.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["WINEPREFIX"] = Path;
        info.Environment["WINEDEBUG"] = "-all";
        info.Environment["WINEDLLOVERRIDES"] = "mshtml=";
        info.Environment["DISPLAY"] = string.Empty;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in 5 minutes.");
        }

        return (process.ExitCode, output, error.Result);
    }

    private string Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder.Path };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["WINEPREFIX"] = Path;
        info.Environment["WINEDEBUG"] = "-all";
        info.Environment["WINEDLLOVERRIDES"] = "mscoree,mshtml=";
        info.Environment["DISPLAY"] = string.Empty;
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(" ", arguments)} did not finish in 5 minutes.");
        }

        return new StringBuilder(output).Append(error.Result).ToString();
    }
}
