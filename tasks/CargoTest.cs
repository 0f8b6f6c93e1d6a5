using System;
using System.Linq;
using Microsoft.Build.Framework;
using WdkDriver.Core.Cargo;
using WdkDriver.Core.Processes;

namespace WdkDriver.Sdk.Tasks;

/// <summary>Runs <c>cargo test</c> on the host for the workspace's crates, the driver crate excepted.</summary>
public sealed class CargoTest : WdkTask
{
    [Required]
    public string CargoPath { get; set; } = string.Empty;

    [Required]
    public string RustcPath { get; set; } = string.Empty;

    [Required]
    public string ManifestPath { get; set; } = string.Empty;

    /// <summary>Packages not to test (the driver crate).</summary>
    public string[] Exclude { get; set; } = Array.Empty<string>();

    protected override void ExecuteCore() =>
        new CargoTester(ProcessRunner.Instance, this).Run(CargoPath, RustcPath, ManifestPath, Exclude.Where(e => e.Length > 0).ToList(), Cancellation);
}
