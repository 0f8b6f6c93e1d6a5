using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace WdkDriver.Core.Cargo;

/// <summary>Where to look for cargo and rustc: the user's choice, else PATH, then the places installers put them.</summary>
public sealed record ToolchainSearch(
    string? CargoPath,
    string? RustcPath,
    string? PathVariable,
    string? CargoHome,
    string? UserHome,
    bool WindowsHost)
{
    public static ToolchainSearch FromEnvironment(string? cargoPath, string? rustcPath) => new(
        string.IsNullOrWhiteSpace(cargoPath) ? null : cargoPath,
        string.IsNullOrWhiteSpace(rustcPath) ? null : rustcPath,
        Environment.GetEnvironmentVariable("PATH"),
        Environment.GetEnvironmentVariable("CARGO_HOME"),
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows));

    private string ExecutableSuffix => WindowsHost ? ".exe" : string.Empty;

    /// <summary>Candidate (cargo, rustc) pairs, best first, without duplicates.</summary>
    public IReadOnlyList<(string Cargo, string Rustc)> Candidates()
    {
        if (CargoPath is not null)
        {
            return new[] { (CargoPath, RustcPath ?? Beside(CargoPath, "rustc")) };
        }

        var directories = new List<string>();
        directories.AddRange(SplitPath());
        if (CargoHome is not null)
        {
            directories.Add(Path.Combine(CargoHome, "bin"));
        }

        if (!string.IsNullOrEmpty(UserHome))
        {
            directories.Add(Path.Combine(UserHome, ".cargo", "bin"));
        }

        if (!WindowsHost)
        {
            directories.Add("/usr/bin");
            directories.Add("/usr/local/bin");
        }

        var pairs = new List<(string, string)>();
        foreach (var directory in directories)
        {
            var cargo = Path.Combine(directory, "cargo" + ExecutableSuffix);
            if (!File.Exists(cargo))
            {
                continue;
            }

            // A cargo is tried with the rustc of its own installation; that is the pair its release was made with.
            var pair = (cargo, RustcPath ?? Path.Combine(directory, "rustc" + ExecutableSuffix));
            if (!pairs.Contains(pair))
            {
                pairs.Add(pair);
            }
        }

        return pairs;
    }

    private string Beside(string cargo, string tool) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(cargo)) ?? string.Empty, tool + ExecutableSuffix);

    private IEnumerable<string> SplitPath() =>
        (PathVariable ?? string.Empty)
            .Split(new[] { WindowsHost ? ';' : ':' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => directory.Trim().Trim('"'))
            .Where(directory => directory.Length > 0 && Path.IsPathRooted(directory));
}
