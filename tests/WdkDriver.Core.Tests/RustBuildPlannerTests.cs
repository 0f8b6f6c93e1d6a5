using WdkDriver.Core.Cargo;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Tests;

/// <summary>
/// Which targets a build chooses, with toolchains laid out as rustup and Debian lay them out (the libraries' folders;
/// the programs answer through a scripted runner): on Windows, MSVC in one cargo run; off Windows (those tests are
/// kept out of the Windows lane), the MSVC target wherever one has it, the GNU fallback said once, and the clients
/// built where they can link.
/// </summary>
public class RustBuildPlannerTests : IDisposable
{
    private const string Msvc = "x86_64-pc-windows-msvc";
    private const string Gnu = "x86_64-pc-windows-gnu";
    private const string Arm64 = "aarch64-pc-windows-msvc";
    private readonly TempDirectory temp = new("planner");
    private readonly ScriptedProcessRunner runner = new();
    private readonly RecordingSink sink = new();
    private readonly Dictionary<string, string?> environment = new();

    public void Dispose() => temp.Dispose();

    /// <summary>A bin folder with cargo and rustc whose sysroot has <paramref name="core"/> for each target and
    /// <paramref name="std"/> for some.</summary>
    private string Installation(string name, string[] core, string[]? std = null, string version = "1.96.0", string suffix = "")
    {
        var bin = temp.Combine(name, "bin");
        var sysroot = temp.Combine(name, "sysroot");
        temp.Write(Path.Combine(name, "bin", "cargo" + suffix), "");
        temp.Write(Path.Combine(name, "bin", "rustc" + suffix), "");
        foreach (var target in core)
        {
            temp.Write(Path.Combine(name, "sysroot", "lib", "rustlib", target, "lib", "libcore-1.rlib"), "");
        }

        foreach (var target in std ?? Array.Empty<string>())
        {
            temp.Write(Path.Combine(name, "sysroot", "lib", "rustlib", target, "lib", "libstd-1.rlib"), "");
        }

        runner.Answer(Path.Combine(bin, "cargo" + suffix), "--version", $"cargo {version}")
            .Answer(Path.Combine(bin, "rustc" + suffix), "--version", $"rustc {version}")
            .Answer(Path.Combine(bin, "rustc" + suffix), "--print sysroot", sysroot);
        return bin;
    }

    private ToolchainSearch Search(params string[] path) =>
        new(null, null, string.Join(":", path), CargoHome: null, UserHome: temp.Combine("home"), WindowsHost: false);

    private RustBuildPlanner Planner() => new(runner, sink, name => environment.TryGetValue(name, out var value) ? value : null);

    private static CargoWorkspace Workspace(string root)
    {
        CargoTarget Target(string name, string kind) => new(name, new[] { kind }, new[] { kind });
        return new CargoWorkspace(root, Path.Combine(root, "target"), new[]
        {
            new CargoPackage("driver-id", "booster", Path.Combine(root, "driver", "Cargo.toml"), new[] { Target("booster", "cdylib") }, null),
            new CargoPackage("client-id", "boost", Path.Combine(root, "client", "Cargo.toml"), new[] { Target("boost", "bin") }, null),
            new CargoPackage("common-id", "booster-common", Path.Combine(root, "common", "Cargo.toml"), new[] { Target("booster_common", "lib") }, null),
        }, null);
    }

    private RustBuildPlan Plan(RustToolchain driver, ToolchainSearch search)
    {
        var workspace = Workspace(temp.Path);
        var crate = new DriverCrate(workspace.Members[0], "booster", new DriverModel(DriverType.Wdm));
        return Planner().Plan(driver, search, workspace, crate, temp.Combine("Booster.proj"), temp.Path, CancellationToken.None);
    }

    [Fact]
    public void On_a_Windows_host_the_driver_and_clients_of_either_platform_build_for_MSVC_in_one_cargo_run_without_a_message()
    {
        // The Windows lane runs this on Windows: cargo.exe on a ;-separated PATH, no rust-lld, no GNU fallback.
        var rustup = Installation("rustup", new[] { Msvc, Arm64 }, new[] { Msvc, Arm64 }, suffix: ".exe");
        var search = new ToolchainSearch(null, null, string.Join(";", temp.Combine("elsewhere"), rustup), CargoHome: null, UserHome: temp.Combine("home"), WindowsHost: true);

        foreach (var (architecture, target) in new[] { (DriverArchitecture.X64, Msvc), (DriverArchitecture.Arm64, Arm64) })
        {
            var driver = Planner().DriverToolchain(search, architecture, null, temp.Path, CancellationToken.None);
            var plan = Plan(driver, search);

            Assert.Equal((Path.Combine(rustup, "cargo.exe"), target), (driver.Cargo, driver.Target));
            Assert.True(plan.OneBuild);
            Assert.Null(plan.ClientsNotBuilt);
        }

        Assert.Empty(sink.Infos);
        Assert.Empty(sink.Diagnostics);
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void The_driver_is_built_for_the_MSVC_target_where_any_toolchain_has_its_core_even_after_one_that_has_only_GNU()
    {
        var debian = Installation("debian", new[] { Gnu }, new[] { Gnu });
        var msvc = Installation("msvc", new[] { Msvc, Arm64 });

        var x64 = Planner().DriverToolchain(Search(debian, msvc), DriverArchitecture.X64, null, temp.Path, CancellationToken.None);
        var arm64 = Planner().DriverToolchain(Search(debian, msvc), DriverArchitecture.Arm64, null, temp.Path, CancellationToken.None);

        Assert.Equal((Path.Combine(msvc, "cargo"), Msvc), (x64.Cargo, x64.Target));
        Assert.Equal((Path.Combine(msvc, "cargo"), Arm64), (arm64.Cargo, arm64.Target));
        Assert.DoesNotContain(sink.Infos, m => m.StartsWith("Rust: building", StringComparison.Ordinal));
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void With_only_Debians_GNU_target_x64_falls_back_to_it_saying_once_what_it_lacks_and_how_to_add_the_MSVC_targets()
    {
        var debian = Installation("debian", new[] { Gnu }, new[] { Gnu });

        var toolchain = Planner().DriverToolchain(Search(debian), DriverArchitecture.X64, null, temp.Path, CancellationToken.None);

        Assert.Equal(Gnu, toolchain.Target);
        var message = Assert.Single(sink.Infos, m => m.StartsWith("Rust: building", StringComparison.Ordinal));
        Assert.Contains($"Rust: building the driver for {Gnu}, as no toolchain found has the standard library for {Msvc} ({Path.Combine(debian, "rustc")} 1.96.0 has no standard library for {Msvc} in {temp.Combine("debian", "sysroot")} (it has {Gnu})", message);
        Assert.Contains("no PDB", message);
        Assert.Contains("ARM64", message);
        Assert.Contains($"rustup target add {Msvc} {Arm64}", message);
        Assert.Contains($"RustTarget={Gnu}", message);
        Assert.Empty(sink.Diagnostics);
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void A_RustTarget_set_by_the_project_is_built_without_looking_for_the_MSVC_target_or_saying_anything()
    {
        var debian = Installation("debian", new[] { Gnu }, new[] { Gnu });

        var toolchain = Planner().DriverToolchain(Search(debian), DriverArchitecture.X64, Gnu, temp.Path, CancellationToken.None);

        Assert.Equal(Gnu, toolchain.Target);
        Assert.DoesNotContain(sink.Infos, m => m.StartsWith("Rust:", StringComparison.Ordinal));
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void ARM64_without_the_MSVC_target_is_WDK1003_pointing_at_the_docs()
    {
        var debian = Installation("debian", new[] { Gnu }, new[] { Gnu });

        var error = Assert.Throws<WdkException>(() => Planner().DriverToolchain(Search(debian), DriverArchitecture.Arm64, null, temp.Path, CancellationToken.None)).Diagnostic;

        Assert.Equal("WDK1003", error.Code);
        Assert.Contains($"rustup target add {Arm64}", error.Message);
        Assert.Contains("'Rust targets on each host'", error.Message);
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void Off_Windows_an_MSVC_driver_gets_GNU_clients_from_whichever_toolchain_has_them()
    {
        var msvc = Installation("msvc", new[] { Msvc }, new[] { "x86_64-unknown-linux-gnu" });
        var debian = Installation("debian", new[] { Gnu }, new[] { Gnu });
        var search = Search(msvc, debian);
        var driver = Planner().DriverToolchain(search, DriverArchitecture.X64, null, temp.Path, CancellationToken.None);

        var plan = Plan(driver, search);

        Assert.False(plan.OneBuild);
        Assert.Equal((Path.Combine(debian, "cargo"), Gnu), (plan.Clients!.Cargo, plan.Clients.Target));
        Assert.Null(plan.ClientsNotBuilt);
        Assert.Contains(sink.Infos, m => m.Contains($"the workspace's other crates for {Gnu}") && m.Contains($"the standard library (std) for {Msvc}") && m.Contains("msvcrt.lib"));
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void An_ARM64_client_that_cannot_link_here_is_a_warning_naming_the_crate_and_what_is_missing()
    {
        var msvc = Installation("msvc", new[] { Msvc, Arm64 });
        var search = Search(msvc);
        var driver = Planner().DriverToolchain(search, DriverArchitecture.Arm64, null, temp.Path, CancellationToken.None);

        var plan = Plan(driver, search);

        Assert.False(plan.OneBuild);
        Assert.Null(plan.Clients);
        var warning = plan.ClientsNotBuilt!;
        Assert.Equal((Severity.Warning, "WDK1026", temp.Combine("Booster.proj")), (warning.Severity, warning.Code, warning.File));
        Assert.StartsWith("The client crate boost is not built for ARM64: linking a Rust program for aarch64-pc-windows-msvc here needs the standard library (std) for aarch64-pc-windows-msvc", warning.Message);
        Assert.Contains("msvcrt.lib", warning.Message);
        Assert.Contains("The driver is built and packaged without it.", warning.Message);
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void Where_the_target_has_std_and_LIB_holds_the_C_runtime_one_cargo_run_builds_everything_for_MSVC()
    {
        var msvc = Installation("msvc", new[] { Arm64 }, new[] { Arm64 });
        var search = Search(msvc);
        var driver = Planner().DriverToolchain(search, DriverArchitecture.Arm64, null, temp.Path, CancellationToken.None);
        Assert.False(Plan(driver, search).OneBuild);

        temp.Write(Path.Combine("xwin", "crt", "lib", "aarch64", "MSVCRT.lib"), "");
        environment["LIB"] = temp.Combine("xwin", "crt", "lib", "aarch64") + ";" + temp.Combine("xwin", "sdk", "lib");
        var plan = Plan(driver, search);

        Assert.True(plan.OneBuild);
        Assert.Null(plan.ClientsNotBuilt);
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void A_Cargo_lock_of_version_4_keeps_the_clients_from_a_cargo_too_old_to_read_it_and_the_warning_says_so()
    {
        var msvc = Installation("msvc", new[] { Msvc });
        var debian = Installation("debian", new[] { Gnu }, new[] { Gnu }, version: "1.65.0");
        var search = Search(msvc, debian);
        var driver = Planner().DriverToolchain(search, DriverArchitecture.X64, null, temp.Path, CancellationToken.None);
        temp.Write("Cargo.lock", "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 3\n\n[[package]]\nname = \"boost\"\n");
        Assert.Equal(Path.Combine(debian, "cargo"), Plan(driver, search).Clients!.Cargo);

        temp.Write("Cargo.lock", "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n[[package]]\nname = \"boost\"\n");
        var plan = Plan(driver, search);

        Assert.Null(plan.Clients);
        Assert.Contains($", or else a toolchain for {Gnu} ({Path.Combine(debian, "cargo")} 1.65.0 cannot read Cargo.lock's version 4 (cargo 1.78 and later can)). The driver is built and packaged without it.", plan.ClientsNotBuilt!.Message);
    }
}
