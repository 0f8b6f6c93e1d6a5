namespace WdkDriver.Core.Diagnostics;

/// <summary>Where the engine reports findings and progress: the MSBuild log, the console, or a test's list.</summary>
public interface IDiagnosticSink
{
    void Report(Diagnostic diagnostic);

    /// <summary>Progress text that is not a finding (tool output, what is being done).</summary>
    void Info(string message, bool important = false);
}
