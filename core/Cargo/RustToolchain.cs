using System;
using System.Collections.Generic;
using System.IO;

namespace WdkDriver.Core.Cargo;

/// <summary>A cargo and the rustc it must drive, which together can build for <see cref="Target"/>.</summary>
public sealed record RustToolchain(string Cargo, string Rustc, Version CargoVersion, Version RustcVersion, string Sysroot, string Target)
{
    /// <summary>What a build with it depends on: the programs, and the sysroot's folder of targets, which
    /// <c>rustup target add</c> changes (a host that gains the MSVC target builds the driver for it next time).</summary>
    public IEnumerable<string> Files() => new[] { Cargo, Rustc, Path.Combine(Sysroot, "lib", "rustlib") };
}
