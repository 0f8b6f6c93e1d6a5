using WdkDriver.Core.Cargo;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Tests;

/// <summary>
/// A standard library written by another rustc, found the way rustc finds it (the version line in the crate's
/// metadata), on the real libraries of this machine: Debian's rustc 1.63 with its windows-gnu target, and Rust 1.96
/// for the MSVC targets (eng/install-msvc-rust.sh). rustc itself is the oracle for the pairing it refuses.
/// </summary>
public class StandardLibraryTests : IDisposable
{
    private const string Gnu = "x86_64-pc-windows-gnu";
    private readonly TempDirectory temp = new("stdlib");

    public void Dispose() => temp.Dispose();

    private static string DebianCore => StandardLibrary.Core("/usr", Gnu)!;

    [WindowsRustFact]
    public void The_core_of_Debians_GNU_target_was_built_by_Debians_rustc_and_by_no_other()
    {
        var version = ToolProcess.Succeed(temp.Path, "/usr/bin/rustc", "--version").Trim();

        Assert.True(StandardLibrary.BuiltBy(DebianCore, version));
        Assert.False(StandardLibrary.BuiltBy(DebianCore, "rustc 1.96.0 (ac68faa20 2026-05-25) (built from a source tarball)"));
        Assert.False(StandardLibrary.BuiltBy(DebianCore, "rustc 1.63.1"));
    }

    [MsvcRustFact]
    public void Rust_196_refuses_Debians_core_and_discovery_passes_that_pairing_over_saying_why()
    {
        // A sysroot of 1.96's own with Debian's 1.63 core for the GNU target: what a mixed installation looks like.
        var rustc = Path.Combine(Requirements.MsvcRust, "bin", "rustc");
        var sysroot = temp.Combine("sysroot");
        var realSysroot = ToolProcess.Succeed(temp.Path, rustc, "--print", "sysroot").Trim();
        Directory.CreateDirectory(Path.Combine(sysroot, "lib", "rustlib", Gnu, "lib"));
        File.CreateSymbolicLink(Path.Combine(sysroot, "lib", "rustlib", Gnu, "lib", Path.GetFileName(DebianCore)), DebianCore);
        Directory.CreateSymbolicLink(Path.Combine(sysroot, "lib", "rustlib", "x86_64-unknown-linux-gnu"), Path.Combine(realSysroot, "lib", "rustlib", "x86_64-unknown-linux-gnu"));
        var source = temp.Write("probe.rs", "#![no_std]\npub fn f() {}\n");

        var (code, output) = ToolProcess.Run(temp.Path, rustc, new[] { "--sysroot", sysroot, "--target", Gnu, "--crate-type", "rlib", "--emit", "metadata", "-o", temp.Combine("probe.rmeta"), source });

        Assert.NotEqual(0, code);
        Assert.Matches("E0786|E0514", output);
        var version = ToolProcess.Succeed(temp.Path, rustc, "--version").Trim();
        Assert.False(StandardLibrary.BuiltBy(Path.Combine(sysroot, "lib", "rustlib", Gnu, "lib", Path.GetFileName(DebianCore)), version));
        Assert.True(StandardLibrary.BuiltBy(StandardLibrary.Core(realSysroot, "x86_64-pc-windows-msvc")!, version));

        // The locator: this rustc with that sysroot is passed over with the reason.
        var runner = new ScriptedProcessRunner()
            .Answer(temp.Combine("bin", "cargo"), "--version", "cargo 1.96.0")
            .Answer(temp.Combine("bin", "rustc"), "--version", version)
            .Answer(temp.Combine("bin", "rustc"), "--print sysroot", sysroot);
        temp.Write(Path.Combine("bin", "cargo"), "");
        temp.Write(Path.Combine("bin", "rustc"), "");
        var search = new ToolchainSearch(temp.Combine("bin", "cargo"), null, null, null, null, WindowsHost: false);
        Assert.Null(new RustToolchainLocator(runner).TryLocate(search, Gnu, temp.Path, out var rejections));
        Assert.Equal($"the standard library for {Gnu} in {sysroot} was built by another rustc than {temp.Combine("bin", "rustc")} 1.96.0 (rustc would stop with E0786 or E0514)", Assert.Single(rejections));
    }

    [Fact]
    public void A_library_whose_metadata_cannot_be_read_is_left_for_rustc_to_judge()
    {
        Assert.True(StandardLibrary.BuiltBy(temp.Write("libcore-1.rlib", "not an archive"), "rustc 1.96.0"));
        Assert.True(StandardLibrary.BuiltBy(temp.Write("libcore-2.rlib", "!<arch>\n/               0           0     0     0       99999999  `\n"), "rustc 1.96.0"));
        Assert.True(StandardLibrary.BuiltBy(temp.Combine("missing.rlib"), "rustc 1.96.0"));
    }
}
