using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using WdkDriver.Core.Packaging;
using WdkDriver.Core.Versioning;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Writes one Partner Center submission cabinet per architecture: <see cref="Files"/> are the driver packages' files,
/// each with its <c>Architecture</c> and its <c>PackagePath</c> inside the driver package.
/// </summary>
public sealed class CreateSubmissionCab : WdkTask
{
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    /// <summary>The cabinets' path without "&lt;arch&gt;.submission.cab", e.g. bin/Release/Booster.1.2.3.</summary>
    [Required]
    public string DestinationPrefix { get; set; } = string.Empty;

    /// <summary>The folder inside the cabinet; empty: the INF's name, letters and digits only.</summary>
    public string? Folder { get; set; }

    public string? SourceDateEpoch { get; set; }

    public string? GitCommitDateTicks { get; set; }

    [Output]
    public ITaskItem[] Cabinets { get; private set; } = new ITaskItem[0];

    protected override void ExecuteCore()
    {
        // Without a commit time or SOURCE_DATE_EPOCH, the pack targets have said (WDK5005) that the date is the clock's.
        var time = (ReproducibleTime.Resolve(SourceDateEpoch, GitCommitDateTicks) ?? DateTimeOffset.UtcNow).UtcDateTime;
        var written = new List<ITaskItem>();
        foreach (var architecture in Files.GroupBy(f => f.GetMetadata("Architecture"), StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var destination = $"{DestinationPrefix}.{architecture.Key}.submission.cab";
            var files = architecture.Select(f => new PackageFile(f.GetMetadata("FullPath"), f.GetMetadata("PackagePath"))).ToList();
            foreach (var warning in SubmissionCabinet.Write(destination, Folder, files, time))
            {
                Report(warning);
            }

            Log.LogMessage(MessageImportance.High, $"{Path.GetFileNameWithoutExtension(ProjectFile)} -> {destination} (submission cabinet, {files.Count} files)");
            written.Add(new TaskItem(destination, new Dictionary<string, string> { ["Architecture"] = architecture.Key, ["SignedPath"] = destination }));
        }

        Cabinets = written.ToArray();
    }
}
