using WdkDriver.Core.Cargo;
using WdkDriver.Core.Images;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Tests.Images;

/// <summary>
/// A #![no_std] WDM driver in Rust built for x86_64-pc-windows-msvc and aarch64-pc-windows-msvc on Linux, as a Windows
/// developer's toolchain builds it: Rust for the MSVC targets (eng/install-msvc-rust.sh, what rustup target add gives)
/// found by the SDK's toolchain discovery, linked by rust-lld with no WDK, no MSVC and no import library. Read with
/// llvm-readobj and llvm-pdbutil; the x64 driver loads under wine.
/// </summary>
public sealed class MsvcRustDriverTests : IDisposable
{
    private const string Manifest = """
        [package]
        name = "contoso"
        version = "0.1.0"
        edition = "2021"

        [lib]
        crate-type = ["cdylib"]

        [profile.dev]
        panic = "abort"

        [profile.release]
        panic = "abort"
        """;

    // Imports declared in Rust: rustc writes the import stubs itself (raw-dylib); +verbatim keeps the name ntoskrnl.exe.
    private const string Driver = """
        #![no_std]

        #[link(name = "ntoskrnl.exe", kind = "raw-dylib", modifiers = "+verbatim")]
        extern "C" {
            fn DbgPrint(format: *const u8, ...) -> u32;
        }

        #[no_mangle]
        pub extern "system" fn DriverEntry(_driver: *mut u8, _registry: *mut u8) -> i32 {
            unsafe { DbgPrint(b"contoso: loaded\n\0".as_ptr()) };
            0
        }

        #[panic_handler]
        fn panic(_: &core::panic::PanicInfo) -> ! {
            loop {}
        }
        """;

    private readonly TempDirectory temp = new("msvc-rust");

    public void Dispose() => temp.Dispose();

    [MsvcRustFact]
    public void A_Rust_driver_for_both_MSVC_targets_links_with_rust_lld_has_its_PDB_and_the_x64_one_loads_under_wine()
    {
        temp.Write("Cargo.toml", Manifest);
        temp.Write("src/lib.rs", Driver);
        var linkArguments = string.Join(", ", new[] { "/DRIVER", "/SUBSYSTEM:NATIVE", "/ENTRY:DriverEntry", "/NODEFAULTLIB", "/DEBUG" }.Select(a => $"\"-C\", \"link-arg={a}\""));
        temp.Write(".cargo/config.toml", string.Concat(new[] { "x86_64-pc-windows-msvc", "aarch64-pc-windows-msvc" }.Select(t => $"[target.{t}]\nlinker = \"/usr/bin/rust-lld\"\nrustflags = [{linkArguments}]\n\n")));
        var cargo = Path.Combine(Requirements.MsvcRust, "bin", "cargo");

        foreach (var (target, machine) in new[] { ("x86_64-pc-windows-msvc", (ushort)0x8664), ("aarch64-pc-windows-msvc", (ushort)0xAA64) })
        {
            // The SDK's discovery takes this toolchain for the target: its sysroot has the target's core.
            var toolchain = new RustToolchainLocator(ProcessRunner.Instance).Locate(new ToolchainSearch(cargo, null, null, null, null, false), target, temp.Path);
            Assert.Equal(new Version(1, 96), new Version(toolchain.RustcVersion.Major, toolchain.RustcVersion.Minor));

            ToolProcess.Succeed(temp.Path, cargo, "build", "--offline", "--target", target);

            var image = temp.Combine("target", target, "debug", "contoso.dll");
            var pdb = temp.Combine("target", target, "debug", "contoso.pdb");
            var headers = PeHeaders.TryRead(image)!;
            Assert.Equal(machine, headers.Machine);
            Assert.Equal(1, headers.Subsystem);
            Assert.Equal(new[] { "ntoskrnl.exe" }, LlvmReading.ImportedDlls(image));
            Assert.Contains("Symbol: DbgPrint", LlvmReading.Run("llvm-readobj", "--coff-imports", image));
            Assert.Equal(LlvmReading.PdbIdentity(pdb).Guid, headers.CodeView(image)!.Guid);
            Assert.Empty(ProgramDatabase.CheckPair(image, pdb));
            Assert.Empty(MemoryIntegrity.Check(image));
        }

        using var wine = new WinePrefix();
        File.Copy(temp.Combine("target", "x86_64-pc-windows-msvc", "debug", "contoso.dll"), Path.Combine(wine.DriveC, "windows", "system32", "drivers", "contoso.sys"));
        var loaded = wine.Session(@"sc create contoso type= kernel binPath= C:\windows\system32\drivers\contoso.sys", "sc start contoso", "sc query contoso");
        Assert.Contains("RUNNING", loaded);
    }
}
