using System.Collections.Generic;
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
    DriverOutputs Outputs);

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
            return reused;
        }

        var manifest = Path.GetFullPath(options.ManifestPath);
        CargoMetadataCommand.EnsureManifestExists(manifest, options.ProjectFile);

        var search = searchFactory(options.CargoPath, options.RustcPath);
        var architecture = DriverArchitectures.FromPlatform(options.Platform);
        var target = RustTarget.Resolve(architecture, options.RustTarget, search.WindowsHost);
        var profile = CargoProfile.FromConfiguration(options.Configuration, options.CargoProfile);
        var workingDirectory = Path.GetDirectoryName(manifest)!;

        var toolchain = new RustToolchainLocator(runner).Locate(search, target, workingDirectory, cancellation);
        sink.Info($"Rust toolchain: {toolchain.Cargo} {toolchain.CargoVersion} with {toolchain.Rustc} {toolchain.RustcVersion} for {target}");

        var workspace = CargoMetadataCommand.Read(runner, toolchain, manifest, cancellation);
        var driver = DriverCrate.Select(workspace, options.DriverName);
        driver.Model.EnsureBuildableOn(search.WindowsHost, driver.Package.ManifestPath);

        var request = new CargoBuildRequest(
            toolchain,
            manifest,
            profile,
            options.Features ?? new string[0],
            options.Locked,
            options.Offline,
            options.ExtraArguments ?? new string[0]);
        var build = new CargoBuilder(runner, sink).Build(request, workspace, cancellation);
        if (!build.Success)
        {
            if (stateFile is not null)
            {
                CargoBuildState.Delete(stateFile);
            }

            return null;
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
            DriverOutputs.Collect(build.Artifacts, driver));
        if (stateFile is not null)
        {
            CargoBuildState.Save(stateFile, options, result, new[] { toolchain.Cargo, toolchain.Rustc });
        }

        return result;
    }
}
