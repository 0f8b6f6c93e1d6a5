using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Cargo;

public enum DriverType
{
    Wdm,
    Kmdf,
    Umdf,
}

/// <summary>
/// <c>[package.metadata.wdk.driver-model]</c> as cargo-wdk reads it: the driver type and, for WDF drivers, the
/// framework version. Missing version numbers take cargo-wdk's defaults (KMDF 1.33, UMDF 2.33).
/// </summary>
public sealed record DriverModel(
    DriverType Type,
    int? KmdfVersionMajor = null,
    int? TargetKmdfVersionMinor = null,
    int? MinimumKmdfVersionMinor = null,
    int? UmdfVersionMajor = null,
    int? TargetUmdfVersionMinor = null,
    int? MinimumUmdfVersionMinor = null)
{
    private static readonly string[] KmdfKeys = { "kmdf-version-major", "target-kmdf-version-minor", "minimum-kmdf-version-minor" };
    private static readonly string[] UmdfKeys = { "umdf-version-major", "target-umdf-version-minor", "minimum-umdf-version-minor" };

    /// <summary>The WDK's <c>DriverType</c> spelling: WDM, KMDF or UMDF.</summary>
    public string TypeName => Type.ToString().ToUpperInvariant();

    /// <summary>Kernel drivers ship as .sys; UMDF drivers stay DLLs.</summary>
    public string BinaryExtension => Type == DriverType.Umdf ? ".dll" : ".sys";

    public bool UsesWdf => Type != DriverType.Wdm;

    public static DriverModel Parse(JsonElement table, string manifestPath)
    {
        if (table.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(manifestPath, "driver-model", "driver-model must be a table with a driver-type key");
        }

        var keys = table.EnumerateObject().Select(p => p.Name).ToList();
        if (!table.TryGetProperty("driver-type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw Invalid(manifestPath, "driver-model", "driver-model has no driver-type; set driver-type = \"WDM\", \"KMDF\" or \"UMDF\"");
        }

        var typeText = typeElement.GetString();
        DriverType type = typeText switch
        {
            "WDM" => DriverType.Wdm,
            "KMDF" => DriverType.Kmdf,
            "UMDF" => DriverType.Umdf,
            _ => throw Invalid(manifestPath, "driver-type", $"driver-type \"{typeText}\" is not one of \"WDM\", \"KMDF\", \"UMDF\" (upper case, as cargo-wdk reads it)"),
        };

        var allowed = new HashSet<string> { "driver-type" };
        allowed.UnionWith(type switch { DriverType.Kmdf => KmdfKeys, DriverType.Umdf => UmdfKeys, _ => new string[0] });
        var unknown = keys.FirstOrDefault(k => !allowed.Contains(k));
        if (unknown is not null)
        {
            throw Invalid(manifestPath, unknown, $"driver-model key '{unknown}' does not apply to a {typeText} driver; allowed: {string.Join(", ", allowed.OrderBy(k => k))}");
        }

        return type switch
        {
            DriverType.Kmdf => new DriverModel(
                type,
                Number(table, "kmdf-version-major", manifestPath) ?? 1,
                Number(table, "target-kmdf-version-minor", manifestPath) ?? 33,
                MinimumKmdfVersionMinor: Number(table, "minimum-kmdf-version-minor", manifestPath)),
            DriverType.Umdf => new DriverModel(
                type,
                UmdfVersionMajor: Number(table, "umdf-version-major", manifestPath) ?? 2,
                TargetUmdfVersionMinor: Number(table, "target-umdf-version-minor", manifestPath) ?? 33,
                MinimumUmdfVersionMinor: Number(table, "minimum-umdf-version-minor", manifestPath)),
            _ => new DriverModel(type),
        };
    }

    /// <summary>KMDF and UMDF drivers compile against the WDK's WDF headers and libraries, which exist only on Windows.</summary>
    public void EnsureBuildableOn(bool windowsHost, string manifestPath)
    {
        if (UsesWdf && !windowsHost)
        {
            var (line, column) = ManifestLocator.Find(manifestPath, "driver-type");
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.WdfNeedsWindows,
                $"{TypeName} drivers build against the WDK's WDF headers and libraries, which exist only on Windows. " +
                "Build this driver on Windows with the WDK installed, or make it a WDM driver (driver-type = \"WDM\").",
                manifestPath,
                line,
                column));
        }
    }

    private static int? Number(JsonElement table, string key, string manifestPath)
    {
        if (!table.TryGetProperty(key, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < 0 || number > 255)
        {
            throw Invalid(manifestPath, key, $"{key} must be a whole number from 0 to 255");
        }

        return number;
    }

    private static WdkException Invalid(string manifestPath, string key, string message)
    {
        var (line, column) = ManifestLocator.Find(manifestPath, key, "driver-model");
        return new WdkException(Diagnostic.Error(ErrorCodes.DriverModelInvalid, message + ".", manifestPath, line, column));
    }
}
