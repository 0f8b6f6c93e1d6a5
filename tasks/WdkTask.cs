using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Common ground of the SDK's tasks: coded failures become located MSBuild errors, anything unexpected becomes
/// WDK1000 instead of a crash, and cancelling the build cancels the work.
/// </summary>
public abstract class WdkTask : Task, ICancelableTask, IDiagnosticSink
{
    private readonly CancellationTokenSource cancellation = new();

    protected CancellationToken Cancellation => cancellation.Token;

    public void Cancel() => cancellation.Cancel();

    /// <summary>The project being built: where a finding that has no file of its own is reported, not the SDK's targets.</summary>
    public string? ProjectFile { get; set; }

    public sealed override bool Execute()
    {
        try
        {
            ExecuteCore();
        }
        catch (WdkException e)
        {
            Report(e.Diagnostic);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Log.LogMessage(MessageImportance.High, $"{GetType().Name} was cancelled.");
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.LogError(null, ErrorCodes.InternalError, null, null, 0, 0, 0, 0,
                $"{GetType().Name} failed unexpectedly: {e.GetType().Name}: {e.Message}. This is a bug in WdkDriver.Sdk; please report it with the build log.");
            Log.LogMessage(MessageImportance.Low, e.ToString());
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The certificates (.cer, DER or PEM) the items name; one that cannot be read is a coded error at its file.</summary>
    protected static List<X509Certificate2> Certificates(IEnumerable<ITaskItem> items) =>
        CertificateFile.LoadAll(items.Select(item => item.GetMetadata("FullPath")));

    /// <summary>The revocation lists (.crl, DER or PEM) the items name; one that cannot be read is a coded error at its file.</summary>
    protected static List<RevocationList> LoadRevocationLists(IEnumerable<ITaskItem> items) =>
        items.Select(item => RevocationList.Load(item.GetMetadata("FullPath"))).ToList();

    /// <summary>The task's work. Report findings through <see cref="Report"/> or throw <see cref="WdkException"/>.</summary>
    protected abstract void ExecuteCore();

    public void Report(Diagnostic diagnostic)
    {
        // A finding in a stamped INF is reported at the file the user edits (the .inx) and its line.
        diagnostic = InfSourceMap.ToSource(diagnostic);
        if (diagnostic.File is null && !string.IsNullOrEmpty(ProjectFile))
        {
            diagnostic = diagnostic with { File = ProjectFile };
        }

        switch (diagnostic.Severity)
        {
            case Severity.Error:
                Log.LogError(null, diagnostic.Code, null, diagnostic.File, diagnostic.Line, diagnostic.Column, 0, 0, diagnostic.Message);
                break;
            case Severity.Warning:
                Log.LogWarning(null, diagnostic.Code, null, diagnostic.File, diagnostic.Line, diagnostic.Column, 0, 0, diagnostic.Message);
                break;
            default:
                Log.LogMessage(null, diagnostic.Code, null, diagnostic.File, diagnostic.Line, diagnostic.Column, 0, 0, MessageImportance.Normal, diagnostic.Message);
                break;
        }
    }

    public void Info(string message, bool important = false) =>
        Log.LogMessage(important ? MessageImportance.High : MessageImportance.Normal, message);
}
