using WdkDriver.Core.Cargo;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Tests;

public class PlatformMappingTests
{
    [Theory]
    [InlineData(null, DriverArchitecture.X64)]
    [InlineData("AnyCPU", DriverArchitecture.X64)]
    [InlineData("x64", DriverArchitecture.X64)]
    [InlineData("X64", DriverArchitecture.X64)]
    [InlineData("ARM64", DriverArchitecture.Arm64)]
    [InlineData("arm64", DriverArchitecture.Arm64)]
    public void Platform_maps_to_architecture(string? platform, DriverArchitecture expected) =>
        Assert.Equal(expected, DriverArchitectures.FromPlatform(platform));

    [Theory]
    [InlineData("x86")]
    [InlineData("Win32")]
    public void Other_platforms_are_a_coded_error(string platform)
    {
        var error = Assert.Throws<WdkException>(() => DriverArchitectures.FromPlatform(platform));
        Assert.Equal("WDK1013", error.Diagnostic.Code);
        Assert.Contains(platform, error.Diagnostic.Message);
    }

    [Theory]
    [InlineData(DriverArchitecture.X64, "x86_64-pc-windows-msvc")]
    [InlineData(DriverArchitecture.Arm64, "aarch64-pc-windows-msvc")]
    public void The_default_rust_target_is_MSVC_as_cargo_wdk_builds(DriverArchitecture architecture, string expected) =>
        Assert.Equal(expected, RustTarget.Resolve(architecture, null));

    [Fact]
    public void Explicit_rust_target_wins_when_it_matches_the_platform() =>
        Assert.Equal("x86_64-pc-windows-gnullvm", RustTarget.Resolve(DriverArchitecture.X64, "x86_64-pc-windows-gnullvm"));

    [Theory]
    [InlineData("aarch64-pc-windows-msvc")]
    [InlineData("x86_64-unknown-linux-gnu")]
    public void Explicit_rust_target_for_another_platform_is_an_error(string triple)
    {
        var error = Assert.Throws<WdkException>(() => RustTarget.Resolve(DriverArchitecture.X64, triple));
        Assert.Equal("WDK1018", error.Diagnostic.Code);
    }

    [Theory]
    [InlineData("Debug", null, "dev")]
    [InlineData("release", null, "release")]
    [InlineData("Release", "dist", "dist")]
    [InlineData("Checked", "checked", "checked")]
    public void Configuration_maps_to_cargo_profile(string configuration, string? explicitProfile, string expected) =>
        Assert.Equal(expected, CargoProfile.FromConfiguration(configuration, explicitProfile));

    [Fact]
    public void Unknown_configuration_without_profile_is_an_error()
    {
        var error = Assert.Throws<WdkException>(() => CargoProfile.FromConfiguration("Checked", null));
        Assert.Equal("WDK1017", error.Diagnostic.Code);
        Assert.Contains("CargoProfile", error.Diagnostic.Message);
    }

    [Theory]
    [InlineData("cargo 1.65.0", "rustc 1.63.0", true)]
    [InlineData("cargo 1.95.0 (f2d3ce0bd 2026-03-21)", "rustc 1.95.0 (59807616e 2026-04-14)", true)]
    [InlineData("cargo 1.95.0 (f2d3ce0bd 2026-03-21)", "rustc 1.63.0", false)]
    [InlineData("cargo 1.63.0", "rustc 1.95.0", true)]
    public void Cargo_must_not_be_much_newer_than_rustc(string cargo, string rustc, bool compatible) =>
        Assert.Equal(compatible, CargoVersion.AreCompatible(CargoVersion.Parse(cargo)!, CargoVersion.Parse(rustc)!));

    [Fact]
    public void Version_output_that_is_not_cargo_is_not_a_version() => Assert.Null(CargoVersion.Parse("bash: cargo: not found"));

    [Fact]
    public void Diagnostic_prints_in_MSBuild_canonical_form()
    {
        Assert.Equal("src/lib.rs(12,5): error E0308: mismatched types", Diagnostic.Error("E0308", "mismatched types", "src/lib.rs", 12, 5).ToString());
        Assert.Equal("Cargo.toml: warning WDK1000: text", Diagnostic.Warning("WDK1000", "text", "Cargo.toml").ToString());
        Assert.Equal("error WDK1002: no cargo", Diagnostic.Error("WDK1002", "no cargo").ToString());
    }
}
