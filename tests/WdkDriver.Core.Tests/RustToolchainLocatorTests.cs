using WdkDriver.Core.Cargo;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Tests;

public class RustToolchainLocatorTests : IDisposable
{
    private const string Target = "x86_64-pc-windows-gnu";
    private const string Msvc = "x86_64-pc-windows-msvc";
    private readonly TempDirectory temp = new("toolchain");
    private readonly ScriptedProcessRunner runner = new();

    public void Dispose() => temp.Dispose();

    /// <summary>A bin folder with cargo and rustc, and a sysroot that has (or lacks) the target's standard library.</summary>
    private string Installation(string name, string cargoVersion, string rustcVersion, bool hasTarget)
    {
        var bin = temp.Combine(name, "bin");
        var sysroot = temp.Combine(name, "sysroot");
        temp.Write(Path.Combine(name, "bin", Exe("cargo")), "");
        temp.Write(Path.Combine(name, "bin", Exe("rustc")), "");
        temp.Write(Path.Combine(name, "sysroot", "lib", "rustlib", "x86_64-unknown-linux-gnu", "lib", "libcore-1.rlib"), "");
        if (hasTarget)
        {
            temp.Write(Path.Combine(name, "sysroot", "lib", "rustlib", Target, "lib", "libcore-2.rlib"), "");
        }

        runner.Answer(Path.Combine(bin, Exe("cargo")), "--version", $"cargo {cargoVersion}")
            .Answer(Path.Combine(bin, Exe("rustc")), "--version", $"rustc {rustcVersion}")
            .Answer(Path.Combine(bin, Exe("rustc")), "--print sysroot", sysroot);
        return bin;
    }

    /// <summary>The host's own names: <c>cargo.exe</c> on Windows (the Windows lane runs these tests there).</summary>
    private static string Exe(string tool) => OperatingSystem.IsWindows() ? tool + ".exe" : tool;

    /// <summary>A search with this host's conventions (PATH's separator, .exe, and on Unix /usr/bin and
    /// /usr/local/bin after <paramref name="path"/>, which the scripted runner does not know, so they only ever add a
    /// rejection).</summary>
    private ToolchainSearch Search(params string[] path) =>
        new(null, null, string.Join(Path.PathSeparator, path), CargoHome: null, UserHome: temp.Combine("home"), WindowsHost: OperatingSystem.IsWindows());

    [Fact]
    public void Skips_the_first_toolchain_on_PATH_when_it_lacks_the_target()
    {
        var rustup = Installation("rustup", "1.95.0", "1.95.0", hasTarget: false);
        var debian = Installation("debian", "1.65.0", "1.63.0", hasTarget: true);

        var toolchain = new RustToolchainLocator(runner).Locate(Search(rustup, debian), Target, temp.Path);

        Assert.Equal(Path.Combine(debian, Exe("cargo")), toolchain.Cargo);
        Assert.Equal(new Version(1, 63, 0), toolchain.RustcVersion);
        Assert.Equal(Target, toolchain.Target);
    }

    [Fact]
    public void Never_pairs_a_cargo_with_a_much_older_rustc()
    {
        var mixed = Installation("mixed", "1.95.0", "1.63.0", hasTarget: true);

        var error = Assert.Throws<WdkException>(() => new RustToolchainLocator(runner).Locate(Search(mixed), Target, temp.Path));

        Assert.Equal("WDK1003", error.Diagnostic.Code);
        Assert.Contains("too new", error.Diagnostic.Message);
    }

    [Fact]
    public void Missing_target_names_the_target_and_how_to_install_it()
    {
        var rustup = Installation("rustup", "1.95.0", "1.95.0", hasTarget: false);

        var error = Assert.Throws<WdkException>(() => new RustToolchainLocator(runner).Locate(Search(rustup), Target, temp.Path));

        Assert.Equal("WDK1003", error.Diagnostic.Code);
        Assert.Contains("rustup target add x86_64-pc-windows-gnu", error.Diagnostic.Message);
        Assert.Contains("libstd-rust-dev-windows", error.Diagnostic.Message);
        Assert.Contains("has no standard library for x86_64-pc-windows-gnu", error.Diagnostic.Message);
    }

    [Fact]
    public void No_cargo_anywhere_is_WDK1002()
    {
        var nowhere = new ToolchainSearch(null, null, temp.Combine("empty"), null, temp.Combine("home"), WindowsHost: true);

        var error = Assert.Throws<WdkException>(() => new RustToolchainLocator(runner).Locate(nowhere, Target, temp.Path));

        Assert.Equal("WDK1002", error.Diagnostic.Code);
        Assert.Contains("CargoPath", error.Diagnostic.Message);
    }

    [Fact]
    public void CargoPath_is_the_only_candidate_and_brings_its_own_rustc()
    {
        var rustup = Installation("rustup", "1.95.0", "1.95.0", hasTarget: false);
        var debian = Installation("debian", "1.65.0", "1.63.0", hasTarget: true);
        var search = Search(rustup) with { CargoPath = Path.Combine(debian, Exe("cargo")) };

        var toolchain = new RustToolchainLocator(runner).Locate(search, Target, temp.Path);

        Assert.Equal(Path.Combine(debian, Exe("rustc")), toolchain.Rustc);
        Assert.Single(search.Candidates());
    }

    [Fact]
    public void A_CargoPath_that_does_not_exist_is_WDK1002_saying_so_and_one_that_does_not_run_says_it_does_not_run()
    {
        var search = new ToolchainSearch(temp.Combine("nowhere", "cargo"), null, null, null, null, WindowsHost: false);

        var error = Assert.Throws<WdkException>(() => new RustToolchainLocator(runner).Locate(search, Target, temp.Path)).Diagnostic;

        Assert.Equal("WDK1002", error.Code);
        Assert.Contains($"CargoPath '{temp.Combine("nowhere", "cargo")}' does not exist. Set it to the full path of cargo, or leave it out", error.Message);
        Assert.DoesNotContain("rustup target add", error.Message);

        var broken = temp.Write(Path.Combine("broken", "cargo"), "not a program");
        var notRunning = Assert.Throws<WdkException>(() => new RustToolchainLocator(runner).Locate(search with { CargoPath = broken }, Target, temp.Path)).Diagnostic;
        Assert.Equal("WDK1002", notRunning.Code);
        Assert.Contains($"No Rust toolchain found runs: {broken} cannot run", notRunning.Message);
        Assert.DoesNotContain("rustup target add", notRunning.Message);
    }

    [Fact]
    public void PATH_with_spaces_quotes_and_non_ASCII_names_then_CARGO_HOME_then_the_home_cargo_bin_are_searched_in_that_order()
    {
        var quoted = Installation("Rust Tøols", "1.95.0", "1.95.0", hasTarget: false);
        var cargoHome = Installation(Path.Combine("cargo home", "x"), "1.95.0", "1.95.0", hasTarget: false);
        var home = Installation(Path.Combine("home", ".cargo"), "1.95.0", "1.95.0", hasTarget: true);
        var search = Search("\"" + quoted + "\"", "relative" + Path.DirectorySeparatorChar + "bin") with { CargoHome = Path.GetDirectoryName(cargoHome) };

        var candidates = search.Candidates().Select(c => c.Cargo).Take(3).ToList();
        var toolchain = new RustToolchainLocator(runner).Locate(search, Target, temp.Path);

        Assert.Equal(new[] { Path.Combine(quoted, Exe("cargo")), Path.Combine(cargoHome, Exe("cargo")), Path.Combine(home, Exe("cargo")) }, candidates);
        Assert.Equal(Path.Combine(home, Exe("rustc")), toolchain.Rustc);
    }

    [Fact]
    public void Real_programs_in_a_folder_with_a_space_and_non_ASCII_letters_are_run_and_their_sysroot_read()
    {
        // Programs that answer as cargo and rustc do: shell scripts here, Windows programs in the Windows lane
        // (tests/WindowsLane/stand-ins, built by eng/windows-lane.sh), found on PATH and run by the real runner.
        var root = temp.Combine("Rust Tøols");
        var bin = Path.Combine(root, "bin");
        Directory.CreateDirectory(bin);
        if (OperatingSystem.IsWindows())
        {
            var standIns = Environment.GetEnvironmentVariable("WDK_LANE_RUST_STAND_INS") ?? throw new InvalidOperationException("WDK_LANE_RUST_STAND_INS names the folder of the cargo.exe and rustc.exe stand-ins eng/windows-lane.sh builds.");
            File.Copy(Path.Combine(standIns, "cargo.exe"), Path.Combine(bin, "cargo.exe"));
            File.Copy(Path.Combine(standIns, "rustc.exe"), Path.Combine(bin, "rustc.exe"));
        }
        else
        {
            foreach (var (tool, script) in new[]
            {
                ("cargo", "echo 'cargo 1.96.0 (stand-in 2026-12-07)'"),
                ("rustc", "case $1 in --version) echo 'rustc 1.96.0 (stand-in 2026-12-07)' ;; --print) cd \"$(dirname \"$0\")/..\" && pwd ;; esac"),
            })
            {
                File.WriteAllText(Path.Combine(bin, tool), "#!/bin/sh\n" + script + "\n");
                File.SetUnixFileMode(Path.Combine(bin, tool), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        temp.Write(Path.Combine("Rust Tøols", "lib", "rustlib", Msvc, "lib", "libcore-0.rlib"), "");
        var search = new ToolchainSearch(null, null, bin, null, temp.Combine("home"), OperatingSystem.IsWindows());

        var toolchain = new RustToolchainLocator(ProcessRunner.Instance).Locate(search, Msvc, temp.Path);

        Assert.Equal(Path.Combine(bin, Exe("cargo")), toolchain.Cargo);
        Assert.Equal(Path.Combine(bin, Exe("rustc")), toolchain.Rustc);
        Assert.Equal(new Version(1, 96, 0), toolchain.RustcVersion);
        Assert.Equal(root, toolchain.Sysroot);
    }

    [WindowsRustFact]
    public void On_this_machine_finds_a_toolchain_with_the_windows_gnu_target()
    {
        var toolchain = new RustToolchainLocator(ProcessRunner.Instance).Locate(ToolchainSearch.FromEnvironment(null, null), Target, temp.Path);

        Assert.NotNull(StandardLibrary.Core(toolchain.Sysroot, Target));
        Assert.True(CargoVersion.AreCompatible(toolchain.CargoVersion, toolchain.RustcVersion));
    }
}
