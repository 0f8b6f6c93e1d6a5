#!/usr/bin/env bash
# The Windows lane: the core, task and command test assemblies run as a Windows process under wine, in a fresh
# prefix, by a self-contained win-x64 host (tests/WindowsLane) that runs them in process with xunit's own execution
# library. It prints each test, the excluded ones with their reason (a WindowsLane trait), a summary and, last,
# "windows lane: <n> passed, <n> failed, <n> excluded". Exits non-zero when a test failed. Needs wine (wine64).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"

configuration="${WINDOWS_LANE_CONFIGURATION:-Debug}"
assemblies=(
  tests/WdkDriver.Core.Tests/bin/$configuration/net10.0/WdkDriver.Core.Tests.dll
  tests/WdkDriver.Cli.Tests/bin/$configuration/net10.0/WdkDriver.Cli.Tests.dll
)

# The test assemblies as they are (IL, with Windows' assets of their packages in runtimes/win), and the host inside
# the repository, where the tests find the samples and ../shared from their own folder.
dotnet build tests/WdkDriver.Core.Tests -c "$configuration" -v:q -nologo
dotnet build tests/WdkDriver.Cli.Tests -c "$configuration" -v:q -nologo
host="$root/artifacts/windows-lane/host"
dotnet publish tests/WindowsLane -c Release -r win-x64 --self-contained -p:PublishAot=false -o "$host" -v:q -nologo
# The command tests run wdkdriver.exe, the command as a Windows user gets it (JIT here: Native AOT for Windows needs
# Windows' linker).
command="$root/artifacts/windows-lane/wdkdriver"
dotnet publish cli -c Release -r win-x64 --self-contained -p:PublishAot=false -o "$command" -v:q -nologo

# cargo.exe and rustc.exe stand-ins, which the toolchain discovery test finds and runs as Windows programs.
stand_ins="$root/artifacts/windows-lane/stand-ins"
mkdir -p "$stand_ins"
for tool in cargo rustc; do
  x86_64-w64-mingw32-gcc -O2 -Wall -Werror -DTOOL="\"$tool\"" tests/WindowsLane/stand-ins/rust-tool.c -o "$stand_ins/$tool.exe"
done

work="$(mktemp -d)"
export WINEPREFIX="$work/prefix" WINEDEBUG=-all DISPLAY=
# CoreCLR's double mapping of code pages (write xor execute) crashes under wine when dynamic methods are freed
# ("Internal CLR error" in DynamicResolver's finalizer); Windows does not need this, wine does.
export DOTNET_EnableWriteXorExecute=0
# Windows 10 and later give .NET ICU (icu.dll); wine has none, and .NET falls back to wine's NLS, whose culture-aware
# string search takes minutes over a few hundred kilobytes. The lane compares strings as invariant mode does; the
# code's own comparisons are ordinal wherever it means bytes (CA1310 is an error in core, tasks and cli).
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
cleanup() { wineserver -k 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# mscoree and mshtml off while the prefix is made (no Mono or Gecko to install); CoreCLR needs wine's mscoree later.
WINEDLLOVERRIDES="mscoree,mshtml=" wineboot --init >/dev/null 2>&1
wineserver -w

windows_path() { printf 'Z:%s' "${1//\//\\}"; }
arguments=()
for assembly in "${assemblies[@]}"; do
  arguments+=("$(windows_path "$root/$assembly")")
done

# CI=true: no test of ours skips for a missing tool; what cannot run here is excluded by its trait instead.
CI=true WDKDRIVER_COMMAND="$(windows_path "$command/wdkdriver.exe")" WDK_LANE_RUST_STAND_INS="$(windows_path "$stand_ins")" WINEDLLOVERRIDES="mshtml=" wine "$host/WdkDriver.WindowsLane.exe" lane "${arguments[@]}"
