using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.DriverInstall;
using WdkDriver.Core.Packaging;
using WdkDriver.Core.Versioning;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Writes one Windows Installer package per architecture the package holds a driver for
/// (<c>&lt;DestinationPrefix&gt;.&lt;arch&gt;.msi</c>), from the package's files (each with its <c>PackagePath</c>).
/// </summary>
public sealed class CreateDriverInstaller : WdkTask
{
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    /// <summary>The installers' path without ".&lt;arch&gt;.msi", e.g. bin/Release/Booster.1.2.3.</summary>
    [Required]
    public string DestinationPrefix { get; set; } = string.Empty;

    /// <summary>Not [Required]: an empty setting is a coded error (WDK5050) at the project file, not MSBuild's.</summary>
    public string Manufacturer { get; set; } = string.Empty;

    public string ProductName { get; set; } = string.Empty;

    public string Version { get; set; } = string.Empty;

    /// <summary>A GUID; empty: derived from <see cref="PackageId"/>, the same for every version.</summary>
    public string? UpgradeCode { get; set; }

    [Required]
    public string PackageId { get; set; } = string.Empty;

    /// <summary>Empty: <see cref="DriverInstallerSettings.DefaultInstallFolder"/>.</summary>
    public string? InstallFolder { get; set; }

    /// <summary>true or false (a string: another value is a coded error, not MSBuild's conversion failure).</summary>
    public string? AddToPath { get; set; }

    public ITaskItem? LicenseFile { get; set; }

    public string? SourceDateEpoch { get; set; }

    public string? GitCommitDateTicks { get; set; }

    [Output]
    public ITaskItem[] Installers { get; private set; } = new ITaskItem[0];

    protected override void ExecuteCore()
    {
        try
        {
            Write();
        }
        catch (WdkException e) when (e.Diagnostic.File is null)
        {
            // A setting is wrong: the project file is where it is set.
            throw new WdkException(Diagnostic.Error(e.Diagnostic.Code, e.Diagnostic.Message, ProjectFile), e);
        }
    }

    private void Write()
    {
        // Without a commit time or SOURCE_DATE_EPOCH, the pack targets have said (WDK5005) that the date is the clock's.
        var time = ReproducibleTime.Resolve(SourceDateEpoch, GitCommitDateTicks) ?? DateTimeOffset.UtcNow;
        var upgradeCode = UpgradeCodeFor(UpgradeCode, PackageId);
        var addToPath = (AddToPath ?? string.Empty).Trim().ToLowerInvariant() switch
        {
            "" or "false" => false,
            "true" => true,
            _ => throw new WdkException(Diagnostic.Error(ErrorCodes.InstallerSettingsInvalid, $"DriverInstallerAddToPath '{AddToPath}' is not true or false.")),
        };
        var files = Files.Select(f => new PackageFile(f.GetMetadata("FullPath"), f.GetMetadata("PackagePath").Replace('\\', '/'))).ToList();
        var architectures = DriverInstallerBuilder.Architectures(files);
        if (architectures.Count == 0)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.InstallerPackageInvalid, "The package holds no driver (nothing under driver/<arch>/) to make an installer of."));
        }

        // An item: its full path is the project folder's, whatever the build's working directory.
        var license = LicenseFile is null || string.IsNullOrWhiteSpace(LicenseFile.ItemSpec) ? null : LicenseFile.GetMetadata("FullPath");
        if (license is not null && !System.IO.File.Exists(license))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.InstallerSettingsInvalid, $"DriverInstallerLicenseFile '{LicenseFile!.ItemSpec}' does not exist: name a text file, relative to the project."));
        }

        var folder = string.IsNullOrWhiteSpace(InstallFolder) ? DriverInstallerSettings.DefaultInstallFolder(Manufacturer, ProductName) : InstallFolder!;
        var written = new List<ITaskItem>();
        foreach (var architecture in architectures)
        {
            var destination = $"{DestinationPrefix}.{architecture}.msi";
            DriverInstallerBuilder.Write(destination, files, new DriverInstallerSettings(architecture, Manufacturer, ProductName, Version, upgradeCode, folder, addToPath, license, time));
            Log.LogMessage(MessageImportance.High, $"{Path.GetFileNameWithoutExtension(ProjectFile)} -> {destination} (driver installer)");
            written.Add(new TaskItem(destination, new Dictionary<string, string> { ["Architecture"] = architecture, ["SignedPath"] = destination }));
        }

        Installers = written.ToArray();
    }

    private static Guid UpgradeCodeFor(string? given, string packageId)
    {
        if (string.IsNullOrWhiteSpace(given))
        {
            return DriverInstallerBuilder.UpgradeCodeFor(packageId);
        }

        return Guid.TryParse(given!.Trim(), out var code)
            ? code
            : throw new WdkException(Diagnostic.Error(ErrorCodes.InstallerSettingsInvalid, $"DriverInstallerUpgradeCode '{given}' is not a GUID: write one such as {{{Guid.Empty.ToString().ToUpperInvariant().Replace('0', 'A')}}}, or leave it out to derive it from the PackageId."));
    }
}
