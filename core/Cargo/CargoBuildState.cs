using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace WdkDriver.Core.Cargo;

/// <summary>
/// What the last successful cargo build of a driver project read and produced, kept in the project's intermediate
/// folder. When the request, the environment cargo and the build scripts read, and every file they read (from
/// cargo's dep-info files, plus manifests, lock file, cargo configuration and toolchain) are as they were, cargo
/// would rebuild nothing: its result is reused instead of starting cargo and rustc five times.
/// Not seen: files a build script reads without declaring them with <c>cargo:rerun-if-changed</c>.
/// </summary>
public static class CargoBuildState
{
    private const string Header = "WdkDriver cargo build record 1";

    /// <summary>The recorded result, when nothing it depends on changed; null otherwise (or when there is no record).</summary>
    public static CargoDriverBuildResult? TryReuse(string stateFile, CargoDriverBuildOptions options)
    {
        string[] lines;
        try
        {
            if (!File.Exists(stateFile))
            {
                return null;
            }

            lines = File.ReadAllLines(stateFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var record = Record.Parse(lines);
        try
        {
            if (record is null || record.Key != ComputeKey(options, Names(record.Variables)) || record.Files.Any(f => LastWrite(f.Key) != f.Value))
            {
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // A path in the record that cannot even be looked at: not a record to trust.
            return null;
        }

        return record.Result;
    }

    /// <summary>Records a successful build; without dep-info for every file it produced, nothing is recorded.</summary>
    public static void Save(string stateFile, CargoDriverBuildOptions options, CargoDriverBuildResult result, IEnumerable<string> toolchainFiles)
    {
        try
        {
            Write(stateFile, options, result, toolchainFiles);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without a record the next build runs cargo, which is all a record saves.
            Delete(stateFile);
        }
    }

    private static void Write(string stateFile, CargoDriverBuildOptions options, CargoDriverBuildResult result, IEnumerable<string> toolchainFiles)
    {
        var outputs = new[] { result.Outputs.Binary }.Concat(result.Outputs.ClientFiles.Where(f => f.EndsWith(".exe", StringComparison.OrdinalIgnoreCase))).ToList();
        var inputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in outputs)
        {
            var depInfo = Path.ChangeExtension(output, ".d");
            if (!File.Exists(depInfo))
            {
                Delete(stateFile);
                return;
            }

            inputs.UnionWith(DepInfo.Read(depInfo));
        }

        // The manifest above each source file (path dependencies outside the workspace too), the workspace's own
        // manifest and lock file, and every place cargo and rustup read configuration from.
        foreach (var directory in inputs.Select(Path.GetDirectoryName).Where(d => d is not null).Distinct().ToList())
        {
            if (Above(directory!, "Cargo.toml").FirstOrDefault() is { } manifest)
            {
                inputs.Add(manifest);
            }
        }

        var root = Path.GetDirectoryName(Path.GetFullPath(options.ManifestPath))!;
        inputs.Add(Path.Combine(root, "Cargo.toml"));
        inputs.Add(Path.Combine(root, "Cargo.lock"));
        inputs.Add(Path.Combine(root, ".cargo", "config.toml"));
        inputs.UnionWith(Above(root, Path.Combine(".cargo", "config.toml"), Path.Combine(".cargo", "config"), "rust-toolchain.toml", "rust-toolchain"));
        inputs.UnionWith(toolchainFiles);
        var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var cargoHome = Environment.GetEnvironmentVariable("CARGO_HOME") ?? Path.Combine(home, ".cargo");
        var rustupHome = Environment.GetEnvironmentVariable("RUSTUP_HOME") ?? Path.Combine(home, ".rustup");
        inputs.Add(Path.Combine(cargoHome, "config.toml"));
        inputs.Add(Path.Combine(cargoHome, "config"));
        inputs.Add(Path.Combine(rustupHome, "settings.toml"));

        var variables = outputs.SelectMany(o => BuildScriptVariables(Path.GetDirectoryName(o)!)).Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToList();
        // A file that does not exist is recorded too (as 0): creating it is a change.
        var files = inputs.Concat(outputs).Concat(result.Outputs.ClientFiles).Concat(result.Outputs.Symbols is { } s ? new[] { s } : Array.Empty<string>())
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(f => f, LastWrite, StringComparer.Ordinal);
        var text = new Record(ComputeKey(options, Names(variables)), variables, files, result).Format();
        try
        {
            if (text is null)
            {
                Delete(stateFile);
                return;
            }

            IO.AtomicFile.Write(stateFile, Encoding.UTF8.GetBytes(text), Diagnostics.ErrorCodes.CargoBuildFailed);
        }
        catch (Diagnostics.WdkException)
        {
            // Without a record the next build runs cargo, which is all a record saves.
            Delete(stateFile);
        }
    }

    public static void Delete(string stateFile)
    {
        try
        {
            File.Delete(stateFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A record that cannot be deleted cannot be trusted either, but the key check still guards it.
        }
    }

    private static long LastWrite(string path) =>
        File.Exists(path) ? File.GetLastWriteTimeUtc(path).Ticks : Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path).Ticks : 0;

    /// <summary>The variables cargo, rustc, rustup and the linker read, plus those build scripts declared.</summary>
    private static IEnumerable<string> Names(IEnumerable<string> declared)
    {
        // LIB: lld-link's library folders, and what decides whether a Rust client links for an MSVC target off Windows.
        var names = new SortedSet<string>(declared, StringComparer.Ordinal) { "PATH", "LIB" };
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (name.StartsWith("CARGO", StringComparison.OrdinalIgnoreCase) || name.StartsWith("RUST", StringComparison.OrdinalIgnoreCase))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>The request and the variables' values, hashed (<see cref="IO.ContentKey"/>).</summary>
    private static string ComputeKey(CargoDriverBuildOptions options, IEnumerable<string> variables)
    {
        var text = new StringBuilder();
        foreach (var part in new[]
        {
            Path.GetFullPath(options.ManifestPath), options.Platform, options.Configuration, options.RustTarget, options.CargoProfile,
            options.CargoPath, options.RustcPath, options.DriverName, string.Join(",", options.Features ?? Array.Empty<string>()),
            options.Locked.ToString(), options.Offline.ToString(), string.Join("\u0001", options.ExtraArguments ?? Array.Empty<string>()),
            // The SDK's own additions to cargo's command line (the link option without link time, the MSVC targets
            // off Windows with their linker): a build by an SDK that did not add them is not reused.
            "reproducible-link;msvc-everywhere",
        })
        {
            text.Append(part).Append('\0');
        }

        foreach (var name in variables)
        {
            text.Append(name).Append('=').Append(Environment.GetEnvironmentVariable(name)).Append('\0');
        }

        return IO.ContentKey.Of(text.ToString());
    }

    /// <summary><c>cargo:rerun-if-env-changed</c> lines of the build scripts that ran for this profile's folder.</summary>
    private static IEnumerable<string> BuildScriptVariables(string profileDirectory)
    {
        var build = Path.Combine(profileDirectory, "build");
        if (!Directory.Exists(build))
        {
            return Array.Empty<string>();
        }

        return Directory.EnumerateFiles(build, "output", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Select(l => l.Trim())
            .Select(l => l.StartsWith("cargo::rerun-if-env-changed=", StringComparison.Ordinal) ? l.Substring(29)
                : l.StartsWith("cargo:rerun-if-env-changed=", StringComparison.Ordinal) ? l.Substring(27) : null)
            .Where(v => !string.IsNullOrEmpty(v))
            .Select(v => v!);
    }

    /// <summary>The given relative paths in <paramref name="directory"/> and every folder above it, nearest first.</summary>
    private static IEnumerable<string> Above(string directory, params string[] names)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(current.FullName, name);
                if (File.Exists(candidate))
                {
                    yield return candidate;
                }
            }
        }
    }

    /// <summary>The record on disk: one tab-separated entry per line, read without a serializer (it is read on every build).</summary>
    private sealed record Record(string Key, IReadOnlyList<string> Variables, IReadOnlyDictionary<string, long> Files, CargoDriverBuildResult Result)
    {
        private static readonly string[] Fields =
        {
            nameof(CargoDriverBuildResult.RustTarget), nameof(CargoDriverBuildResult.Profile), nameof(CargoDriverBuildResult.Cargo),
            nameof(CargoDriverBuildResult.Rustc), nameof(CargoDriverBuildResult.TargetDirectory), nameof(CargoDriverBuildResult.DriverName),
            nameof(CargoDriverBuildResult.DriverCrate), nameof(CargoDriverBuildResult.DriverCrateDirectory), nameof(CargoDriverBuildResult.DriverType),
            nameof(CargoDriverBuildResult.KmdfVersionMajor), nameof(CargoDriverBuildResult.KmdfVersionMinor), nameof(CargoDriverBuildResult.KmdfMinimumVersionRequired),
            nameof(CargoDriverBuildResult.UmdfVersionMajor), nameof(CargoDriverBuildResult.UmdfVersionMinor), nameof(CargoDriverBuildResult.UmdfMinimumVersionRequired),
            nameof(DriverOutputs.Binary), nameof(DriverOutputs.PackageFileName), nameof(DriverOutputs.Symbols),
            nameof(CargoDriverBuildResult.ClientsNotBuilt),
        };

        /// <returns>null when a value cannot be written on one line.</returns>
        public string? Format()
        {
            var r = Result;
            var values = new[]
            {
                r.RustTarget, r.Profile, r.Cargo, r.Rustc, r.TargetDirectory, r.DriverName, r.DriverCrate, r.DriverCrateDirectory, r.DriverType,
                Text(r.KmdfVersionMajor), Text(r.KmdfVersionMinor), Text(r.KmdfMinimumVersionRequired),
                Text(r.UmdfVersionMajor), Text(r.UmdfVersionMinor), Text(r.UmdfMinimumVersionRequired),
                r.Outputs.Binary, r.Outputs.PackageFileName, r.Outputs.Symbols ?? string.Empty,
                r.ClientsNotBuilt ?? string.Empty,
            };
            var lines = new List<string> { Header, "key\t" + Key };
            lines.AddRange(Variables.Select(v => "variable\t" + v));
            lines.AddRange(Files.Select(f => "file\t" + f.Value.ToString(CultureInfo.InvariantCulture) + "\t" + f.Key));
            lines.AddRange(Fields.Select((name, i) => "result\t" + name + "\t" + values[i]));
            lines.AddRange(r.Outputs.ClientFiles.Select(c => "client\t" + c));
            return lines.Any(l => l.IndexOfAny(new[] { '\r', '\n' }) >= 0) || values.Concat(Files.Keys).Any(v => v.Contains('\t'))
                ? null
                : string.Join("\n", lines) + "\n";
        }

        public static Record? Parse(string[] lines)
        {
            if (lines.Length == 0 || lines[0] != Header)
            {
                return null;
            }

            string? key = null;
            var variables = new List<string>();
            var files = new Dictionary<string, long>(StringComparer.Ordinal);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var clients = new List<string>();
            foreach (var line in lines.Skip(1))
            {
                var parts = line.Split('\t');
                switch (parts[0])
                {
                    case "key" when parts.Length == 2:
                        key = parts[1];
                        break;
                    case "variable" when parts.Length == 2:
                        variables.Add(parts[1]);
                        break;
                    case "file" when parts.Length == 3 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks):
                        files[parts[2]] = ticks;
                        break;
                    case "result" when parts.Length == 3:
                        values[parts[1]] = parts[2];
                        break;
                    case "client" when parts.Length == 2:
                        clients.Add(parts[1]);
                        break;
                    default:
                        return null;
                }
            }

            if (key is null || Fields.Any(f => !values.ContainsKey(f)))
            {
                return null;
            }

            var outputs = new DriverOutputs(values[nameof(DriverOutputs.Binary)], values[nameof(DriverOutputs.PackageFileName)], Optional(values[nameof(DriverOutputs.Symbols)]), clients);
            var result = new CargoDriverBuildResult(
                values[nameof(CargoDriverBuildResult.RustTarget)], values[nameof(CargoDriverBuildResult.Profile)], values[nameof(CargoDriverBuildResult.Cargo)],
                values[nameof(CargoDriverBuildResult.Rustc)], values[nameof(CargoDriverBuildResult.TargetDirectory)], values[nameof(CargoDriverBuildResult.DriverName)],
                values[nameof(CargoDriverBuildResult.DriverCrate)], values[nameof(CargoDriverBuildResult.DriverCrateDirectory)], values[nameof(CargoDriverBuildResult.DriverType)],
                Number(values[nameof(CargoDriverBuildResult.KmdfVersionMajor)]), Number(values[nameof(CargoDriverBuildResult.KmdfVersionMinor)]),
                Number(values[nameof(CargoDriverBuildResult.KmdfMinimumVersionRequired)]), Number(values[nameof(CargoDriverBuildResult.UmdfVersionMajor)]),
                Number(values[nameof(CargoDriverBuildResult.UmdfVersionMinor)]), Number(values[nameof(CargoDriverBuildResult.UmdfMinimumVersionRequired)]),
                outputs,
                Optional(values[nameof(CargoDriverBuildResult.ClientsNotBuilt)]));
            return new Record(key, variables, files, result);
        }

        private static string Text(int? number) => number?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

        private static int? Number(string text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

        private static string? Optional(string text) => text.Length == 0 ? null : text;
    }
}
