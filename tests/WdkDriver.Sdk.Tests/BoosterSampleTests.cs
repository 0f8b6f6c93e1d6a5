using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

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
        // Debian's rustc has only the GNU target: the build says once what that costs and how to add the MSVC targets
        // (MsvcRustBuildTests builds with them).
        Assert.Single(result.Output.Split('\n'), l => l.Contains("Rust: building the driver for x86_64-pc-windows-gnu, as no toolchain found has the standard library for x86_64-pc-windows-msvc"));
        Assert.Contains("rustup target add x86_64-pc-windows-msvc aarch64-pc-windows-msvc", result.Output);
        // cargo's progress at the default verbosity: a line per crate it compiles.
        Assert.Contains("cargo: Compiling booster v0.1.0", result.Output);
        var package = project.PackageFolder();
        Assert.Equal(
            new[] { "client/amd64/boost.exe", "driver/amd64/booster.cat", "driver/amd64/booster.inf", "driver/amd64/booster.sys", "tools/DriverPackage.psm1", "tools/Install-Driver.cmd", "tools/Install-Driver.ps1", "tools/install-plan.amd64.json", "tools/RootDevice.ps1", "tools/Uninstall-Driver.cmd", "tools/Uninstall-Driver.ps1", "WdkDriverTestCert.cer" },
            Directory.GetFiles(package, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(package, f).Replace('\\', '/')).Order(StringComparer.OrdinalIgnoreCase));
        Assert.DoesNotContain("error", result.Output);
        // A temporary folder is no git repository: no commit time to date DriverVer by, and the build says so.
        Assert.Contains("booster.inx : warning WDK2007: DriverVer takes today's date", result.Output);

        var driver = PeFacts.Read(Path.Combine(project.DriverFolder(), "booster.sys"));
        Assert.Equal(Machine.Amd64, driver.Machine);
        Assert.Equal(PEMagic.PE32Plus, driver.Magic);
        Assert.Equal(Subsystem.Native, driver.Subsystem);
        Assert.Equal(new[] { "ntoskrnl.exe" }, driver.ImportedDlls);
        Assert.True(driver.RelocationSize > 0, "a driver must have a relocation section");
        Assert.Contains(".reloc", driver.SectionNames);
        Assert.Equal(driver.ComputedChecksum, driver.StoredChecksum);
        Assert.True(driver.DllCharacteristics.HasFlag(DllCharacteristics.NxCompatible));

        var client = PeFacts.Read(Path.Combine(project.ClientFolder(), "boost.exe"));
        Assert.Equal(Subsystem.WindowsCui, client.Subsystem);
        Assert.Contains("KERNEL32.dll", client.ImportedDlls, StringComparer.OrdinalIgnoreCase);
    }

    [WindowsRustFact]
    public void A_second_build_with_no_change_starts_no_cargo_and_runs_no_stage()
    {
        var project = Booster();
        project.ShouldSucceed(project.Build());
        var driver = Path.Combine(project.DriverFolder(), "booster.sys");
        var firstWrite = File.GetLastWriteTimeUtc(driver);

        var second = project.ShouldSucceed(project.Build("-v:n"));

        Assert.Contains("cargo: nothing it reads changed since the last build of booster", second.Output);
        Assert.DoesNotContain("cargo build --message-format=json", second.Output);
        foreach (var stage in new[] { "StampInf", "ValidateInf", "SignDriverFiles", "CreateCatalog", "SignCatalog", "VerifyDriverPackage", "LayoutDriverPackage" })
        {
            Assert.Contains($"Skipping target \"{stage}\" because all output files are up-to-date", second.Output);
        }

        Assert.DoesNotContain("(driver package, ", second.Output);
        Assert.Equal(firstWrite, File.GetLastWriteTimeUtc(driver));

        // A change to the driver's source makes cargo rebuild, and the package follows.
        var source = project.Path("driver", "src", "lib.rs");
        File.AppendAllText(source, "\n// touched by the test\n");
        var third = project.ShouldSucceed(project.Build("-v:n"));
        Assert.Contains("cargo build --message-format=json", third.Output);
        Assert.DoesNotContain("Skipping target \"LayoutDriverPackage\"", third.Output);
        Assert.Contains("(driver package, ", third.Output);
    }

    [WindowsRustFact]
    public void Clean_removes_the_package_and_keeps_cargos_target_directory()
    {
        var project = Booster();
        project.ShouldSucceed(project.Build());

        project.ShouldSucceed(project.Dotnet("clean"));

        Assert.False(Directory.Exists(project.PackageFolder()));
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
        Assert.False(Directory.Exists(project.PackageFolder()), "a failed build must not leave the old package behind");
    }

    [WindowsRustFact]
    public void Release_builds_with_cargos_release_profile_into_its_own_folder()
    {
        var project = Booster();

        var result = project.ShouldSucceed(project.Build("-c", "Release"));

        Assert.Contains("--profile release", result.Output);
        var driver = PeFacts.Read(Path.Combine(project.DriverFolder("Release"), "booster.sys"));
        Assert.Equal(Subsystem.Native, driver.Subsystem);
        Assert.Equal(driver.ComputedChecksum, driver.StoredChecksum);
    }

    [WindowsRustFact]
    public void The_inx_is_stamped_into_the_package_and_left_as_it_was()
    {
        var project = Booster();
        project.Environment["SOURCE_DATE_EPOCH"] = "1700000000";
        var source = File.ReadAllBytes(project.Path("booster.inx"));

        project.ShouldSucceed(project.Build("-p:DriverVersion=2.5.7.1"));

        Assert.Equal(source, File.ReadAllBytes(project.Path("booster.inx")));
        var inf = File.ReadAllLines(Path.Combine(project.DriverFolder(), "booster.inf"));
        Assert.Contains("DriverVer = 11/14/2023,2.5.7.1", inf);
        Assert.Contains("CatalogFile = booster.cat", inf);
        Assert.Contains("[DefaultInstall.NTamd64.Services]", inf);
        Assert.DoesNotContain(inf, l => l.Contains("$ARCH$"));
    }

    [WindowsRustFact]
    public void Two_builds_of_the_same_sources_stamp_the_same_bytes()
    {
        var first = Booster();
        var second = Booster();
        first.Environment["SOURCE_DATE_EPOCH"] = second.Environment["SOURCE_DATE_EPOCH"] = "1700000000";

        first.ShouldSucceed(first.Build());
        second.ShouldSucceed(second.Build());

        Assert.Equal(
            File.ReadAllBytes(Path.Combine(first.DriverFolder(), "booster.inf")),
            File.ReadAllBytes(Path.Combine(second.DriverFolder(), "booster.inf")));
        foreach (var file in new[] { "booster.sys", "booster.cat" })
        {
            Assert.Equal(
                File.ReadAllBytes(Path.Combine(first.DriverFolder(), file)),
                File.ReadAllBytes(Path.Combine(second.DriverFolder(), file)));
        }
    }

    [WindowsRustFact]
    public void An_INF_finding_fails_the_build_at_its_line_and_takes_the_package_away()
    {
        var project = Booster();
        project.ShouldSucceed(project.Build());
        var inx = project.Path("booster.inx");
        File.WriteAllText(inx, File.ReadAllText(inx).Replace("Class       = System", "Class       = Sample"));

        var result = project.ShouldFail(project.Build());

        // At the .inx the user edits and its line there; stamping adds lines above it in the stamped copy.
        var line = Array.FindIndex(File.ReadAllLines(inx), l => l.StartsWith("Class")) + 1;
        Assert.Contains($"{inx}({line},1): error INF1284: Class \"Sample\" is reserved", result.Output);
        Assert.DoesNotContain(Path.Combine("obj", "Debug"), result.Output.Split('\n').Where(l => l.Contains("error")).Aggregate(string.Empty, string.Concat));
        Assert.False(Directory.Exists(project.PackageFolder()));
    }

    [WindowsRustFact]
    public void Without_an_inx_the_build_says_where_it_looked()
    {
        var project = Booster();
        File.Delete(project.Path("booster.inx"));

        var result = project.ShouldFail(project.Build());

        Assert.Contains($"{project.Path("Booster.proj")} : error WDK2008: No INF for driver 'booster'", result.Output);
    }

    [WindowsRustFact]
    public void In_a_git_repository_DriverVer_comes_from_version_json_the_height_and_the_commit_time_and_follows_each_change()
    {
        var project = Booster();
        project.Write("version.json", """{ "version": "1.2" }""");
        project.WithGitHistory(new DateTimeOffset(2025, 1, 2, 23, 4, 5, TimeSpan.Zero));

        var result = project.ShouldSucceed(project.Build());

        Assert.DoesNotContain("WDK2007", result.Output);
        Assert.Contains("DriverVer = 01/02/2025,1.2.2.0", File.ReadAllLines(Path.Combine(project.DriverFolder(), "booster.inf")));

        // Nothing changed: NBGV's properties come from the record of the last build, and stamp the same DriverVer.
        var again = project.ShouldSucceed(project.Build("-v:d"));
        Assert.Contains("Version 1.2.2.", again.Output);
        Assert.Contains("from the record of the last build", again.Output);
        Assert.DoesNotContain("Nerdbank.GitVersioning.Tasks.GetBuildVersion", again.Output);
        Assert.Contains("DriverVer = 01/02/2025,1.2.2.0", File.ReadAllLines(Path.Combine(project.DriverFolder(), "booster.inf")));

        // A new commit is a new height and date; a changed version.json a new version.
        project.Commit(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero), "third");
        project.ShouldSucceed(project.Build());
        Assert.Contains("DriverVer = 03/04/2025,1.2.3.0", File.ReadAllLines(Path.Combine(project.DriverFolder(), "booster.inf")));
        project.Write("version.json", """{ "version": "1.4" }""");
        project.ShouldSucceed(project.Build());
        Assert.Contains("DriverVer = 03/04/2025,1.4.", string.Join("\n", File.ReadAllLines(Path.Combine(project.DriverFolder(), "booster.inf"))));
    }

    [WindowsRustFact]
    public void The_catalog_lists_the_driver_and_its_INF_with_the_digests_of_the_package_files()
    {
        var project = Booster();
        project.Environment["SOURCE_DATE_EPOCH"] = "1700000000";

        project.ShouldSucceed(project.Build());

        var package = project.DriverFolder();
        var catalog = WdkDriver.Core.Catalogs.CatalogReader.Read(Path.Combine(package, "booster.cat"));
        Assert.Equal(2, catalog.Version);
        Assert.Equal(new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero), catalog.ThisUpdate);
        Assert.Equal("_v100_X64", Assert.Single(catalog.Attributes).Value);
        foreach (var (file, isPe) in new[] { ("booster.sys", true), ("booster.inf", false) })
        {
            var member = Assert.Single(catalog.Members, m => m.FileName == file && m.Digest is not null);
            Assert.Equal(isPe, member.IsPe);
            Assert.Equal(
                WdkDriver.Core.Authenticode.FileDigest.Compute(Path.Combine(package, file), System.Security.Cryptography.HashAlgorithmName.SHA256).Digest,
                member.Digest);
        }

        Assert.DoesNotContain(catalog.Members, m => m.FileName == "boost.exe");

        // osslsigncode, knowing nothing of this project, accepts every signature against the package's test certificate.
        ToolProcess.Succeed(project.Directory, "openssl", "x509", "-inform", "DER", "-in", Path.Combine(project.PackageFolder(), "WdkDriverTestCert.cer"), "-out", "test.pem");
        foreach (var file in new[] { Path.Combine(package, "booster.sys"), Path.Combine(package, "booster.cat"), Path.Combine(project.ClientFolder(), "boost.exe") })
        {
            ToolProcess.Succeed(project.Directory, "osslsigncode", "verify", "-CAfile", "test.pem", "-in", file);
        }

        ToolProcess.Succeed(project.Directory, "osslsigncode", "verify", "-catalog", Path.Combine(package, "booster.cat"), "-CAfile", "test.pem", "-in", Path.Combine(package, "booster.sys"));
        Assert.True(catalog.IsSigned);
    }
}
