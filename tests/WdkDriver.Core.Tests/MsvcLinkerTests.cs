using WdkDriver.Core.Cargo;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Tests;

/// <summary>The linker the SDK gives an MSVC target off Windows (those tests are kept out of the Windows lane), and
/// where a project's own linker is found first (its configuration files read on any host).</summary>
public class MsvcLinkerTests : IDisposable
{
    private const string Target = "x86_64-pc-windows-msvc";
    private readonly TempDirectory temp = new("msvc-linker");
    private readonly Dictionary<string, string?> environment = new();

    public void Dispose() => temp.Dispose();

    private string? Variable(string name) => environment.TryGetValue(name, out var value) ? value : null;

    private RustToolchain Toolchain(string target = Target) =>
        new(temp.Combine("rust", "bin", "cargo"), temp.Combine("rust", "bin", "rustc"), new Version(1, 96), new Version(1, 96), temp.Combine("rust", "sysroot"), target);

    private ToolchainSearch Search(bool windows = false) =>
        new(null, null, temp.Combine("path"), null, temp.Combine("home"), windows);

    /// <returns>The linker the wrapper runs, or null when the SDK passes none.</returns>
    private string? For(RustToolchain toolchain, ToolchainSearch search, params string[] cargoArguments)
    {
        environment["HOME"] = temp.Combine("home");
        var wrapper = MsvcLinker.For(toolchain, search, temp.Combine("work", "Booster"), cargoArguments, Variable, temp.Combine("work", "Booster", "target"));
        if (wrapper is null)
        {
            return null;
        }

        Assert.Equal(temp.Combine("work", "Booster", "target", "wdkdriver-linker", "rust-lld"), wrapper);
        return System.Text.RegularExpressions.Regex.Match(File.ReadAllText(wrapper), "(?m)^lld='(.*)'$").Groups[1].Value;
    }

    [Theory]
    [InlineData("[target.x86_64-pc-windows-msvc]\nlinker = \"lld-link\"\n")]
    [InlineData("[target.\"x86_64-pc-windows-msvc\"]  # ours\nrustflags = []\n  linker='clang-cl'\n")]
    [InlineData("target.x86_64-pc-windows-msvc.linker = \"x\"\n[build]\njobs = 1\n")]
    [InlineData("[target]\nx86_64-pc-windows-msvc.linker = \"x\"\n")]
    public void A_linker_for_the_triple_in_any_TOML_spelling_is_the_projects(string toml) =>
        Assert.True(MsvcLinker.ConfigNamesLinker(toml, Target));

    [Theory]
    [InlineData("[target.x86_64-pc-windows-gnu]\nlinker = \"x86_64-w64-mingw32-gcc\"\n")]
    [InlineData("[target.x86_64-pc-windows-msvc]\nrustflags = []\n[build]\nlinker = \"x\"\n")]
    [InlineData("[build]\ntarget.x86_64-pc-windows-msvc.linker = \"x\"\n")]
    [InlineData("# [target.x86_64-pc-windows-msvc]\n# linker = \"x\"\n")]
    public void Another_triples_linker_or_one_in_another_table_is_not(string toml) =>
        Assert.False(MsvcLinker.ConfigNamesLinker(toml, Target));

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void Finds_rust_lld_where_rustup_keeps_it_in_the_sysroot()
    {
        var lld = temp.Write(Path.Combine("rust", "sysroot", "lib", "rustlib", "x86_64-unknown-linux-gnu", "bin", "rust-lld"), "");
        temp.Write(Path.Combine("path", "lld-link"), "");

        Assert.Equal(lld, For(Toolchain(), Search()));
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void Passes_over_a_dangling_rust_lld_and_takes_lld_link_from_PATH()
    {
        var folder = temp.Combine("rust", "sysroot", "lib", "rustlib", "x86_64-unknown-linux-gnu", "bin");
        Directory.CreateDirectory(folder);
        File.CreateSymbolicLink(Path.Combine(folder, "rust-lld"), temp.Combine("nowhere", "lld-22"));
        var lldLink = temp.Write(Path.Combine("path", "lld-link"), "");

        Assert.Equal(lldLink, For(Toolchain(), Search()));
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void No_linker_anywhere_is_WDK1025_saying_where_it_looked_and_what_to_do()
    {
        var error = Assert.Throws<WdkException>(() => For(Toolchain(), Search())).Diagnostic;

        Assert.Equal("WDK1025", error.Code);
        Assert.Contains("apt-get install lld", error.Message);
        Assert.Contains($"[target.{Target}] linker", error.Message);
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void Nothing_is_passed_on_Windows_for_GNU_or_where_the_project_names_its_linker()
    {
        temp.Write(Path.Combine("path", "rust-lld"), "");
        Assert.NotNull(For(Toolchain(), Search()));

        Assert.Null(For(Toolchain(), Search(windows: true)));
        Assert.Null(For(Toolchain("x86_64-pc-windows-gnu"), Search()));
        Assert.Null(For(Toolchain(), Search(), "--config", "target.x86_64-pc-windows-msvc.linker='x'"));

        environment["CARGO_TARGET_X86_64_PC_WINDOWS_MSVC_LINKER"] = "lld-link";
        Assert.Null(For(Toolchain(), Search()));
        environment.Remove("CARGO_TARGET_X86_64_PC_WINDOWS_MSVC_LINKER");

        environment["RUSTFLAGS"] = "-C linker=clang";
        Assert.Null(For(Toolchain(), Search()));
        environment.Remove("RUSTFLAGS");

        // A configuration file above the workspace counts, as cargo reads every one up to the root, and CARGO_HOME's.
        temp.Write(Path.Combine("work", ".cargo", "config.toml"), "[target.x86_64-pc-windows-msvc]\nlinker = \"lld-link\"\n");
        Assert.Null(For(Toolchain(), Search()));
        File.Delete(temp.Combine("work", ".cargo", "config.toml"));
        Assert.NotNull(For(Toolchain(), Search()));

        temp.Write(Path.Combine("home", ".cargo", "config"), "[target.x86_64-pc-windows-msvc]\nlinker = \"lld-link\"\n");
        Assert.Null(For(Toolchain(), Search()));
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.OffWindowsOnly)]
    public void The_wrapper_shows_lld_rustcs_temporary_folder_under_a_fixed_name_and_passes_every_other_argument_as_it_came()
    {
        // A stand-in for lld that prints its arguments and what the fixed name points at.
        var lld = temp.Write(Path.Combine("lld folder", "fake-lld"), "#!/bin/sh\nfor a do echo \"[$a]\"; done\nls \"$(dirname \"$4\")\"\n");
        ToolProcess.Succeed(temp.Path, "chmod", "+x", lld);
        var wrapper = MsvcLinker.ReproducibleLinker(lld, temp.Combine("linker"));
        var deps = temp.Combine("My Driver", "deps");
        var random = Path.Combine(deps, "rustcAb3xYz");
        temp.Write(Path.Combine("My Driver", "deps", "rustcAb3xYz", "lib.def"), "EXPORTS\n");

        var output = ToolProcess.Succeed(temp.Path, wrapper, "-flavor", "link", $"/DEF:{random}/lib.def", $"{random}/libkernel.rlib", $"/OUT:{deps}/booster.dll", "/PDBALTPATH:%_PDB%");

        var stable = Path.Combine(deps, "rustc-link-booster.dll");
        Assert.Equal($"[-flavor]\n[link]\n[/DEF:{stable}/lib.def]\n[{stable}/libkernel.rlib]\n[/OUT:{deps}/booster.dll]\n[/PDBALTPATH:%_PDB%]\nlib.def\n", output);
        Assert.False(File.Exists(stable) || Directory.Exists(stable), "the fixed name is removed after the link");

        // Without rustc's folder (no exports), everything passes through.
        Assert.StartsWith("[/OUT:x.dll]\n[a b]\n", ToolProcess.Succeed(temp.Path, wrapper, "/OUT:x.dll", "a b"));
    }
}
