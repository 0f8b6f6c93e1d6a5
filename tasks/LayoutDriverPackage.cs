using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using WdkDriver.Core.Packaging;

namespace WdkDriver.Sdk.Tasks;

/// <summary>Replaces the package folder with exactly <see cref="Files"/>, each at its <c>PackagePath</c> metadata.</summary>
public sealed class LayoutDriverPackage : WdkTask
{
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    [Required]
    public string Destination { get; set; } = string.Empty;

    protected override void ExecuteCore()
    {
        var files = Files
            .Select(f => new PackageFile(f.GetMetadata("FullPath"), f.GetMetadata("PackagePath") is { Length: > 0 } path ? path : f.GetMetadata("Filename") + f.GetMetadata("Extension")))
            .ToList();
        PackageLayout.Write(files, Destination);
        // As .NET reports a project's output ("Name -> path"), so that a solution's build says whose package it is.
        Log.LogMessage(MessageImportance.High, $"{Path.GetFileNameWithoutExtension(ProjectFile)} -> {Path.GetFullPath(Destination)} (driver package, {files.Count} files)");
    }
}
