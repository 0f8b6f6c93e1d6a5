using System.Diagnostics;
using System.Text;

namespace WdkDriver.Sdk.Tests;

public sealed record DotnetResult(int ExitCode, string Output, string BinlogPath, string CommandLine)
{
    public override string ToString() => $"{CommandLine} exited with {ExitCode}{(BinlogPath.Length == 0 ? "" : $" (binary log: {BinlogPath})")}\n{Output}";
}

/// <summary>
/// Runs the dotnet CLI the way a user's terminal or CI would, but isolated: no build servers or node reuse that
/// outlive the test, a private NuGet cache, English messages, plain console lines, a binary log per run.
/// </summary>
internal static class DotnetCli
{
    /// <summary>Set by the test host or MSBuild itself; a child build must not inherit them.</summary>
    private static readonly string[] InheritedVariables =
    {
        "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly",
        "DOTNET_HOST_PATH", "MSBUILDNOINPROCNODE", "VSTEST_HOST_DEBUG", "NUGET_PACKAGES",
    };

    private static int counter;

    public static DotnetResult Run(string workingDirectory, string nugetPackages, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var verb = arguments[0];
        var binlog = Path.Combine(workingDirectory, $"{Interlocked.Increment(ref counter):D3}-{verb}.binlog");
        var info = StartInfo("dotnet", workingDirectory);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (verb is "build" or "clean" or "pack" or "msbuild" or "restore")
        {
            info.ArgumentList.Add("-nodeReuse:false");
            info.ArgumentList.Add("-tl:off");
            info.ArgumentList.Add($"-bl:{binlog}");
        }

        if (verb is "build" or "clean" or "pack")
        {
            info.ArgumentList.Add("--disable-build-servers");
        }

        return Wait(info, nugetPackages, timeout, environment, binlog);
    }

    /// <summary>Runs a shell script (a README's commands) with <c>set -euo pipefail</c>, in the same environment as a dotnet command.</summary>
    public static DotnetResult RunScript(string workingDirectory, string nugetPackages, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, string script)
    {
        var info = StartInfo("bash", workingDirectory);
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("set -euo pipefail\n" + script);
        return Wait(info, nugetPackages, timeout, environment, binlog: string.Empty);
    }

    private static ProcessStartInfo StartInfo(string program, string workingDirectory) => new(program)
    {
        WorkingDirectory = workingDirectory,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        RedirectStandardInput = true,
        UseShellExecute = false,
    };

    private static DotnetResult Wait(ProcessStartInfo info, string nugetPackages, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, string binlog)
    {
        foreach (var variable in InheritedVariables)
        {
            info.Environment.Remove(variable);
        }

        info.Environment["NUGET_PACKAGES"] = nugetPackages;
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["MSBUILDUSESERVER"] = "0";
        info.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment.Remove("SOURCE_DATE_EPOCH");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output) output.AppendLine($"[test] killed after {timeout}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new DotnetResult(process.ExitCode, output.ToString(), binlog, info.FileName + " " + string.Join(" ", info.ArgumentList));
        }
    }
}
