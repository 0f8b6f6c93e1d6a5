using System;
using System.Linq;
using Microsoft.Build.Framework;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;
using WdkDriver.Core.Versioning;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Writes each <c>DriverCatalog</c> for the driver package, given as its files (<c>PackagePath</c> metadata), before
/// the package is laid out. A catalog covers the stamped INFs whose <c>CatalogFileName</c> names it.
/// </summary>
public sealed class CreateCatalog : WdkTask
{
    [Required]
    public ITaskItem[] PackageFiles { get; set; } = new ITaskItem[0];

    [Required]
    public ITaskItem[] Catalogs { get; set; } = new ITaskItem[0];

    [Required]
    public ITaskItem[] Infs { get; set; } = new ITaskItem[0];

    [Required]
    public string WindowsVersionList { get; set; } = string.Empty;

    /// <summary>1 or 2; empty: 2 when every OS is Windows 10 or later.</summary>
    public string? CatalogVersion { get; set; }

    public bool IncludePageHashes { get; set; }

    public string? SourceDateEpoch { get; set; }

    public string? GitCommitDateTicks { get; set; }

    protected override void ExecuteCore()
    {
        var files = PackageFiles.ToDictionary(f => f.GetMetadata("PackagePath").Replace('\\', '/'), f => f.GetMetadata("FullPath"), StringComparer.OrdinalIgnoreCase);
        var options = new CatalogOptions(
            WindowsVersionList,
            CatalogVersion switch
            {
                null or "" => null,
                "1" => 1,
                "2" => 2,
                _ => throw new WdkException(Diagnostic.Error(ErrorCodes.CatalogVersionInvalid, $"CatalogVersion '{CatalogVersion}' is not 1 or 2.")),
            },
            IncludePageHashes,
            Time: ReproducibleTime.Resolve(SourceDateEpoch, GitCommitDateTicks));
        foreach (var catalog in Catalogs)
        {
            var name = catalog.GetMetadata("PackagePath");
            var infs = Infs.Where(i => string.Equals(i.GetMetadata("CatalogFileName"), name, StringComparison.OrdinalIgnoreCase))
                .Select(i => i.GetMetadata("PackagePath"))
                .ToList();
            var bytes = CatalogBuilder.Build(files, options, DateTimeOffset.UtcNow, infs);
            AtomicFile.Write(catalog.GetMetadata("FullPath"), bytes, ErrorCodes.CatalogOutputFailed);
            Log.LogMessage(MessageImportance.Normal, $"Catalog {catalog.ItemSpec} covers {string.Join(", ", infs)} for {WindowsVersionList}");
        }
    }
}
