using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;

namespace WdkDriver.Core.Processes;

public sealed class ProcessRunner : IProcessRunner
{
    public static readonly ProcessRunner Instance = new();

    public int Run(ProcessRequest request, Action<string> standardOutput, Action<string> standardError, CancellationToken cancellation)
    {
        using var process = new Process { StartInfo = CreateStartInfo(request) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) standardOutput(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) standardError(e.Data); };

        cancellation.ThrowIfCancellationRequested();
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or FileNotFoundException or InvalidOperationException)
        {
            throw new ProcessStartException(request.FileName, e);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using (cancellation.Register(() => KillTree(process)))
        {
            process.WaitForExit();
        }

        // The parameterless wait also drains the asynchronous readers.
        process.WaitForExit();
        cancellation.ThrowIfCancellationRequested();
        return process.ExitCode;
    }

    private static ProcessStartInfo CreateStartInfo(ProcessRequest request)
    {
        var info = new ProcessStartInfo(request.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = request.WorkingDirectory ?? Directory.GetCurrentDirectory(),
        };
#if NETFRAMEWORK
        info.Arguments = CommandLine.JoinArguments(request.Arguments);
#else
        foreach (var argument in request.Arguments)
        {
            info.ArgumentList.Add(argument);
        }
#endif
        if (request.Environment is not null)
        {
            foreach (var variable in request.Environment)
            {
                if (variable.Value is null)
                {
                    info.EnvironmentVariables.Remove(variable.Key);
                }
                else
                {
                    info.EnvironmentVariables[variable.Key] = variable.Value;
                }
            }
        }

        return info;
    }

    private static void KillTree(Process process)
    {
        try
        {
#if NETFRAMEWORK
            // .NET Framework runs only on Windows, where taskkill ends the whole tree.
            using var killer = Process.Start(new ProcessStartInfo("taskkill", $"/T /F /PID {process.Id}") { UseShellExecute = false, CreateNoWindow = true });
            killer?.WaitForExit();
#else
            process.Kill(entireProcessTree: true);
#endif
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
