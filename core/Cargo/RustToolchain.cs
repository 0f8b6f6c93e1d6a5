using System;

namespace WdkDriver.Core.Cargo;

/// <summary>A cargo and the rustc it must drive, which together can build for <see cref="Target"/>.</summary>
public sealed record RustToolchain(string Cargo, string Rustc, Version CargoVersion, Version RustcVersion, string Sysroot, string Target);
