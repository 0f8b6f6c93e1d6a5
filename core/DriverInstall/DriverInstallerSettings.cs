using System;

namespace WdkDriver.Core.DriverInstall;

/// <summary>What a driver installer says of itself, besides the files it installs.</summary>
/// <param name="Architecture">amd64 or arm64: the package's driver/&lt;arch&gt;/ and client/&lt;arch&gt;/ folders, and the platform the .msi is for.</param>
/// <param name="Version">The product version: its first three numbers count (at most 255.255.65535); a suffix such as -beta or +commit is dropped.</param>
/// <param name="UpgradeCode">The product line: a package with the same upgrade code and a newer version replaces this one.</param>
/// <param name="InstallFolder">The folder under Program Files, e.g. <c>Contoso\Ping</c>.</param>
/// <param name="AddToPath">Whether the client's folder goes on the machine's PATH.</param>
/// <param name="LicenseFile">A license text installed beside the client; null: none.</param>
/// <param name="Time">The summary's creation time and the cabinet's file times (the commit's).</param>
public sealed record DriverInstallerSettings(
    string Architecture,
    string Manufacturer,
    string ProductName,
    string Version,
    Guid UpgradeCode,
    string InstallFolder,
    bool AddToPath,
    string? LicenseFile,
    DateTimeOffset Time)
{
    /// <summary>&lt;manufacturer&gt;\&lt;product&gt;, or the product alone when the two are one name (no Program Files\Ping\Ping).</summary>
    public static string DefaultInstallFolder(string manufacturer, string productName) =>
        string.Equals(manufacturer.Trim(), productName.Trim(), StringComparison.OrdinalIgnoreCase) ? productName : manufacturer + "\\" + productName;
}
