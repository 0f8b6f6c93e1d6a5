using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Tests;

internal sealed class RecordingSink : IDiagnosticSink
{
    public List<Diagnostic> Diagnostics { get; } = new();

    public List<string> Infos { get; } = new();

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == Severity.Error);

    public void Report(Diagnostic diagnostic)
    {
        lock (Diagnostics) Diagnostics.Add(diagnostic);
    }

    public void Info(string message, bool important = false)
    {
        lock (Infos) Infos.Add(message);
    }
}
