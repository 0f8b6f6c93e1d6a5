using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using WdkDriver.Tests;

namespace WdkDriver.Sdk.Tests;

/// <summary>The Booster sample built with <c>dotnet build</c> against the packed SDK, as a user would.</summary>
[Collection(SdkPackageCollection.Name)]
public class BoosterSampleTests
{
    private readonly SdkPackageFixture sdk;

    public BoosterSampleTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    private TestProject Booster() => sdk.CreateProject("booster").WithSample("Booster");

    [WindowsRustFact]
    public void Build_lays_out_a_package_with_a_real_kernel_driver_and_its_client()
    {
        var project = Booster();

        var result = project.ShouldSucceed(project.Build());

        Assert.Contains("--target x86_64-pc-windows-gnu --profile dev", result.Output);
        var package = project.Path("bin", "Debug", "x64", "package");
        Assert.Equal(new[] { "boost.exe", "booster.sys" }, Directory.GetFiles(package).Select(Path.GetFileName).Order());

        var driver = PeFacts.Read(Path.Combine(package, "booster.sys"));
        Assert.Equal(Machine.Amd64, driver.Machine);
        Assert.Equal(PEMagic.PE32Plus, driver.Magic);
        Assert.Equal(Subsystem.Native, driver.Subsystem);
        Assert.Equal(new[] { "ntoskrnl.exe" }, driver.ImportedDlls);
        Assert.True(driver.RelocationSize > 0, "a driver must have a relocation section");
        Assert.Contains(".reloc", driver.SectionNames);
        Assert.Equal(driver.ComputedChecksum, driver.StoredChecksum);
        Assert.True(driver.DllCharacteristics.HasFlag(DllCharacteristics.NxCompatible));

        var client = PeFacts.Read(Path.Combine(package, "boost.exe"));
        Assert.Equal(Subsystem.WindowsCui, client.Subsystem);
        Assert.Contains("KERNEL32.dll", client.ImportedDlls, StringComparer.OrdinalIgnoreCase);
    }

    [WindowsRustFact]
    public void A_second_build_with_no_change_runs_no_stage_after_cargo()
    {
        var project = Booster();
        project.ShouldSucceed(project.Build());
        var driver = project.Path("bin", "Debug", "x64", "package", "booster.sys");
        var firstWrite = File.GetLastWriteTimeUtc(driver);

        var second = project.ShouldSucceed(project.Build("-v:n"));

        Assert.Contains("cargo build --message-format=json", second.Output);
        Assert.Matches("Skipping target \"LayoutDriverPackage\" because all output files are up-to-date", second.Output);
        Assert.DoesNotContain("Driver package:", second.Output);
        Assert.Equal(firstWrite, File.GetLastWriteTimeUtc(driver));

        // A change to the driver's source makes cargo rebuild, and the package follows.
        var source = project.Path("driver", "src", "lib.rs");
        File.AppendAllText(source, "\n// touched by the test\n");
        var third = project.ShouldSucceed(project.Build("-v:n"));
        Assert.DoesNotContain("Skipping target \"LayoutDriverPackage\"", third.Output);
        Assert.Contains("Driver package:", third.Output);
    }

    [WindowsRustFact]
    public void Clean_removes_the_package_and_keeps_cargos_target_directory()
    {
        var project = Booster();
        project.ShouldSucceed(project.Build());

        project.ShouldSucceed(project.Dotnet("clean"));

        Assert.False(Directory.Exists(project.Path("bin", "Debug", "x64", "package")));
        Assert.True(Directory.Exists(project.Path("target")));
    }

    [WindowsRustFact]
    public void A_compile_error_is_reported_at_its_line_and_takes_the_old_package_away()
    {
        var project = Booster();
        project.ShouldSucceed(project.Build());
        var source = project.Path("driver", "src", "lib.rs");
        var lines = File.ReadAllLines(source).ToList();
        var entry = lines.FindIndex(l => l.Contains("STATUS_SUCCESS") && l.Trim() == "STATUS_SUCCESS");
        lines[entry] = "    \"not a status\"";
        File.WriteAllLines(source, lines);

        var result = project.ShouldFail(project.Build());

        var error = Regex.Match(result.Output, @"^(?<file>\S+)\((?<line>\d+),(?<col>\d+)\): error (?<code>E\d{4}): (?<message>.+)$", RegexOptions.Multiline);
        Assert.True(error.Success, result.Output);
        Assert.Equal(source, error.Groups["file"].Value);
        Assert.Equal(entry + 1, int.Parse(error.Groups["line"].Value));
        Assert.Equal("E0308", error.Groups["code"].Value);
        Assert.False(Directory.Exists(project.Path("bin", "Debug", "x64", "package")), "a failed build must not leave the old package behind");
    }

    [WindowsRustFact]
    public void Release_builds_with_cargos_release_profile_into_its_own_folder()
    {
        var project = Booster();

        var result = project.ShouldSucceed(project.Build("-c", "Release"));

        Assert.Contains("--profile release", result.Output);
        var driver = PeFacts.Read(project.Path("bin", "Release", "x64", "package", "booster.sys"));
        Assert.Equal(Subsystem.Native, driver.Subsystem);
        Assert.Equal(driver.ComputedChecksum, driver.StoredChecksum);
    }
}
