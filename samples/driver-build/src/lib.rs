//! Links the calling crate's cdylib as a WDM kernel driver: native subsystem, `DriverEntry` as entry point, imports
//! from ntoskrnl.exe only. Call [`link_kernel_driver`] from the driver crate's `build.rs`. The MSVC targets link with
//! link.exe, lld-link or rust-lld and write a PDB; the GNU target links with mingw-w64's ld and carries no symbols.
use std::env;
use std::fs;
use std::path::PathBuf;

/// rustc's windows-gnu target always puts these user-mode import libraries on the link line, ahead of ours. Empty
/// archives in front of the real ones keep `memcpy` and friends from being imported from msvcrt.dll: they resolve from
/// ntoskrnl.exe, which exports them.
const SHADOWED_LIBRARIES: &[&str] = &["msvcrt", "kernel32", "user32"];

const GNU_LINK_ARGUMENTS: &[&str] = &[
    "-nostartfiles",
    "-Wl,--subsystem,native:10.0",
    "-Wl,--major-os-version,10",
    "-Wl,--minor-os-version,0",
    "-Wl,--entry,DriverEntry",
    "-Wl,--image-base,0x140000000",
    "-Wl,--dynamicbase",
    "-Wl,--nxcompat",
    "-Wl,--high-entropy-va",
    "-Wl,--no-insert-timestamp",
    "-Wl,--file-alignment,0x200",
    "-Wl,--section-alignment,0x1000",
    "-lntoskrnl",
    "-lhal",
];

/// What the WDK's link step gives a kernel driver. The imports come from the crate's `raw-dylib` declarations (see
/// the kernel crate), so no library is searched. `/DEBUG` writes the PDB whatever the profile's `strip` says (a PDB
/// is a file of its own; nothing of it is mapped into the kernel), and `%_PDB%` records its bare name in the image,
/// not the build folder.
const MSVC_LINK_ARGUMENTS: &[&str] = &[
    "/DRIVER",
    "/SUBSYSTEM:NATIVE,10.00",
    "/ENTRY:DriverEntry",
    "/NODEFAULTLIB",
    "/DEBUG",
    "/PDBALTPATH:%_PDB%",
    "/OPT:REF,ICF",
];

pub fn link_kernel_driver() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = env::var("TARGET").unwrap_or_default();
    if target.ends_with("windows-msvc") {
        for argument in MSVC_LINK_ARGUMENTS {
            println!("cargo:rustc-cdylib-link-arg={}", argument);
        }
        return;
    }

    if !target.ends_with("windows-gnu") {
        return;
    }

    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for name in SHADOWED_LIBRARIES {
        fs::write(out.join(format!("lib{}.a", name)), b"!<arch>\n").expect("write an empty archive");
    }
    println!("cargo:rustc-link-search=native={}", out.display());
    for argument in GNU_LINK_ARGUMENTS {
        println!("cargo:rustc-cdylib-link-arg={}", argument);
    }
}
