using System.IO.Compression;
using System.Reflection.PortableExecutable;
using WdkDriver.Core.Images;

namespace WdkDriver.Sdk.Tests;

/// <summary>
/// The samples built as a Windows developer's toolchain builds them, on Linux: with Rust for the MSVC targets on PATH
/// (eng/install-msvc-rust.sh, what rustup target add gives), the SDK chooses x86_64- and aarch64-pc-windows-msvc, links
/// through rust-lld, packages the PDB, and the drivers pass their tests under wine with a GNU-built client. Read back
/// with LLVM's tools.
/// </summary>
[Collection(SdkPackageCollection.Name)]
public class MsvcRustBuildTests
{
    private static readonly DateTimeOffset CommitTime = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly SdkPackageFixture sdk;

    public MsvcRustBuildTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    private TestProject Sample(string name, string sample)
    {
        var project = sdk.CreateProject(name).WithSample(sample).WithGitHistory(CommitTime);
        project.Environment["PATH"] = Path.Combine(Requirements.MsvcRust, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        return project;
    }

    [MsvcRustFact]
    public void Booster_builds_its_driver_for_MSVC_with_its_PDB_passes_its_driver_test_under_wine_and_ships_the_PDB_but_not_in_the_installer()
    {
        var project = Sample("msvc-booster", "Booster");

        var test = project.ShouldSucceed(project.Dotnet("test"));

        Assert.Contains("--target x86_64-pc-windows-msvc --profile dev -p booster", test.Output);
        Assert.Contains("/target/wdkdriver-linker/rust-lld\\\"", test.Output);
        // The client, which needs a C runtime to link, is built by Debian's rustc for the GNU target.
        Assert.Contains("--target x86_64-pc-windows-gnu --profile dev --workspace --exclude booster", test.Output);
        Assert.DoesNotContain("Rust: building the driver for x86_64-pc-windows-gnu", test.Output);
        Assert.Contains("Booster: Driver test passed: loaded, 5 run(s) as expected, unloaded.", test.Output);

        var driver = Path.Combine(project.DriverFolder(), "booster.sys");
        var pdb = Path.Combine(project.DriverFolder(), "booster.pdb");
        var facts = PeFacts.Read(driver);
        Assert.Equal((Machine.Amd64, Subsystem.Native), (facts.Machine, facts.Subsystem));
        Assert.Equal(new[] { "ntoskrnl.exe" }, LlvmReading.ImportedDlls(driver));
        Assert.Equal(LlvmReading.PdbIdentity(pdb).Guid, PeHeaders.TryRead(driver)!.CodeView(driver)!.Guid);
        Assert.Equal("booster.pdb", PeHeaders.TryRead(driver)!.CodeView(driver)!.PdbPath);
        Assert.Empty(ProgramDatabase.CheckPair(driver, pdb));
        Assert.Equal(Machine.Amd64, PeFacts.Read(Path.Combine(project.ClientFolder(), "boost.exe")).Machine);

        var pack = project.ShouldSucceed(project.Dotnet("pack", "-c", "Release", "-p:DriverInstaller=msi", "-p:DriverSubmissionCab=true"));

        Assert.DoesNotContain("WDK5032", pack.Output);
        var released = Path.Combine(project.DriverFolder("Release"), "booster.sys");
        var releasedPdb = Path.Combine(project.DriverFolder("Release"), "booster.pdb");
        Assert.Empty(ProgramDatabase.CheckPair(released, releasedPdb));
        var nupkg = Assert.Single(Directory.GetFiles(project.Path("bin", "Release", "test-signed"), "Booster.*.nupkg"));
        using (var archive = ZipFile.OpenRead(nupkg))
        {
            Assert.Contains(archive.Entries, e => e.FullName == "driver/amd64/booster.pdb");
        }

        var cab = Assert.Single(Directory.GetFiles(project.Path("bin", "Release", "test-signed"), "Booster.*.amd64.submission.cab"));
        using var work = new TempDirectory("msvc-cab");
        ToolProcess.Succeed(work.Path, "gcab", "-x", "-C", work.Combine("cab"), cab);
        Assert.Equal(File.ReadAllBytes(releasedPdb), File.ReadAllBytes(work.Combine("cab", "booster", "booster.pdb")));
        var msi = Assert.Single(Directory.GetFiles(project.Path("bin", "Release", "test-signed"), "Booster.*.amd64.msi"));
        var installs = WdkDriver.Core.Installer.InstallerFiles.List(WdkDriver.Core.Installer.InstallerDatabaseReader.Read(msi), msi).Select(f => f.Path).ToList();
        Assert.Contains(installs, f => f.EndsWith("/booster.sys", StringComparison.Ordinal));
        Assert.DoesNotContain(installs, f => f.EndsWith(".pdb", StringComparison.Ordinal));

        // The symbol store under the keys LLVM's reading gives.
        Assert.True(File.Exists(project.Path("bin", "Release", "symbols", "booster.pdb", LlvmReading.PdbKey(releasedPdb), "booster.pdb")));
        Assert.True(File.Exists(project.Path("bin", "Release", "symbols", "booster.sys", LlvmReading.ImageKey(released), "booster.sys")));
    }

    [MsvcRustFact]
    public void Zero_built_for_MSVC_passes_its_driver_test_under_wine()
    {
        var project = Sample("msvc-zero", "Zero");

        var test = project.ShouldSucceed(project.Dotnet("test"));

        Assert.Contains("--target x86_64-pc-windows-msvc", test.Output);
        Assert.Contains("Driver test passed", test.Output);
        Assert.True(File.Exists(Path.Combine(project.DriverFolder(), "zero.pdb")));
    }

    [MsvcRustFact]
    public void Both_platforms_pack_from_Rust_and_the_ARM64_client_that_cannot_link_here_is_one_warning()
    {
        var project = Sample("msvc-two", "Booster");
        var projectFile = project.Path("Booster.proj");
        File.WriteAllText(projectFile, File.ReadAllText(projectFile).Replace("</Project>", "  <PropertyGroup><Platforms>x64;ARM64</Platforms></PropertyGroup>\n</Project>"));

        var pack = project.ShouldSucceed(project.Dotnet("pack", "-c", "Release", "-p:DriverInstaller=msi"));

        Assert.Contains($"{projectFile} : warning WDK1026: The client crate boost is not built for ARM64: linking a Rust program for aarch64-pc-windows-msvc here needs the standard library (std) for aarch64-pc-windows-msvc", pack.Output);
        Assert.Single(pack.Output.Split('\n').Where(l => l.Contains("warning WDK1026")).Distinct());
        Assert.Contains("--target aarch64-pc-windows-msvc --profile release -p booster", pack.Output);

        var arm64 = Path.Combine(project.DriverFolder("Release", "ARM64"), "booster.sys");
        Assert.Equal((Machine.Arm64, Subsystem.Native), (PeFacts.Read(arm64).Machine, PeFacts.Read(arm64).Subsystem));
        Assert.Equal(new[] { "ntoskrnl.exe" }, LlvmReading.ImportedDlls(arm64));
        Assert.Empty(ProgramDatabase.CheckPair(arm64, Path.Combine(project.DriverFolder("Release", "ARM64"), "booster.pdb")));
        Assert.False(Directory.Exists(project.ClientFolder("Release", "ARM64")));

        var nupkg = Assert.Single(Directory.GetFiles(project.Path("bin", "Release", "test-signed"), "Booster.*.nupkg"));
        using (var archive = ZipFile.OpenRead(nupkg))
        {
            var names = archive.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("driver/amd64/booster.sys", names);
            Assert.Contains("driver/arm64/booster.sys", names);
            Assert.Contains("driver/arm64/booster.pdb", names);
            Assert.Contains("client/amd64/boost.exe", names);
            Assert.DoesNotContain(names, n => n.StartsWith("client/arm64/", StringComparison.Ordinal));
        }

        // -p:Platform=ARM64 alone, as the docs show it: the ARM64 driver, the same warning.
        var arm64Only = project.ShouldSucceed(project.Build("-c", "Release", "-p:Platform=ARM64"));
        Assert.Contains("warning WDK1026", arm64Only.Output);
        Assert.DoesNotContain("x86_64-pc-windows", arm64Only.Output);

        // The ARM64 installer holds the Rust ARM64 driver, byte for byte the package's.
        var msi = Assert.Single(Directory.GetFiles(project.Path("bin", "Release", "test-signed"), "Booster.*.arm64.msi"));
        using var work = new TempDirectory("msvc-msi");
        ToolProcess.Succeed(work.Path, "msiextract", "-C", work.Combine("extracted"), msi);
        var installed = Assert.Single(Directory.GetFiles(work.Combine("extracted"), "booster.sys", SearchOption.AllDirectories));
        Assert.Equal(File.ReadAllBytes(arm64), File.ReadAllBytes(installed));
    }
}
