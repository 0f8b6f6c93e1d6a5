//! Links the cdylib as a WDM kernel driver. With the windows-gnu target (Linux, mingw-w64): native subsystem,
//! `DriverEntry` as entry point, imports from ntoskrnl.exe only.
use std::env;
use std::fs;
use std::path::PathBuf;

/// rustc's windows-gnu target always puts these user-mode import libraries on the link line, ahead of ours. Empty
/// archives in front of the real ones keep `memcpy` and friends from being imported from msvcrt.dll: they resolve from
/// ntoskrnl.exe, which exports them.
const SHADOWED_LIBRARIES: &[&str] = &["msvcrt", "kernel32", "user32"];

const LINK_ARGUMENTS: &[&str] = &[
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

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = env::var("TARGET").unwrap_or_default();
    if !target.ends_with("windows-gnu") {
        // The MSVC target links through the WDK on Windows; nothing to do here.
        return;
    }

    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for name in SHADOWED_LIBRARIES {
        fs::write(out.join(format!("lib{}.a", name)), b"!<arch>\n").expect("write an empty archive");
    }
    println!("cargo:rustc-link-search=native={}", out.display());
    for argument in LINK_ARGUMENTS {
        println!("cargo:rustc-cdylib-link-arg={}", argument);
    }
}
