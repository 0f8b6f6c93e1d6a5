using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Cargo;

/// <summary>The workspace member that is the driver, and what it is.</summary>
/// <param name="Name">The cdylib's name: the stem of the driver binary (<c>booster</c> → <c>booster.sys</c>).</param>
public sealed record DriverCrate(CargoPackage Package, string Name, DriverModel Model)
{
    /// <summary>
    /// Picks the driver crate: the member named by <paramref name="driverName"/>, else the only member with a
    /// <c>[package.metadata.wdk]</c> table (an empty one counts, as with cargo-wdk). Its driver model is the union of
    /// the package's and the workspace's <c>driver-model</c> tables, which must agree.
    /// </summary>
    public static DriverCrate Select(CargoWorkspace workspace, string? driverName)
    {
        var drivers = workspace.Members.Where(m => m.WdkMetadata is not null).ToList();
        CargoPackage package;
        if (!string.IsNullOrWhiteSpace(driverName))
        {
            package = workspace.Members.FirstOrDefault(m => NameMatches(m, driverName!))
                ?? throw new WdkException(Diagnostic.Error(
                    ErrorCodes.DriverCrateNotFound,
                    $"DriverName '{driverName}' names no crate of the workspace (members: {NameList(workspace.Members)}). " +
                    "Set DriverName to the driver crate's package name.",
                    workspace.RootManifest));
            if (package.WdkMetadata is null)
            {
                throw new WdkException(Diagnostic.Error(
                    ErrorCodes.NoDriverCrate,
                    $"Crate '{package.Name}' is not marked as a driver. Add a [package.metadata.wdk.driver-model] table to its Cargo.toml.",
                    package.ManifestPath));
            }
        }
        else if (drivers.Count == 1)
        {
            package = drivers[0];
        }
        else if (drivers.Count == 0)
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.NoDriverCrate,
                "No crate of the Cargo workspace is marked as a driver. Add [package.metadata.wdk.driver-model] with " +
                "driver-type = \"WDM\", \"KMDF\" or \"UMDF\" to the driver crate's Cargo.toml.",
                workspace.RootManifest));
        }
        else
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.SeveralDriverCrates,
                $"The workspace has several driver crates ({NameList(drivers)}). Set DriverName in the project file to the one to package.",
                workspace.RootManifest));
        }

        var cdylib = package.Cdylib;
        if (cdylib is null)
        {
            var (line, column) = ManifestLocator.Find(package.ManifestPath, "[lib]", "[package]");
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.DriverCrateNotCdylib,
                $"Driver crate '{package.Name}' builds no cdylib, so there is no driver binary. Add crate-type = [\"cdylib\"] to its [lib] section.",
                package.ManifestPath,
                line,
                column));
        }

        return new DriverCrate(package, cdylib.Name, ResolveModel(workspace, package));
    }

    private static DriverModel ResolveModel(CargoWorkspace workspace, CargoPackage package)
    {
        var models = new List<(DriverModel Model, string Manifest)>();
        if (DriverModelTable(package.WdkMetadata) is { } own)
        {
            models.Add((DriverModel.Parse(own, package.ManifestPath), package.ManifestPath));
        }

        if (DriverModelTable(workspace.WdkMetadata) is { } shared)
        {
            models.Add((DriverModel.Parse(shared, workspace.RootManifest), workspace.RootManifest));
        }

        if (models.Count == 0)
        {
            var (line, column) = ManifestLocator.Find(package.ManifestPath, "metadata.wdk");
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.DriverModelMissing,
                $"Driver crate '{package.Name}' has no driver model. Add [package.metadata.wdk.driver-model] (or " +
                "[workspace.metadata.wdk.driver-model]) with driver-type = \"WDM\", \"KMDF\" or \"UMDF\".",
                package.ManifestPath,
                line,
                column));
        }

        if (models.Count == 2 && models[0].Model != models[1].Model)
        {
            var (line, column) = ManifestLocator.Find(package.ManifestPath, "driver-model");
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.DriverModelInconsistent,
                $"Crate '{package.Name}' declares a driver model ({Describe(models[0].Model)}) that differs from the " +
                $"workspace's ({Describe(models[1].Model)}) in {models[1].Manifest}. Keep one of the two tables, or make them agree.",
                package.ManifestPath,
                line,
                column));
        }

        return models[0].Model;
    }

    private static JsonElement? DriverModelTable(JsonElement? wdk) =>
        wdk is { ValueKind: JsonValueKind.Object } table && table.TryGetProperty("driver-model", out var model) ? model : null;

    private static string Describe(DriverModel model) => model.Type switch
    {
        DriverType.Kmdf => $"KMDF {model.KmdfVersionMajor}.{model.TargetKmdfVersionMinor}",
        DriverType.Umdf => $"UMDF {model.UmdfVersionMajor}.{model.TargetUmdfVersionMinor}",
        _ => "WDM",
    };

    private static bool NameMatches(CargoPackage package, string name) =>
        string.Equals(package.Name, name, StringComparison.Ordinal)
        || string.Equals(package.Name.Replace('-', '_'), name.Replace('-', '_'), StringComparison.Ordinal)
        || package.Cdylib?.Name == name;

    private static string NameList(IEnumerable<CargoPackage> packages) =>
        string.Join(", ", packages.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
}
