using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Threading;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Cargo;

public sealed record CargoDriverBuildOptions(
    string ManifestPath,
    string ProjectFile,
    string? Platform = null,
    string? Configuration = null,
    string? RustTarget = null,
    string? CargoProfile = null,
    string? CargoPath = null,
    string? RustcPath = null,
    string? DriverName = null,
    IReadOnlyList<string>? Features = null,
    bool Locked = false,
    bool Offline = false,
    IReadOnlyList<string>? ExtraArguments = null);

/// <summary>What the later stages take from the cargo stage; plain values, so that it can be recorded and reused.</summary>
/// <param name="ClientsNotBuilt">Why the workspace's clients were not built (WDK1026), said again when the result is reused.</param>
public sealed record CargoDriverBuildResult(
    string RustTarget,
    string Profile,
    string Cargo,
    string Rustc,
    string TargetDirectory,
    string DriverName,
    string DriverCrate,
    string DriverCrateDirectory,
    string DriverType,
    int? KmdfVersionMajor,
    int? KmdfVersionMinor,
    int? KmdfMinimumVersionRequired,
    int? UmdfVersionMajor,
    int? UmdfVersionMinor,
    int? UmdfMinimumVersionRequired,
    DriverOutputs Outputs,
    string? ClientsNotBuilt = null);

/// <summary>
/// The cargo stage from start to end: check the inputs, find a toolchain for the target, read the workspace and its
/// driver model, build, and collect the driver binary and the client executables.
/// </summary>
public sealed class CargoDriverBuild
{
    private readonly IProcessRunner runner;
    private readonly IDiagnosticSink sink;
    private readonly ToolchainSearchFactory searchFactory;

    public delegate ToolchainSearch ToolchainSearchFactory(string? cargoPath, string? rustcPath);

    public CargoDriverBuild(IProcessRunner runner, IDiagnosticSink sink, ToolchainSearchFactory? searchFactory = null)
    {
        this.runner = runner;
        this.sink = sink;
        this.searchFactory = searchFactory ?? ToolchainSearch.FromEnvironment;
    }

    /// <param name="stateFile">Where the build is recorded, so that the next one can skip cargo when nothing changed; null to always run cargo.</param>
    /// <returns>null when cargo failed; its errors have been reported.</returns>
    public CargoDriverBuildResult? Run(CargoDriverBuildOptions options, CancellationToken cancellation, string? stateFile = null)
    {
        if (stateFile is not null && CargoBuildState.TryReuse(stateFile, options) is { } reused)
        {
            sink.Info($"cargo: nothing it reads changed since the last build of {reused.DriverCrate} ({reused.RustTarget}, {reused.Profile}); not run. CargoUpToDateCheck=false runs it always.");
            if (reused.ClientsNotBuilt is { } clientsNotBuilt)
            {
                sink.Report(Diagnostic.Warning(ErrorCodes.ClientNotBuilt, clientsNotBuilt, options.ProjectFile));
            }

            return reused;
        }

        var manifest = Path.GetFullPath(options.ManifestPath);
        CargoMetadataCommand.EnsureManifestExists(manifest, options.ProjectFile);

        var search = searchFactory(options.CargoPath, options.RustcPath);
        var architecture = DriverArchitectures.FromPlatform(options.Platform);
        var profile = CargoProfile.FromConfiguration(options.Configuration, options.CargoProfile);
        var workingDirectory = Path.GetDirectoryName(manifest)!;

        var planner = new RustBuildPlanner(runner, sink);
        var toolchain = planner.DriverToolchain(search, architecture, options.RustTarget, workingDirectory, cancellation);
        sink.Info($"Rust toolchain: {toolchain.Cargo} {toolchain.CargoVersion} with {toolchain.Rustc} {toolchain.RustcVersion} for {toolchain.Target}");

        var workspace = CargoMetadataCommand.Read(runner, toolchain, manifest, cancellation);
        var driver = DriverCrate.Select(workspace, options.DriverName);
        driver.Model.EnsureBuildableOn(search.WindowsHost, driver.Package.ManifestPath);
        var plan = planner.Plan(toolchain, search, workspace, driver, options.ProjectFile, workingDirectory, cancellation);
        if (plan.ClientsNotBuilt is { } warning)
        {
            sink.Report(warning);
        }

        var extraArguments = options.ExtraArguments ?? new string[0];
        var features = options.Features ?? new string[0];
        CargoBuildRequest Request(RustToolchain used, IReadOnlyList<string> packages, IReadOnlyList<string> usedFeatures) => new(
            used,
            manifest,
            profile,
            usedFeatures,
            options.Locked,
            options.Offline,
            extraArguments,
            packages,
            MsvcLinker.For(used, search, workspace.WorkspaceRoot, extraArguments, Environment.GetEnvironmentVariable, workspace.TargetDirectory));

        // One cargo run where one target builds everything; else the driver alone, then the rest for the clients'
        // target (features named package/feature go where their package is).
        var requests = new List<CargoBuildRequest>();
        if (plan.OneBuild)
        {
            requests.Add(Request(toolchain, new string[0], features));
        }
        else
        {
            requests.Add(Request(toolchain, new[] { "-p", driver.Package.Name }, features));
            if (plan.Clients is { } clients)
            {
                // The older cargo first: a workspace without Cargo.lock gets one in a format both cargos read.
                var clientRequest = Request(clients, new[] { "--workspace", "--exclude", driver.Package.Name }, features.Where(f => f.Contains("/")).ToList());
                requests.Insert(clients.CargoVersion < toolchain.CargoVersion ? 0 : 1, clientRequest);
            }
        }

        var artifacts = new List<CargoArtifact>();
        foreach (var request in requests)
        {
            var build = new CargoBuilder(runner, sink).Build(request, workspace, cancellation);
            artifacts.AddRange(build.Artifacts);
            if (!build.Success)
            {
                if (stateFile is not null)
                {
                    CargoBuildState.Delete(stateFile);
                }

                return null;
            }
        }

        var model = driver.Model;
        var result = new CargoDriverBuildResult(
            toolchain.Target,
            profile,
            toolchain.Cargo,
            toolchain.Rustc,
            workspace.TargetDirectory,
            driver.Name,
            driver.Package.Name,
            Path.GetDirectoryName(driver.Package.ManifestPath)!,
            model.TypeName,
            model.KmdfVersionMajor,
            model.TargetKmdfVersionMinor,
            model.MinimumKmdfVersionMinor,
            model.UmdfVersionMajor,
            model.TargetUmdfVersionMinor,
            model.MinimumUmdfVersionMinor,
            DriverOutputs.Collect(artifacts, driver),
            plan.ClientsNotBuilt?.Message);
        if (stateFile is not null)
        {
            CargoBuildState.Save(stateFile, options, result, requests.SelectMany(r => r.Toolchain.Files()));
        }

        return result;
    }
}
