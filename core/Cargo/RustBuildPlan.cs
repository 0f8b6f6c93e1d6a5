using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Cargo;

/// <summary>
/// How the workspace's crates other than the driver (the clients) are built: in the driver's cargo run, in a run of
/// their own with <see cref="Clients"/>, or not at all (<see cref="ClientsNotBuilt"/> says why).
/// </summary>
public sealed record RustBuildPlan(bool OneBuild, RustToolchain? Clients, Diagnostic? ClientsNotBuilt);

/// <summary>
/// Chooses the Rust targets. A driver is built for the MSVC target on every host where a toolchain has its
/// <c>core</c> (a <c>#![no_std]</c> driver needs nothing else; rust-lld links it), as cargo-wdk builds it on Windows:
/// the same ABI, a PDB, and ARM64. Where only the GNU target exists (Debian's rustc), x64 drivers are built for
/// it, with one message. A Rust client needs more: the target's <c>std</c> and, for MSVC, the C runtime's import
/// libraries, which only Windows (or a folder on <c>LIB</c>) has; elsewhere an x64 client is built for the GNU target,
/// which runs on the same Windows, and an ARM64 one is left out with a warning.
/// </summary>
public sealed class RustBuildPlanner
{
    private readonly RustToolchainLocator locator;
    private readonly IDiagnosticSink sink;
    private readonly Func<string, string?> environment;

    public RustBuildPlanner(IProcessRunner runner, IDiagnosticSink sink, Func<string, string?>? environment = null)
    {
        locator = new RustToolchainLocator(runner);
        this.sink = sink;
        this.environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>The driver's toolchain: <paramref name="explicitTarget"/>'s, else the MSVC target's, else (x64 on a
    /// host without one) the GNU target's, said once.</summary>
    public RustToolchain DriverToolchain(ToolchainSearch search, DriverArchitecture architecture, string? explicitTarget, string workingDirectory, CancellationToken cancellation)
    {
        if (!string.IsNullOrWhiteSpace(explicitTarget) || search.WindowsHost)
        {
            return locator.Locate(search, RustTarget.Resolve(architecture, explicitTarget), workingDirectory, cancellation);
        }

        var msvc = architecture.MsvcRustTarget();
        if (locator.TryLocate(search, msvc, workingDirectory, out var rejections, cancellation) is { } toolchain)
        {
            return toolchain;
        }

        if (architecture != DriverArchitecture.X64)
        {
            return locator.Locate(search, msvc, workingDirectory, cancellation);
        }

        var gnu = locator.Locate(search, DriverArchitectures.GnuRustTarget, workingDirectory, cancellation);
        sink.Info(
            $"Rust: building the driver for {DriverArchitectures.GnuRustTarget}, as no toolchain found has the standard library for {msvc} ({string.Join("; ", rejections)}). " +
            "A GNU-built driver has no PDB (no symbols for WinDbg or crash analysis), and there is no GNU target for ARM64. " +
            $"Add the MSVC targets (rustup target add {msvc} {DriverArchitecture.Arm64.MsvcRustTarget()}; docs/using-the-sdk.md, 'Rust targets on each host'), " +
            $"or set RustTarget={DriverArchitectures.GnuRustTarget} to build this way without this message.",
            important: true);
        return gnu;
    }

    /// <summary>How the workspace's crates other than the driver are built, given the driver's toolchain.</summary>
    public RustBuildPlan Plan(RustToolchain driver, ToolchainSearch search, CargoWorkspace workspace, DriverCrate driverCrate, string projectFile, string workingDirectory, CancellationToken cancellation)
    {
        var target = driver.Target;
        var clients = workspace.Members.Where(m => m.Id != driverCrate.Package.Id && m.Targets.Any(t => t.IsBin)).Select(m => m.Name).ToList();
        var others = workspace.Members.Any(m => m.Id != driverCrate.Package.Id);
        if (search.WindowsHost || !target.EndsWith("-windows-msvc", StringComparison.Ordinal) || !others)
        {
            return new RustBuildPlan(OneBuild: true, driver, null);
        }

        var missing = new List<string>();
        if (!StandardLibrary.HasStd(driver.Sysroot, target))
        {
            missing.Add($"the standard library (std) for {target}, which {driver.Rustc} {driver.RustcVersion} lacks");
        }

        if (!MsvcRuntimeOnLib())
        {
            missing.Add("the MSVC C runtime's import libraries (msvcrt.lib, kernel32.lib and the rest) in a folder on LIB");
        }

        if (missing.Count == 0)
        {
            return new RustBuildPlan(OneBuild: true, driver, null);
        }

        var alternative = string.Empty;
        if (target.StartsWith("x86_64-", StringComparison.Ordinal))
        {
            var gnu = locator.TryLocate(search, DriverArchitectures.GnuRustTarget, workingDirectory, out var gnuRejections, cancellation);
            if (gnu is not null && LockFileVersion(workspace) >= 4 && gnu.CargoVersion < LockFileVersion4)
            {
                gnuRejections = new[] { $"{gnu.Cargo} {gnu.CargoVersion} cannot read Cargo.lock's version 4 (cargo {LockFileVersion4} and later can)" };
                gnu = null;
            }

            if (gnu is not null)
            {
                // The same program for the same Windows, linked by mingw-w64: a client talks to the driver through
                // DeviceIoControl, not through its ABI.
                sink.Info($"Rust: the driver is built for {target}, the workspace's other crates for {DriverArchitectures.GnuRustTarget} (with {gnu.Rustc} {gnu.RustcVersion}): linking a Rust program for {target} here needs {string.Join(", and ", missing)}.", important: true);
                return new RustBuildPlan(OneBuild: false, gnu, null);
            }

            alternative = $", or else a toolchain for {DriverArchitectures.GnuRustTarget} ({string.Join("; ", gnuRejections)})";
        }

        var warning = clients.Count == 0 ? null : Diagnostic.Warning(
            ErrorCodes.ClientNotBuilt,
            $"The client crate{(clients.Count == 1 ? "" : "s")} {string.Join(", ", clients)} {(clients.Count == 1 ? "is" : "are")} not built for {DriverArchitectures.FromRustTarget(target)!.Value.PlatformName()}: " +
            $"linking a Rust program for {target} here needs {string.Join(", and ", missing)}{alternative}. The driver is built and packaged without {(clients.Count == 1 ? "it" : "them")}. " +
            "Build the client where those exist (Windows), or ship a .NET or C client (docs/using-the-sdk.md, 'Rust targets on each host').",
            projectFile);
        return new RustBuildPlan(OneBuild: false, null, warning);
    }

    // The lock file format cargo 1.78 introduced; older cargos stop on it.
    private static readonly Version LockFileVersion4 = new(1, 78);

    /// <summary>The <c>version</c> at the top of the workspace's Cargo.lock; 0 when there is none (cargo writes one
    /// in the format of the first cargo that builds, and a later one keeps it: the older cargo runs first).</summary>
    private static int LockFileVersion(CargoWorkspace workspace)
    {
        var lockFile = Path.Combine(workspace.WorkspaceRoot, "Cargo.lock");
        if (!File.Exists(lockFile))
        {
            return 0;
        }

        foreach (var line in File.ReadLines(lockFile))
        {
            if (line.StartsWith("[[", StringComparison.Ordinal))
            {
                break;
            }

            var match = System.Text.RegularExpressions.Regex.Match(line, @"^version\s*=\s*(\d+)");
            if (match.Success)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>lld-link, like link.exe, searches the folders of <c>LIB</c> for the libraries rustc names.</summary>
    private bool MsvcRuntimeOnLib() =>
        (environment("LIB") ?? string.Empty)
            .Split(new[] { ';', ':' }, StringSplitOptions.RemoveEmptyEntries)
            .Where(d => Path.IsPathRooted(d) && Directory.Exists(d))
            .Any(d => Directory.EnumerateFiles(d).Any(f => string.Equals(Path.GetFileName(f), "msvcrt.lib", StringComparison.OrdinalIgnoreCase)));
}
