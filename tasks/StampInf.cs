using System;
using Microsoft.Build.Framework;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;
using WdkDriver.Core.IO;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Stamps each <c>Inf</c> item into its <c>CopyOutput</c> (the source is never touched), with WDK-style metadata:
/// Architecture, CatalogFileName, DateStamp, TimeStamp, KmdfVersionNumber, UmdfVersionNumber, ProviderName,
/// DriverVersionSectionName.
/// </summary>
public sealed class StampInf : WdkTask
{
    [Required]
    public ITaskItem[] Infs { get; set; } = new ITaskItem[0];

    public string? DriverVersion { get; set; }

    public string? DriverDate { get; set; }

    public string? MajorMinorVersion { get; set; }

    public string? GitVersionHeight { get; set; }

    public string? GitCommitDateTicks { get; set; }

    public string? SourceDateEpoch { get; set; }

    public string? FallbackVersion { get; set; }

    protected override void ExecuteCore()
    {
        foreach (var inf in Infs)
        {
            var source = inf.GetMetadata("FullPath");
            var destination = inf.GetMetadata("CopyOutput");
            var versionSource = new DriverVerSource(
                Metadata(inf, "TimeStamp") ?? DriverVersion,
                Metadata(inf, "DateStamp") ?? DriverDate,
                MajorMinorVersion,
                GitVersionHeight,
                GitCommitDateTicks,
                SourceDateEpoch,
                FallbackVersion);
            var (driverVer, warning) = versionSource.Resolve(DateTime.UtcNow, source);
            if (warning is not null)
            {
                Report(warning);
            }

            var options = new StampOptions(
                Metadata(inf, "Architecture"),
                driverVer,
                Metadata(inf, "CatalogFileName"),
                Metadata(inf, "KmdfVersionNumber"),
                Metadata(inf, "UmdfVersionNumber"),
                Metadata(inf, "ProviderName"),
                Metadata(inf, "DriverVersionSectionName") ?? "Version");
            var stamped = InfStamper.Stamp(InfDocument.Load(source), options);
            AtomicFile.Write(destination, stamped.ToBytes(), ErrorCodes.InfOutputFailed);
            InfSourceMap.Write(destination, source, stamped);
            Log.LogMessage(MessageImportance.Normal, $"Stamped {destination} with DriverVer = {driverVer}");
        }
    }

    private static string? Metadata(ITaskItem item, string name) =>
        item.GetMetadata(name) is { Length: > 0 } value ? value : null;
}
