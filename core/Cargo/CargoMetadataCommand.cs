using System;
using System.IO;
using System.Threading;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Cargo;

/// <summary>Runs <c>cargo metadata --no-deps</c>: the workspace's members and metadata tables, without touching a registry.</summary>
public static class CargoMetadataCommand
{
    public static CargoWorkspace Read(IProcessRunner runner, RustToolchain toolchain, string manifestPath, CancellationToken cancellation)
    {
        var request = new ProcessRequest(
            toolchain.Cargo,
            new[] { "metadata", "--format-version", "1", "--no-deps", "--manifest-path", manifestPath },
            Path.GetDirectoryName(manifestPath),
            CargoBuildRequest.ToolchainEnvironment(toolchain));
        CapturedOutput result;
        try
        {
            result = runner.Capture(request, cancellation);
        }
        catch (ProcessStartException e)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.CargoNotFound, $"{e.Message}. Set CargoPath to a working cargo."), e);
        }

        if (result.ExitCode != 0)
        {
            var error = result.Error.Trim();
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.CargoMetadataFailed,
                $"cargo cannot read the workspace: {(error.StartsWith("error: ", StringComparison.Ordinal) ? error.Substring(7) : error)}".Replace("\n", " "),
                manifestPath));
        }

        return CargoMetadataReader.Parse(result.Output, manifestPath);
    }

    /// <summary>The manifest must exist before anything runs; cargo's own message for a missing one is less direct.</summary>
    public static void EnsureManifestExists(string manifestPath, string projectFile)
    {
        if (!File.Exists(manifestPath))
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.CargoManifestMissing,
                $"No Cargo.toml at '{manifestPath}'. Put the project file next to the Cargo workspace's Cargo.toml, or set CargoManifestPath.",
                projectFile));
        }
    }
}
