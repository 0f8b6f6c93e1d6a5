using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Cli;

/// <summary>Diagnostics go to standard error in MSBuild's canonical form; results go to standard output.</summary>
internal sealed class Reporter : IDiagnosticSink
{
    private readonly TextWriter error;

    public Reporter(TextWriter output, TextWriter error)
    {
        Output = output;
        this.error = error;
    }

    public TextWriter Output { get; }

    public int Errors { get; private set; }

    public void Report(Diagnostic diagnostic)
    {
        if (diagnostic.Severity == Severity.Error)
        {
            Errors++;
        }

        error.WriteLine(diagnostic.ToString());
    }

    public void Info(string message, bool important = false)
    {
        if (important)
        {
            error.WriteLine(message);
        }
    }

    /// <summary>Runs a verb: coded failures are reported and exit 1, I/O it cannot pin on the input exits 3.</summary>
    public int Run(Func<int> verb)
    {
        try
        {
            var code = verb();
            return Errors > 0 && code == ExitCodes.Success ? ExitCodes.Invalid : code;
        }
        catch (WdkException e)
        {
            Report(e.Diagnostic);
            return ExitCodes.Invalid;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error {ErrorCodes.InternalError}: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
