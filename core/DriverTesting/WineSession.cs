using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace WdkDriver.Core.DriverTesting;

/// <summary>What one step of a session printed: its own output, the driver's DbgPrint lines, its exit code.</summary>
public sealed record SessionStep(string Name, int? ExitCode, IReadOnlyList<string> Output, IReadOnlyList<string> DebugOutput);

/// <summary>
/// The batch script a single wine session runs (services live only as long as the session's wineserver), and the
/// reading of what it printed. Steps are framed by marker lines; the driver's DbgPrint lines arrive on the same
/// stream before the request that caused them completes, so they fall inside their step.
/// </summary>
public static class WineSession
{
    private const string Marker = "@@wdkdriver-test@@";

    private static readonly Regex DebugLine = new(@"^[0-9a-f]{4}:warn:debugstr:\w+ (?:[0-9a-f]{8}:[0-9a-f]{8}: )?(?<text>.*)$", RegexOptions.CultureInvariant);
    private static readonly Regex MarkerLine = new("^" + Marker + @" (?<kind>step|exit) (?<value>.+)$", RegexOptions.CultureInvariant);

    /// <param name="infPath">The INF, as wine names it.</param>
    /// <param name="driverPath">Where the driver binary lies in the prefix, as wine names it (for sc create).</param>
    /// <param name="runs">Each run's client and arguments, as wine names it.</param>
    public static string Script(DriverLoadPlan plan, string infPath, string driverPath, IReadOnlyList<(string Client, string Arguments)> runs)
    {
        var script = new StringBuilder();
        void Line(string text) => script.Append(text).Append("\r\n");
        void Step(string name, params string[] commands)
        {
            Line($"echo {Marker} step {name}");
            foreach (var command in commands)
            {
                Line(command);
            }

            Line($"echo {Marker} exit %ERRORLEVEL%");
        }

        Line("@echo off");
        // What a previous run may have left registered.
        Line($"sc stop {plan.ServiceName} >nul 2>&1");
        Line($"sc delete {plan.ServiceName} >nul 2>&1");
        Step(
            "install",
            plan.InstallSection is null
                ? $"sc create {plan.ServiceName} type= kernel start= demand binPath= {Quote(driverPath)}"
                // InstallHinfSection takes the rest of its command line as the INF's path, spaces and all: quotes
                // would be part of the name.
                : $"rundll32 setupapi.dll,InstallHinfSection {plan.InstallSection} 128 {infPath}",
            // The service must exist now: sc query sets the exit code (1060 when it does not).
            $"sc query {plan.ServiceName} >nul");
        Step("start", $"sc start {plan.ServiceName}");
        for (var i = 0; i < runs.Count; i++)
        {
            Step($"run {i}", $"{Quote(runs[i].Client)} {runs[i].Arguments}".TrimEnd());
        }

        Step("stop", $"sc stop {plan.ServiceName}");
        Line($"sc delete {plan.ServiceName} >nul 2>&1");
        return script.ToString();
    }

    /// <summary>Splits the session's output into its steps; what comes before the first step is left out.</summary>
    public static IReadOnlyList<SessionStep> Parse(IEnumerable<string> lines)
    {
        var steps = new List<SessionStep>();
        string? name = null;
        int? exitCode = null;
        var output = new List<string>();
        var debug = new List<string>();
        void Close()
        {
            if (name is not null)
            {
                steps.Add(new SessionStep(name, exitCode, output.ToList(), debug.ToList()));
            }
        }

        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            var marker = MarkerLine.Match(line);
            if (marker.Success && marker.Groups["kind"].Value == "step")
            {
                Close();
                (name, exitCode) = (marker.Groups["value"].Value.Trim(), null);
                output.Clear();
                debug.Clear();
            }
            else if (marker.Success)
            {
                exitCode = int.TryParse(marker.Groups["value"].Value.Trim(), out var code) ? code : null;
            }
            else if (DebugLine.Match(line) is { Success: true } dbg)
            {
                debug.Add(dbg.Groups["text"].Value);
            }
            else if (line.Length > 0)
            {
                output.Add(line);
            }
        }

        Close();
        return steps;
    }

    /// <summary>A Linux path as wine's Z: drive names it.</summary>
    public static string WindowsPath(string path) => "Z:" + path.Replace('/', '\\');

    private static string Quote(string path) => path.IndexOf(' ') >= 0 ? "\"" + path + "\"" : path;
}
