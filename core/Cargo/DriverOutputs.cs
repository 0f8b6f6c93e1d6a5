using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Cargo;

/// <summary>The files of a cargo build that go into a driver package, found from cargo's artifact messages only.</summary>
/// <param name="Binary">The cdylib as cargo wrote it (<c>booster.dll</c>).</param>
/// <param name="PackageFileName">Its name in the package: <c>.sys</c> for kernel drivers, <c>.dll</c> for UMDF.</param>
/// <param name="ClientFiles">Executables of the workspace's other crates, with their .pdb files.</param>
public sealed record DriverOutputs(string Binary, string PackageFileName, string? Symbols, IReadOnlyList<string> ClientFiles)
{
    public static DriverOutputs Collect(IReadOnlyList<CargoArtifact> artifacts, DriverCrate driver)
    {
        var driverArtifact = artifacts.LastOrDefault(a => a.PackageId == driver.Package.Id && a.Target.IsCdylib);
        var binary = driverArtifact?.Filenames.FirstOrDefault(f => HasExtension(f, ".dll"));
        if (driverArtifact is null || binary is null)
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.DriverBinaryMissing,
                $"cargo reported no DLL for the cdylib of driver crate '{driver.Package.Name}'. Check that RustTarget is a Windows target.",
                driver.Package.ManifestPath));
        }

        var clients = artifacts
            .Where(a => a.Target.IsBin && a.Executable is not null && a.PackageId != driver.Package.Id)
            .SelectMany(a => new[] { a.Executable! }.Concat(a.Filenames.Where(f => HasExtension(f, ".pdb"))))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        return new DriverOutputs(
            binary,
            Path.GetFileNameWithoutExtension(binary) + driver.Model.BinaryExtension,
            driverArtifact.Filenames.FirstOrDefault(f => HasExtension(f, ".pdb")),
            clients);
    }

    private static bool HasExtension(string file, string extension) =>
        string.Equals(Path.GetExtension(file), extension, StringComparison.OrdinalIgnoreCase);
}
