using System.Globalization;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using WdkDriver.Core.Cargo;
using WdkDriver.Core.Processes;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Builds the Cargo workspace for the driver's platform and hands the driver binary, its symbols and the client
/// executables to the later stages, together with the driver model from <c>[package.metadata.wdk]</c>.
/// </summary>
public sealed class CargoBuild : WdkTask
{
    [Required]
    public string ManifestPath { get; set; } = string.Empty;

    public string? Platform { get; set; }

    public string? Configuration { get; set; }

    /// <summary>In: the crate to package when the workspace has several. Out: the driver binary's name.</summary>
    [Output]
    public string? DriverName { get; set; }

    public string? CargoFeatures { get; set; }

    public bool CargoLocked { get; set; }

    public bool CargoOffline { get; set; }

    public string? CargoArguments { get; set; }

    /// <summary>The record of the last build (in the intermediate folder); empty to run cargo every time.</summary>
    public string? StateFile { get; set; }

    [Output]
    public string? RustTarget { get; set; }

    [Output]
    public string? CargoProfile { get; set; }

    [Output]
    public string? CargoPath { get; set; }

    [Output]
    public string? RustcPath { get; set; }

    [Output]
    public string? DriverCrate { get; set; }

    [Output]
    public string? DriverType { get; set; }

    [Output]
    public string? KmdfVersionMajor { get; set; }

    [Output]
    public string? KmdfVersionMinor { get; set; }

    [Output]
    public string? KmdfMinimumVersionRequired { get; set; }

    [Output]
    public string? UmdfVersionMajor { get; set; }

    [Output]
    public string? UmdfVersionMinor { get; set; }

    [Output]
    public string? UmdfMinimumVersionRequired { get; set; }

    [Output]
    public string? CargoTargetDirectory { get; set; }

    /// <summary>The folder of the driver crate's Cargo.toml, where its .inx may live.</summary>
    [Output]
    public string? DriverCrateDirectory { get; set; }

    /// <summary>The cdylib as cargo wrote it; <c>PackagePath</c> is its name in the package (<c>booster.sys</c>).</summary>
    [Output]
    public ITaskItem[] DriverBinary { get; set; } = new ITaskItem[0];

    [Output]
    public ITaskItem[] DriverSymbols { get; set; } = new ITaskItem[0];

    [Output]
    public ITaskItem[] DriverClientFiles { get; set; } = new ITaskItem[0];

    protected override void ExecuteCore()
    {
        var options = new CargoDriverBuildOptions(
            ManifestPath,
            ProjectFile ?? string.Empty,
            Platform,
            Configuration,
            RustTarget,
            CargoProfile,
            CargoPath,
            RustcPath,
            DriverName,
            CargoBuildRequest.SplitFeatures(CargoFeatures),
            CargoLocked,
            CargoOffline,
            CommandLine.Split(CargoArguments));

        var result = new CargoDriverBuild(ProcessRunner.Instance, this).Run(options, Cancellation, string.IsNullOrEmpty(StateFile) ? null : StateFile);
        if (result is null)
        {
            return;
        }

        RustTarget = result.RustTarget;
        CargoProfile = result.Profile;
        CargoPath = result.Cargo;
        RustcPath = result.Rustc;
        DriverName = result.DriverName;
        DriverCrate = result.DriverCrate;
        DriverType = result.DriverType;
        KmdfVersionMajor = Text(result.KmdfVersionMajor);
        KmdfVersionMinor = Text(result.KmdfVersionMinor);
        KmdfMinimumVersionRequired = Text(result.KmdfMinimumVersionRequired);
        UmdfVersionMajor = Text(result.UmdfVersionMajor);
        UmdfVersionMinor = Text(result.UmdfVersionMinor);
        UmdfMinimumVersionRequired = Text(result.UmdfMinimumVersionRequired);
        CargoTargetDirectory = result.TargetDirectory;
        DriverCrateDirectory = result.DriverCrateDirectory;

        var outputs = result.Outputs;
        var binary = new TaskItem(outputs.Binary);
        binary.SetMetadata("PackagePath", outputs.PackageFileName);
        binary.SetMetadata("DriverType", result.DriverType);
        binary.SetMetadata("Crate", result.DriverCrate);
        DriverBinary = new ITaskItem[] { binary };
        DriverSymbols = outputs.Symbols is null ? new ITaskItem[0] : new ITaskItem[] { PackageItem(outputs.Symbols) };
        DriverClientFiles = outputs.ClientFiles.Select(PackageItem).ToArray();
    }

    private static ITaskItem PackageItem(string path)
    {
        var item = new TaskItem(path);
        item.SetMetadata("PackagePath", System.IO.Path.GetFileName(path));
        return item;
    }

    private static string? Text(int? number) => number?.ToString(CultureInfo.InvariantCulture);
}
