using System.Linq;
using Microsoft.Build.Framework;
using WdkDriver.Core.DriverInstall;

namespace WdkDriver.Sdk.Tasks;

/// <summary>Writes the install plan the package's scripts carry out: how Windows installs each of <see cref="Infs"/>.</summary>
public sealed class WriteDriverInstallPlan : WdkTask
{
    /// <summary>The stamped INFs, each with its PackagePath (its name in driver/&lt;arch&gt;/).</summary>
    [Required]
    public ITaskItem[] Infs { get; set; } = new ITaskItem[0];

    /// <summary>amd64 or arm64.</summary>
    [Required]
    public string Architecture { get; set; } = string.Empty;

    [Required]
    public string Destination { get; set; } = string.Empty;

    protected override void ExecuteCore() =>
        InstallPlanFile.Write(Destination, Architecture, Infs.Select(i => (i.GetMetadata("FullPath"), i.GetMetadata("PackagePath") is { Length: > 0 } name ? name : i.GetMetadata("Filename") + i.GetMetadata("Extension"))));
}
