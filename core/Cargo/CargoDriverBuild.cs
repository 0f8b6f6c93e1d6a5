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

public sealed record CargoDriverBuildResult(
    RustToolchain Toolchain,
    string Profile,
    CargoWorkspace Workspace,
    DriverCrate Driver,
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

    /// <returns>null when cargo failed; its errors have been reported.</returns>
    public CargoDriverBuildResult? Run(CargoDriverBuildOptions options, CancellationToken cancellation)
    {
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
            return null;
        }

        return new CargoDriverBuildResult(toolchain, profile, workspace, driver, DriverOutputs.Collect(build.Artifacts, driver));
    }
}
