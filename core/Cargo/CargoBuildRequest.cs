using System.Collections.Generic;
using System.Linq;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Cargo;

/// <summary>What to ask of cargo; <see cref="ToProcessRequest"/> is the exact command line.</summary>
/// <param name="Packages">cargo's package selection (<c>-p booster</c>); none builds what cargo builds by default.</param>
/// <param name="Linker">The linker for the target, given where the project names none (<see cref="MsvcLinker"/>).</param>
public sealed record CargoBuildRequest(
    RustToolchain Toolchain,
    string ManifestPath,
    string Profile,
    IReadOnlyList<string> Features,
    bool Locked,
    bool Offline,
    IReadOnlyList<string> ExtraArguments,
    IReadOnlyList<string>? Packages = null,
    string? Linker = null)
{
    /// <summary>
    /// cargo runs in the workspace so that its <c>.cargo/config.toml</c> applies, with <c>RUSTC</c> pinned to the rustc
    /// the toolchain was matched with. Diagnostics come as JSON: <c>json-render-diagnostics</c> would turn them into text.
    /// </summary>
    public ProcessRequest ToProcessRequest(string workspaceRoot)
    {
        var arguments = new List<string>
        {
            "build",
            "--message-format=json",
            "--manifest-path", ManifestPath,
            "--target", Toolchain.Target,
            "--profile", Profile,
        };
        arguments.AddRange(Packages ?? new string[0]);
        if (Features.Count > 0)
        {
            arguments.Add("--features");
            arguments.Add(string.Join(",", Features));
        }

        if (Locked)
        {
            arguments.Add("--locked");
        }

        if (Offline)
        {
            arguments.Add("--offline");
        }

        // Every image cargo links (the driver, the client, any other executable) carries no link time, so the same
        // commit builds the same bytes. build.rustflags adds to the workspace's own build.rustflags; a RUSTFLAGS
        // variable or a target.<triple>.rustflags setting takes its place (docs/packaging.md says so).
        if (ReproducibleLinkArgument(Toolchain.Target) is { } link)
        {
            arguments.Add("--config");
            arguments.Add($"build.rustflags=[\"-C\", \"link-arg={link}\"]");
        }

        if (Linker is not null)
        {
            arguments.Add("--config");
            arguments.Add($"target.{Toolchain.Target}.linker=\"{Linker.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"");
        }

        arguments.AddRange(ExtraArguments);
        return new ProcessRequest(Toolchain.Cargo, arguments, workspaceRoot, ToolchainEnvironment(Toolchain));
    }

    /// <summary>The linker's option that leaves the link time out of a Windows image: MSVC's link.exe and lld-link take
    /// <c>/Brepro</c>, mingw's ld (through gcc) <c>--no-insert-timestamp</c>; none for other targets (a host build
    /// of the workspace's tests), whose images have no link time.</summary>
    public static string? ReproducibleLinkArgument(string target) =>
        !target.Contains("-windows-") ? null
        : target.EndsWith("-msvc", System.StringComparison.Ordinal) ? "/Brepro"
        : "-Wl,--no-insert-timestamp";

    public static IReadOnlyDictionary<string, string?> ToolchainEnvironment(RustToolchain toolchain) => ToolchainEnvironment(toolchain.Rustc);

    /// <summary>cargo with the rustc it was paired with, and no colour codes in what it prints.</summary>
    public static IReadOnlyDictionary<string, string?> ToolchainEnvironment(string rustc) => new Dictionary<string, string?>
    {
        ["RUSTC"] = rustc,
        ["CARGO_TERM_COLOR"] = "never",
    };

    /// <summary>Splits <c>CargoFeatures</c>: commas, semicolons or spaces, as cargo's own <c>--features</c> accepts.</summary>
    public static IReadOnlyList<string> SplitFeatures(string? features) =>
        (features ?? string.Empty).Split(new[] { ',', ';', ' ' }, System.StringSplitOptions.RemoveEmptyEntries).ToList();
}
