using System;
using System.Linq;
using Microsoft.Build.Framework;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;
using WdkDriver.Core.Packaging;

namespace WdkDriver.Sdk.Tasks;

/// <summary>Writes the package's readme (<see cref="PackageReadme"/>) from the package tree about to be packed.</summary>
public sealed class WritePackageReadme : WdkTask
{
    /// <summary>The package tree, each file with its <c>PackagePath</c>.</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    [Required]
    public string Destination { get; set; } = string.Empty;

    [Required]
    public string PackageId { get; set; } = string.Empty;

    [Required]
    public string Version { get; set; } = string.Empty;

    public string? Description { get; set; }

    protected override void ExecuteCore()
    {
        var files = Files.GroupBy(f => f.GetMetadata("PackagePath").Replace('\\', '/'), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().GetMetadata("FullPath"), StringComparer.OrdinalIgnoreCase);
        var text = PackageReadme.Write(PackageId, Version, Description, files);
        AtomicFile.Write(Destination, new System.Text.UTF8Encoding(false).GetBytes(text), ErrorCodes.PackageLayoutFailed);
    }
}
