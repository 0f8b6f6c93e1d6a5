using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Cargo;

public sealed record CargoBuildResult(bool Success, IReadOnlyList<CargoArtifact> Artifacts);

/// <summary>Runs <c>cargo build</c>, reports rustc's diagnostics as they come and collects the workspace's artifacts.</summary>
public sealed class CargoBuilder
{
    private readonly IProcessRunner runner;
    private readonly IDiagnosticSink sink;

    public CargoBuilder(IProcessRunner runner, IDiagnosticSink sink)
    {
        this.runner = runner;
        this.sink = sink;
    }

    public CargoBuildResult Build(CargoBuildRequest request, CargoWorkspace workspace, CancellationToken cancellation)
    {
        var process = request.ToProcessRequest(workspace.WorkspaceRoot);
        sink.Info(process.ToString(), important: true);

        // Package ids are matched by manifest too: cargo changed their spelling (1.77), and the clients may be built by
        // another cargo than the one that read the workspace. An artifact takes the id cargo metadata gave its package.
        var members = new HashSet<string>(workspace.Members.Select(m => m.Id));
        var byManifest = workspace.Members.GroupBy(m => System.IO.Path.GetFullPath(m.ManifestPath)).ToDictionary(g => g.Key, g => g.First().Id);
        var artifacts = new List<CargoArtifact>();
        var cargoErrors = new List<string>();
        var reportedErrors = 0;
        var gate = new object();

        void OnOutput(string line)
        {
            lock (gate)
            {
                switch (CargoMessageReader.Read(line, workspace.WorkspaceRoot))
                {
                    case CargoArtifact artifact when members.Contains(artifact.PackageId):
                        artifacts.Add(artifact);
                        break;
                    case CargoArtifact { ManifestPath: { } manifest } artifact when byManifest.TryGetValue(System.IO.Path.GetFullPath(manifest), out var id):
                        artifacts.Add(artifact with { PackageId = id });
                        break;
                    case CargoCompilerMessage { Diagnostic: { } diagnostic } message:
                        sink.Info(message.Rendered);
                        sink.Report(diagnostic);
                        if (diagnostic.Severity == Severity.Error)
                        {
                            reportedErrors++;
                        }

                        break;
                    case CargoCompilerMessage message:
                        sink.Info(message.Rendered);
                        break;
                    case CargoOtherMessage { Text: var text } when !text.StartsWith("{", StringComparison.Ordinal):
                        sink.Info(text);
                        break;
                }
            }
        }

        void OnError(string line)
        {
            lock (gate)
            {
                // cargo's progress, a line per crate it compiles (none for a crate that is fresh), shown as a long
                // step's progress is; the rest of its chatter at normal verbosity.
                var compiling = line.TrimStart().StartsWith("Compiling ", StringComparison.Ordinal);
                sink.Info(compiling ? "cargo: " + line.Trim() : line, important: compiling);
                if (line.StartsWith("error:", StringComparison.Ordinal) || (cargoErrors.Count > 0 && line.Trim().Length > 0))
                {
                    cargoErrors.Add(line.Trim());
                }
            }
        }

        int exitCode;
        try
        {
            exitCode = runner.Run(process, OnOutput, OnError, cancellation);
        }
        catch (ProcessStartException e)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CargoNotFound, $"{e.Message}. Set CargoPath to a working cargo."), e);
        }

        if (exitCode == 0)
        {
            return new CargoBuildResult(true, artifacts);
        }

        if (reportedErrors == 0)
        {
            // cargo's own failures (a bad manifest, an unreachable registry) come as text on stderr.
            var summary = string.Join(" ", cargoErrors.Where(e => !e.StartsWith("error: could not compile", StringComparison.Ordinal)));
            sink.Report(summary.Length > 0
                ? Diagnostic.Error(ErrorCodes.CargoError, $"cargo: {StripPrefix(summary)}", request.ManifestPath)
                : Diagnostic.Error(ErrorCodes.CargoBuildFailed, $"cargo build failed with exit code {exitCode}; its output is above.", request.ManifestPath));
        }

        return new CargoBuildResult(false, artifacts);
    }

    private static string StripPrefix(string text) =>
        text.StartsWith("error: ", StringComparison.Ordinal) ? text.Substring("error: ".Length) : text;
}
