using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace WdkDriver.Scripts.Tests;

/// <summary>A PowerShell session in the test process, with the scripts' Windows tools replaced by recorders.</summary>
public sealed class ScriptHost : IDisposable
{
    /// <summary>The tools the scripts run; each stub logs its command line and answers as the test says.</summary>
    private static readonly string[] WindowsTools = { "pnputil.exe", "rundll32.exe", "sc.exe", "certutil.exe", "powershell.exe" };

    private readonly Runspace runspace;

    public ScriptHost()
    {
        var state = InitialSessionState.CreateDefault();
        runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        var stubs = string.Join("\n", WindowsTools.Select(tool => $$"""
            function global:{{tool}} {
                $line = '{{tool}} ' + ($args -join ' ')
                $global:WdkToolCalls.Add($line)
                $answer = $global:WdkToolAnswers | Where-Object { $line -like $_.Pattern } | Select-Object -First 1
                if ($answer) { $answer.Output; $global:LASTEXITCODE = $answer.ExitCode } else { $global:LASTEXITCODE = 0 }
            }
            """));
        Run("$global:WdkToolCalls = New-Object System.Collections.Generic.List[string]; $global:WdkToolAnswers = @()\n" + stubs);
    }

    /// <summary>The command lines the scripts ran, in order.</summary>
    public IReadOnlyList<string> Calls => Run("$global:WdkToolCalls").Select(o => o.ToString()).ToList();

    /// <summary>Makes a stubbed tool answer a command line that matches <paramref name="pattern"/> (PowerShell -like).</summary>
    public void Answer(string pattern, int exitCode, params string[] output) =>
        Run("param($p, $c, $o) $global:WdkToolAnswers += [pscustomobject]@{ Pattern = $p; ExitCode = $c; Output = $o }", pattern, exitCode, output);

    /// <summary>Runs a script (or a command) and returns its output; a terminating error becomes a <see cref="RuntimeException"/>.</summary>
    public Collection<PSObject> Run(string script, params object[] arguments)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        foreach (var argument in arguments)
        {
            shell.AddArgument(argument);
        }

        var output = shell.Invoke();
        if (shell.HadErrors && shell.Streams.Error.Count > 0)
        {
            throw new RuntimeException(string.Join("\n", shell.Streams.Error.Select(e => e.ToString())));
        }

        return output;
    }

    public void Dispose() => runspace.Dispose();
}
