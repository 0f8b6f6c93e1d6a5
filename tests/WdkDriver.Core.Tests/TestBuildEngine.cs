using System.Collections;
using Microsoft.Build.Framework;

namespace WdkDriver.Core.Tests;

/// <summary>Collects what a task logs. Internal: xunit must not load MSBuild types while it discovers tests.</summary>
internal sealed class TestBuildEngine : IBuildEngine
{

    public List<BuildErrorEventArgs> Errors { get; } = new();

    public List<BuildWarningEventArgs> Warnings { get; } = new();

    public List<BuildMessageEventArgs> Messages { get; } = new();

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "/sdk/WdkDriver.Cargo.targets";

    public string Log => string.Join("\n", Errors.Select(e => $"error {e.Code}: {e.Message}")
        .Concat(Warnings.Select(w => $"warning {w.Code}: {w.Message}"))
        .Concat(Messages.Select(m => m.Message)));

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException();

    public void LogCustomEvent(CustomBuildEventArgs e)
    {
    }

    public void LogErrorEvent(BuildErrorEventArgs e)
    {
        lock (Errors) Errors.Add(e);
    }

    public void LogMessageEvent(BuildMessageEventArgs e)
    {
        lock (Messages) Messages.Add(e);
    }

    public void LogWarningEvent(BuildWarningEventArgs e)
    {
        lock (Warnings) Warnings.Add(e);
    }
}
