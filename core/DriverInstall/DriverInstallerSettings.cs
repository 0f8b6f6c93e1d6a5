using System;
using System.Linq;
using System.Text.RegularExpressions;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Installer;

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

    /// <summary>
    /// ProductVersion: the first three numbers (Windows Installer compares only those), each within its range.
    /// </summary>
    public static string ProductVersion(string version)
    {
        var match = Regex.Match(version ?? string.Empty, @"^\s*v?(\d+)\.(\d+)(?:\.(\d+))?(?:\.\d+)?(?:[-+].*)?\s*$");
        var limits = new long[] { 255, 255, 65535 };
        if (!match.Success)
        {
            throw Invalid($"The installer's version '{version}' is not major.minor.patch: Windows Installer compares three numbers.");
        }

        var parts = new long[3];
        for (var i = 0; i < 3; i++)
        {
            var text = match.Groups[i + 1].Success ? match.Groups[i + 1].Value : "0";
            if (!long.TryParse(text, out parts[i]) || parts[i] > limits[i])
            {
                throw Invalid($"The installer's version '{version}' is out of range: Windows Installer versions go up to 255.255.65535.");
            }
        }

        return string.Join(".", parts);
    }

    /// <summary>A name the installer shows: given, on one line, in code page 1252, at most <paramref name="longest"/> characters.</summary>
    public static void CheckText(string what, string value, int longest)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsControl))
        {
            throw Invalid($"The installer's {what} must be given, on one line.");
        }

        if (CodePage1252.FirstUnrepresentable(value) is { } c)
        {
            throw Invalid($"The installer's {what} '{value}' has '{c}', which the installer database's code page (1252, Western European) cannot hold: use another character there.");
        }

        if (value.Length > longest)
        {
            throw Invalid($"The installer's {what} '{value}' is {value.Length} characters; Windows Installer takes at most {longest}: shorten it.");
        }
    }

    internal static WdkException Invalid(string message) => new(Diagnostic.Error(ErrorCodes.InstallerSettingsInvalid, message));
}
