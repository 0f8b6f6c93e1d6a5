using System;
using System.Runtime.InteropServices;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Cargo;

/// <summary>
/// Finds a cargo and rustc that belong together and whose sysroot holds the target's standard library. rustup's
/// cargo on PATH often lacks the Windows targets while a distribution's /usr/bin pair has them.
/// </summary>
public sealed class RustToolchainLocator
{
    private readonly IProcessRunner runner;

    public RustToolchainLocator(IProcessRunner runner)
    {
        this.runner = runner;
    }

    /// <param name="workingDirectory">The workspace: rustup picks the toolchain from rust-toolchain files there.</param>
    public RustToolchain Locate(ToolchainSearch search, string target, string workingDirectory, CancellationToken cancellation = default) =>
        TryLocate(search, target, workingDirectory, out var rejections, cancellation) ?? throw NotFound(target, rejections);

    /// <summary>The first candidate that builds for <paramref name="target"/>, or null with each candidate's reason.
    /// Throws only when there is no Rust at all, whatever the target.</summary>
    public RustToolchain? TryLocate(ToolchainSearch search, string target, string workingDirectory, out IReadOnlyList<string> rejections, CancellationToken cancellation = default)
    {
        foreach (var (property, path) in new[] { ("CargoPath", search.CargoPath), ("RustcPath", search.RustcPath) })
        {
            if (path is not null && !File.Exists(path))
            {
                throw new WdkException(Diagnostic.Error(
                    ErrorCodes.CargoNotFound,
                    $"{property} '{path}' does not exist. Set it to the full path of {(property == "CargoPath" ? "cargo" : "rustc")}{(search.WindowsHost ? ".exe" : string.Empty)}, or leave it out: the SDK then finds Rust on PATH, in CARGO_HOME or in ~/.cargo/bin."));
            }
        }

        var candidates = search.Candidates();
        if (candidates.Count == 0)
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.CargoNotFound,
                "cargo was not found on PATH, in CARGO_HOME, ~/.cargo/bin" + (search.WindowsHost ? "" : ", /usr/bin or /usr/local/bin") +
                ". Install Rust (rustup, or your distribution's rustc and cargo packages), or set CargoPath."));
        }

        var reasons = new List<string>();
        rejections = reasons;
        foreach (var (cargo, rustc) in candidates)
        {
            var rejection = Probe(cargo, rustc, target, workingDirectory, cancellation, out var toolchain);
            if (toolchain is not null)
            {
                return toolchain;
            }

            reasons.Add(rejection!);
        }

        if (reasons.All(r => r.Contains("cannot run")))
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.CargoNotFound,
                $"No Rust toolchain found runs: {string.Join("; ", reasons)}. Install Rust (rustup, or your distribution's rustc and cargo packages), or set CargoPath and RustcPath to a cargo and rustc that run."));
        }

        return null;
    }

    private static WdkException NotFound(string target, IReadOnlyList<string> rejections) => new(Diagnostic.Error(
        ErrorCodes.TargetStdMissing,
        $"No Rust toolchain found that builds for '{target}': {string.Join("; ", rejections)}. " +
        $"Install the target's standard library with 'rustup target add {target}'" +
        (target.EndsWith("-windows-gnu", StringComparison.Ordinal)
            ? ", or on Debian and Ubuntu with 'apt-get install rustc cargo libstd-rust-dev-windows gcc-mingw-w64-x86-64'"
            : string.Empty) +
        ", or point CargoPath and RustcPath at a toolchain that has it." +
        (target.EndsWith("-windows-msvc", StringComparison.Ordinal) && !RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            ? " Debian's rustc has no MSVC targets: docs/using-the-sdk.md ('Rust targets on each host') shows how to add them with apt only" +
              (target.StartsWith("aarch64-", StringComparison.Ordinal) ? "; a driver built elsewhere goes in as a DriverBinary item (Platform=\"ARM64\")." : ".")
            : string.Empty)));

    private string? Probe(string cargo, string rustc, string target, string workingDirectory, CancellationToken cancellation, out RustToolchain? toolchain)
    {
        toolchain = null;
        var cargoVersion = Version(cargo, workingDirectory, cancellation);
        if (cargoVersion is null)
        {
            return $"{cargo} cannot run";
        }

        var rustcVersionLine = Capture(rustc, workingDirectory, cancellation, "--version");
        var rustcVersion = rustcVersionLine is null ? null : CargoVersion.Parse(rustcVersionLine);
        if (rustcVersion is null)
        {
            return $"{rustc} (paired with {cargo}) cannot run";
        }

        if (!CargoVersion.AreCompatible(cargoVersion, rustcVersion))
        {
            return $"{cargo} {cargoVersion} is too new for {rustc} {rustcVersion}";
        }

        var sysroot = Capture(rustc, workingDirectory, cancellation, "--print", "sysroot");
        if (sysroot is null)
        {
            return $"{rustc} cannot print its sysroot";
        }

        if (StandardLibrary.Core(sysroot, target) is not { } core)
        {
            var has = StandardLibrary.Targets(sysroot);
            return $"{rustc} {rustcVersion} has no standard library for {target} in {sysroot} ({(has.Count == 0 ? "none at all" : "it has " + string.Join(", ", has))})";
        }

        if (!StandardLibrary.BuiltBy(core, rustcVersionLine!))
        {
            return $"the standard library for {target} in {sysroot} was built by another rustc than {rustc} {rustcVersion} (rustc would stop with E0786 or E0514)";
        }

        toolchain = new RustToolchain(cargo, rustc, cargoVersion, rustcVersion, sysroot, target);
        return null;
    }

    private Version? Version(string tool, string workingDirectory, CancellationToken cancellation)
    {
        var output = Capture(tool, workingDirectory, cancellation, "--version");
        return output is null ? null : CargoVersion.Parse(output);
    }

    private string? Capture(string tool, string workingDirectory, CancellationToken cancellation, params string[] arguments)
    {
        if (!File.Exists(tool))
        {
            return null;
        }

        try
        {
            var result = runner.Capture(new ProcessRequest(tool, arguments, workingDirectory), cancellation);
            return result.ExitCode == 0 ? result.Output.Trim() : null;
        }
        catch (ProcessStartException)
        {
            return null;
        }
    }
}
