using System.Text.RegularExpressions;

namespace WdkDriver.Sdk.Tests;

/// <summary>Bad input gives one coded, located error in MSBuild's canonical form, and no package.</summary>
[Collection(SdkPackageCollection.Name)]
public class SdkErrorTests
{
    private const string WdmDriver = """
        [package]
        name = "drv"
        version = "0.1.0"
        edition = "2021"

        [lib]
        crate-type = ["cdylib"]

        [package.metadata.wdk.driver-model]
        driver-type = "{0}"
        """;

    private readonly SdkPackageFixture sdk;

    public SdkErrorTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    private TestProject Project(string name, params (string Name, string DriverType)[] drivers)
    {
        var project = sdk.CreateProject(name);
        project.Write("driver.proj", "<Project Sdk=\"WdkDriver.Sdk\" />");
        if (drivers.Length > 0)
        {
            project.Write("Cargo.toml", $"[workspace]\nmembers = [{string.Join(", ", drivers.Select(d => $"\"{d.Name}\""))}]\n");
            foreach (var (crate, type) in drivers)
            {
                project.Write($"{crate}/Cargo.toml", WdmDriver.Replace("\"drv\"", $"\"{crate}\"").Replace("{0}", type));
                project.Write($"{crate}/src/lib.rs", "#![no_std]\n");
            }
        }

        return project;
    }

    /// <summary>The single error line of the build, parsed.</summary>
    private static Match SingleError(DotnetResult result, string code)
    {
        var errors = Regex.Matches(result.Output, @"^(?<location>.+?) ?: error (?<code>[A-Z]+\d+): (?<message>.+?)( \[[^\]]+\])?$", RegexOptions.Multiline)
            .DistinctBy(m => m.Value)
            .ToList();
        var error = Assert.Single(errors);
        Assert.Equal(code, error.Groups["code"].Value);
        return error;
    }

    [Fact]
    public void No_Cargo_toml_and_no_DriverBinary_is_WDK1021()
    {
        var project = Project("no-manifest");

        var error = SingleError(project.ShouldFail(project.Build()), "WDK1021");

        Assert.Equal(project.Path("driver.proj"), error.Groups["location"].Value);
        Assert.Contains("no Cargo workspace", error.Groups["message"].Value);
        Assert.False(Directory.Exists(project.PackageFolder()));
    }

    [Fact]
    public void A_cargo_build_asked_for_without_Cargo_toml_is_WDK1001()
    {
        var project = Project("no-manifest-forced");

        var error = SingleError(project.ShouldFail(project.Build("-p:EnableCargoBuild=true")), "WDK1001");

        Assert.Equal(project.Path("driver.proj"), error.Groups["location"].Value);
    }

    [Fact]
    public void A_DriverBinary_that_is_not_there_is_WDK1020()
    {
        var project = Project("missing-binary");
        project.Write("driver.proj", """<Project Sdk="WdkDriver.Sdk"><ItemGroup><DriverBinary Include="out/missing.sys" /></ItemGroup></Project>""");

        var error = SingleError(project.ShouldFail(project.Build()), "WDK1020");

        Assert.Contains("DriverBinary 'out/missing.sys' does not exist", error.Groups["message"].Value);
    }

    [CDriverFact]
    public void A_file_the_INF_lists_that_the_package_lacks_is_WDK3005_at_the_inx_line()
    {
        var project = sdk.CreateProject("missing-listed-file").WithSample("PrebuiltDriver");
        var inx = project.Path("hello.inx");
        File.WriteAllText(inx, File.ReadAllText(inx).Replace("hello.sys = 1\r\n", "hello.sys = 1\r\nhelper.dll = 1\r\n").Replace("hello.sys = 1\n", "hello.sys = 1\nhelper.dll = 1\n"));
        var line = Array.FindIndex(File.ReadAllLines(inx), l => l.StartsWith("helper.dll", StringComparison.Ordinal)) + 1;

        var error = SingleError(project.ShouldFail(project.Build()), "WDK3005");

        Assert.Equal($"{inx}({line},1)", error.Groups["location"].Value);
        Assert.Contains("helper.dll in [SourceDisksFiles] of hello.inf is missing from the driver package", error.Groups["message"].Value);
    }

    [Fact]
    public void A_DriverBinary_for_another_platform_is_not_packaged()
    {
        var project = Project("arm64-only-binary");
        project.Write("out/drv.sys", "not built for x64");
        project.Write("driver.proj", """<Project Sdk="WdkDriver.Sdk"><ItemGroup><DriverBinary Include="out/drv.sys" Platform="ARM64" /></ItemGroup></Project>""");

        SingleError(project.ShouldFail(project.Build()), "WDK1021");
    }

    [Fact]
    public void A_WDK_driver_project_off_Windows_is_WDK1019()
    {
        var project = Project("vcxproj");
        project.Write("kmdf/kmdf.vcxproj", "<Project />");
        project.Write("driver.proj", """<Project Sdk="WdkDriver.Sdk"><ItemGroup><ProjectReference Include="kmdf/kmdf.vcxproj" /></ItemGroup></Project>""");

        var error = SingleError(project.ShouldFail(project.Build()), "WDK1019");

        Assert.Contains("'kmdf/kmdf.vcxproj' is a WDK driver project", error.Groups["message"].Value);
    }

    [WindowsRustFact]
    public void Two_driver_crates_without_DriverName_is_WDK1006()
    {
        var project = Project("two-drivers", ("one", "WDM"), ("two", "WDM"));

        var error = SingleError(project.ShouldFail(project.Build()), "WDK1006");

        Assert.Equal(project.Path("Cargo.toml"), error.Groups["location"].Value);
        Assert.Contains("one, two", error.Groups["message"].Value);
    }

    [WindowsRustFact]
    public void A_kmdf_driver_on_linux_is_WDK1012_at_its_driver_type_line()
    {
        var project = Project("kmdf", ("drv", "KMDF"));

        var error = SingleError(project.ShouldFail(project.Build()), "WDK1012");

        Assert.Equal(project.Path("drv", "Cargo.toml") + "(10,1)", error.Groups["location"].Value);
    }

    [Fact]
    public void An_x86_platform_is_WDK1013()
    {
        var project = Project("x86", ("drv", "WDM"));

        SingleError(project.ShouldFail(project.Build("-p:Platform=x86")), "WDK1013");
    }

    [WindowsRustFact]
    public void ARM64_without_its_standard_library_is_WDK1003_naming_the_target()
    {
        var project = Project("arm64", ("drv", "WDM"));

        var error = SingleError(project.ShouldFail(project.Build("-p:Platform=ARM64")), "WDK1003");

        Assert.Contains("rustup target add aarch64-pc-windows-msvc", error.Groups["message"].Value);
        // What works here too: a driver built elsewhere, and where to read how to add the target with apt only.
        Assert.Contains("DriverBinary item (Platform=\"ARM64\")", error.Groups["message"].Value);
        Assert.Contains("'Rust targets on each host'", error.Groups["message"].Value);
    }

    [Fact]
    public void A_CargoPath_that_is_not_there_is_WDK1002()
    {
        var project = Project("no-cargo", ("drv", "WDM"));

        var error = SingleError(project.ShouldFail(project.Build("-p:CargoPath=/nonexistent/cargo")), "WDK1002");

        // At the project the user edits, not the SDK's targets in the NuGet cache, and saying what is wrong.
        Assert.Equal(project.Path("driver.proj"), error.Groups["location"].Value);
        Assert.StartsWith("CargoPath '/nonexistent/cargo' does not exist.", error.Groups["message"].Value);
    }

    [Fact]
    public void Output_folders_follow_configuration_and_platform()
    {
        var project = Project("paths");

        var result = project.ShouldSucceed(project.Dotnet("msbuild", "driver.proj", "-p:Platform=ARM64", "-p:Configuration=Release",
            "-getProperty:DriverPackageDir", "-getProperty:DriverPlatform", "-getProperty:OutDir", "-getProperty:IntermediateOutputPath"));

        Assert.Contains("\"DriverPackageDir\": \"bin/Release/ARM64/package/\"", result.Output);
        Assert.Contains("\"DriverPlatform\": \"ARM64\"", result.Output);
        Assert.Contains("\"IntermediateOutputPath\": \"obj/Release/ARM64/\"", result.Output.Replace("\\\\", "/"));
    }

    [Theory]
    [InlineData("", "", "x64", "")]
    [InlineData("x64;ARM64", "", "x64", "x64;ARM64")]
    [InlineData("AnyCPU;arm64", "", "ARM64", "ARM64")]
    [InlineData("x64;ARM64", "ARM64", "ARM64", "")]
    [InlineData("x64;ARM64", "x64", "x64", "")]
    public void Platforms_chooses_the_driver_platforms_a_build_makes(string platforms, string platform, string driverPlatform, string driverPlatforms)
    {
        var project = Project("platforms");
        var arguments = new List<string> { "msbuild", "driver.proj", "-getProperty:DriverPlatform", "-getProperty:DriverPlatforms", $"-p:Platforms={platforms.Replace(";", "%3B")}" };
        if (platform.Length > 0)
        {
            arguments.Add($"-p:Platform={platform}");
        }

        var result = project.ShouldSucceed(project.Dotnet(arguments.ToArray()));

        Assert.Contains($"\"DriverPlatform\": \"{driverPlatform}\"", result.Output);
        Assert.Contains($"\"DriverPlatforms\": \"{driverPlatforms}\"", result.Output);
    }
}
