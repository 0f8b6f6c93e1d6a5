#!/usr/bin/env bash
# Provides, with apt only, what `rustup target add x86_64-pc-windows-msvc aarch64-pc-windows-msvc` gives a user:
# Debian's rustc-web and cargo-web (1.96, from bookworm's security updates) extracted into a folder of their own, and
# core, alloc and compiler_builtins for both MSVC targets built once from rust-web-src into its sysroot. The packages
# are downloaded and unpacked, never installed: installing rustc-web removes Debian's rustc 1.63 and cargo, which
# build the GNU target. Drivers for the MSVC targets link with rust-lld, which Debian's rustc package installs
# (/usr/bin/rust-lld); rustc-web's own points at an lld-22 that bookworm's lld does not provide, so the sysroot's
# rust-lld (where rustup keeps it, and where the SDK looks) points at Debian's. The folder's bin/ holds cargo and
# rustc wrappers that find the folder's libraries. Safe to run again.
# Usage: eng/install-msvc-rust.sh [folder]   (default /opt/wdkdriver/rust-msvc-1.96)
set -euo pipefail

prefix="${1:-/opt/wdkdriver/rust-msvc-1.96}"
targets=(x86_64-pc-windows-msvc aarch64-pc-windows-msvc)
packages=(rustc-web cargo-web libstd-rust-web-1.96 libstd-rust-web-dev rust-web-src libllvm22)
root="$prefix/root"
sysroot="$root/usr"

# Raised when what this script lays out changes, so that a machine set up by an earlier one is set up again.
layout=2
have_target() { compgen -G "$sysroot/lib/rustlib/$1/lib/libcore-*.rlib" >/dev/null; }

if [ -x "$prefix/bin/cargo" ] && [ "$(cat "$prefix/layout" 2>/dev/null)" = "$layout" ] && have_target "${targets[0]}" && have_target "${targets[1]}"; then
  echo "Rust for the MSVC targets is in $prefix."
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ] && ! { mkdir -p "$prefix" 2>/dev/null && [ -w "$prefix" ]; }; then
  sudo="sudo"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
echo "Downloading ${packages[*]}"
(cd "$work" && apt-get download -qq "${packages[@]}" 2>/dev/null || { apt-get update -qq && apt-get download -qq "${packages[@]}"; })

$sudo rm -rf "$prefix"
$sudo mkdir -p "$prefix/bin" "$root"
for deb in "$work"/*.deb; do
  $sudo dpkg -x "$deb" "$root"
done

libraries="$sysroot/lib:$sysroot/lib/x86_64-linux-gnu:$sysroot/lib/llvm-22/lib"
for tool in rustc cargo; do
  # cargo runs the rustc beside it, not the first on PATH.
  extra=""
  [ "$tool" = cargo ] && extra="RUSTC=\"\${RUSTC:-$prefix/bin/rustc}\" "
  printf '#!/bin/sh\n%sLD_LIBRARY_PATH="%s${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "%s/bin/%s" "$@"\n' "$extra" "$libraries" "$sysroot" "$tool" | $sudo tee "$prefix/bin/$tool" >/dev/null
  $sudo chmod 755 "$prefix/bin/$tool"
done

# The standard library's no_std part for each target, from the sources rust-web-src ships with its vendored
# dependencies; once in the sysroot, builds need neither -Zbuild-std nor RUSTC_BOOTSTRAP. With their LLVM bitcode, as
# rustup's are, so that a profile with lto = true links.
crate="$work/stdbuild"
mkdir -p "$crate/src" "$crate/.cargo"
printf '[package]\nname = "stdbuild"\nversion = "0.0.0"\nedition = "2021"\n\n[profile.release]\npanic = "abort"\n' > "$crate/Cargo.toml"
echo '#![no_std]' > "$crate/src/lib.rs"
printf '[source.crates-io]\nreplace-with = "vendored"\n\n[source.vendored]\ndirectory = "%s/lib/rustlib/src/rust/library/vendor"\n' "$sysroot" > "$crate/.cargo/config.toml"
for target in "${targets[@]}"; do
  echo "Building core, alloc and compiler_builtins for $target"
  (cd "$crate" && RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Cembed-bitcode=yes" CARGO_HOME="$work/cargo-home" "$prefix/bin/cargo" build --offline --quiet --release \
    -Zbuild-std=core,alloc,compiler_builtins -Zbuild-std-features=compiler-builtins-mem --target "$target")
  $sudo mkdir -p "$sysroot/lib/rustlib/$target/lib"
  $sudo cp "$crate/target/$target/release/deps/"lib{core,alloc,compiler_builtins}-*.rlib "$sysroot/lib/rustlib/$target/lib/"
done

host="$("$prefix/bin/rustc" -vV | sed -n 's/^host: //p')"
$sudo mkdir -p "$sysroot/lib/rustlib/$host/bin"
$sudo ln -sf /usr/bin/rust-lld "$sysroot/lib/rustlib/$host/bin/rust-lld"
echo "$layout" | $sudo tee "$prefix/layout" >/dev/null

"$prefix/bin/rustc" --version
echo "Rust for the MSVC targets is in $prefix (cargo: $prefix/bin/cargo)."
