using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using WdkDriver.Core.Packaging;
using WdkDriver.Core.Versioning;

namespace WdkDriver.Sdk.Tasks;

/// <summary>Writes <see cref="Files"/> (each at its <c>PackagePath</c>) as a .zip dated with the commit's time.</summary>
public sealed class ZipDriverPackage : WdkTask
{
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    [Required]
    public string Destination { get; set; } = string.Empty;

    public string? SourceDateEpoch { get; set; }

    public string? GitCommitDateTicks { get; set; }

    protected override void ExecuteCore()
    {
        // Without a commit time or SOURCE_DATE_EPOCH, the pack targets have said (WDK5005) that the date is the clock's.
        var time = ReproducibleTime.Resolve(SourceDateEpoch, GitCommitDateTicks) ?? DateTimeOffset.UtcNow;
        var files = Files.Select(f => new PackageFile(f.GetMetadata("FullPath"), f.GetMetadata("PackagePath"))).ToList();
        PackageArchive.Write(files, Destination, time);
        Log.LogMessage(MessageImportance.High, $"{Path.GetFileNameWithoutExtension(ProjectFile)} -> {Destination} (driver package archive, {files.Count} files)");
    }
}
