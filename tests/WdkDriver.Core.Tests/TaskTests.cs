using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using WdkDriver.Core.Inf;
using WdkDriver.Sdk.Tasks;

namespace WdkDriver.Core.Tests;

public class TaskTests : IDisposable
{
    private readonly TempDirectory temp = new("tasks");

    public void Dispose() => temp.Dispose();

    private string CopyBooster()
    {
        SampleCopy.Into("Booster", temp.Combine("Booster"));
        return temp.Combine("Booster", "Cargo.toml");
    }

    [WindowsRustFact]
    public void CargoBuild_builds_the_Booster_sample_and_hands_over_driver_and_client()
    {
        var engine = new TestBuildEngine();
        var task = new CargoBuild { BuildEngine = engine, ManifestPath = CopyBooster(), ProjectFile = temp.Combine("Booster", "Booster.proj"), Platform = "x64", Configuration = "Debug" };

        Assert.True(task.Execute(), engine.Log);

        Assert.Equal("x86_64-pc-windows-gnu", task.RustTarget);
        Assert.Equal("dev", task.CargoProfile);
        Assert.Equal("booster", task.DriverName);
        Assert.Equal("WDM", task.DriverType);
        Assert.Null(task.KmdfVersionMajor);
        var binary = Assert.Single(task.DriverBinary);
        Assert.Equal("booster.dll", Path.GetFileName(binary.ItemSpec));
        Assert.Equal("booster.sys", binary.GetMetadata("PackagePath"));
        Assert.True(File.Exists(binary.ItemSpec));
        Assert.Contains(task.DriverClientFiles, c => c.GetMetadata("PackagePath") == "boost.exe" && File.Exists(c.ItemSpec));
        Assert.StartsWith(temp.Path, task.CargoTargetDirectory);
    }

    [Fact]
    public void CreateDriverInstaller_derives_the_upgrade_code_from_the_PackageId_as_the_command_does()
    {
        var package = DriverInstall.HelloPackage.Create(temp.Combine("package"));
        var engine = new TestBuildEngine();
        var task = new CreateDriverInstaller
        {
            BuildEngine = engine, ProjectFile = temp.Combine("Hello.proj"), DestinationPrefix = temp.Combine("Hello"),
            Files = package.Select(f => (ITaskItem)new TaskItem(f.Source, new Dictionary<string, string> { ["PackagePath"] = f.PackagePath })).ToArray(),
            Manufacturer = "Contoso", ProductName = "Hello Driver", Version = "1.0.0", PackageId = "Contoso.Hello", GitCommitDateTicks = "639000000000000000",
        };

        Assert.True(task.Execute(), engine.Log);

        // Pinned: shipped installers carry it, and MsiCommandTests pins the command's to the same value.
        var upgrade = WdkDriver.Core.Installer.InstallerDatabaseReader.Read(temp.Combine("Hello.amd64.msi")).Table("Property")!.Rows.Single(r => (string?)r[0] == "UpgradeCode")[1];
        Assert.Equal("{797DA26A-6179-55F8-AEC8-0BB493BB4CCC}", upgrade);
    }

    [Fact]
    public void CargoBuild_without_Cargo_toml_is_WDK1001_at_the_project_file()
    {
        var engine = new TestBuildEngine();
        var task = new CargoBuild { BuildEngine = engine, ManifestPath = temp.Combine("Cargo.toml"), ProjectFile = temp.Combine("driver.proj") };

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal("WDK1001", error.Code);
        Assert.Equal(temp.Combine("driver.proj"), error.File);
        Assert.Contains("CargoManifestPath", error.Message);
    }

    [CargoFact]
    public void CargoBuild_with_an_unknown_platform_is_WDK1013()
    {
        var engine = new TestBuildEngine();
        var task = new CargoBuild { BuildEngine = engine, ManifestPath = CargoWorkspaces.Write(temp, "", ("drv", true, CargoWorkspaces.WdmModel)), ProjectFile = temp.Combine("driver.proj"), Platform = "x86" };

        Assert.False(task.Execute());

        Assert.Equal("WDK1013", Assert.Single(engine.Errors).Code);
    }

    [WindowsRustFact]
    public void CargoBuild_of_a_kmdf_driver_on_linux_is_WDK1012_located_in_Cargo_toml()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("drv", true, "[package.metadata.wdk.driver-model]\ndriver-type = \"KMDF\"\n"));
        var engine = new TestBuildEngine();
        var task = new CargoBuild { BuildEngine = engine, ManifestPath = manifest, ProjectFile = temp.Combine("driver.proj") };

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal("WDK1012", error.Code);
        Assert.Equal(temp.Combine("drv", "Cargo.toml"), error.File);
        Assert.Equal("driver-type = \"KMDF\"", File.ReadAllLines(error.File)[error.LineNumber - 1]);
        Assert.Empty(Directory.GetDirectories(temp.Path, "target"));
    }

    [Fact]
    public void ValidateInf_takes_samples_and_an_InfVerifMode_that_overrides_the_platform()
    {
        // The echo sample as the WDK stamps it (Class=Sample: an error unless /samples) and the disk sample (DIRID 12,
        // which /w rejects and /h allows).
        var disk = Path.Combine(RepositoryPaths.Corpus, "inf", "windows-driver-samples", "storage", "class", "disk", "src", "diskdev.inf");
        var echo = Path.Combine(RepositoryPaths.Corpus, "inf", "windows-driver-samples", "general", "echo", "kmdf", "driver", "AutoSync", "echo.inx");
        var stamped = InfStamper.Stamp(InfDocument.Load(echo), new StampOptions("amd64", DriverVer.Parse("11/30/2026,1.0.0.0"), KmdfVersion: "1.33"));
        var inf = temp.Write("echo.inf", "");
        File.WriteAllBytes(inf, stamped.ToBytes());
        (bool Passed, TestBuildEngine Engine) Run(string? mode, bool samples)
        {
            var engine = new TestBuildEngine();
            var task = new ValidateInf
            {
                BuildEngine = engine, Files = new ITaskItem[] { new TaskItem(inf), new TaskItem(disk) }, DriverTargetPlatform = "Desktop", Mode = mode, Samples = samples, TreatWarningsAsErrors = true,
            };
            return (task.Execute(), engine);
        }

        var withoutSamples = Run(null, samples: false);
        var desktop = Run(null, samples: true);
        var whql = Run("whql", samples: true);
        var windows = Run("Windows Driver", samples: true);

        Assert.False(withoutSamples.Passed);
        Assert.Equal("INF1284", Assert.Single(withoutSamples.Engine.Errors).Code);
        Assert.True(desktop.Passed, desktop.Engine.Log);
        Assert.True(whql.Passed, whql.Engine.Log);
        Assert.False(windows.Passed);
        Assert.Contains(windows.Engine.Errors, e => e.Code == "INF1322");
    }

    [Fact]
    public void LayoutDriverPackage_places_items_at_their_PackagePath()
    {
        var engine = new TestBuildEngine();
        var driver = new TaskItem(temp.Write("target/booster.dll", "driver"));
        driver.SetMetadata("PackagePath", "booster.sys");
        var client = new TaskItem(temp.Write("target/boost.exe", "client"));
        var task = new LayoutDriverPackage { BuildEngine = engine, Files = new ITaskItem[] { driver, client }, Destination = temp.Combine("package") };

        Assert.True(task.Execute(), engine.Log);

        Assert.Equal(new[] { "boost.exe", "booster.sys" }, Directory.GetFiles(temp.Combine("package")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void LayoutDriverPackage_reports_a_vanished_input_as_WDK5001_not_a_crash()
    {
        var engine = new TestBuildEngine();
        var task = new LayoutDriverPackage { BuildEngine = engine, Files = new ITaskItem[] { new TaskItem(temp.Combine("gone.sys")) }, Destination = temp.Combine("package") };

        Assert.False(task.Execute());

        Assert.Equal("WDK5001", Assert.Single(engine.Errors).Code);
    }

    [Fact]
    public void TestDriver_on_a_Windows_host_is_WDK6009_pointing_at_a_test_machine()
    {
        var engine = new TestBuildEngine();
        var task = new TestDriver { BuildEngine = engine, HostIsWindows = true, Architecture = "amd64", ClientDirectory = temp.Path, WorkDirectory = temp.Path };

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal("WDK6009", error.Code);
        Assert.Contains("Install-Driver.cmd", error.Message);
    }

    [Fact]
    public void TestDriver_of_an_ARM64_driver_is_WDK6009()
    {
        var engine = new TestBuildEngine();
        var task = new TestDriver { BuildEngine = engine, HostIsWindows = false, Architecture = "arm64", ClientDirectory = temp.Path, WorkDirectory = temp.Path };

        Assert.False(task.Execute());

        Assert.Contains("amd64 drivers only", Assert.Single(engine.Errors).Message);
    }

    [Fact]
    public void TestDriver_without_wine_is_WDK6001_saying_how_to_install_it()
    {
        var engine = new TestBuildEngine();
        var task = new TestDriver
        {
            BuildEngine = engine, HostIsWindows = false, Architecture = "amd64", ClientDirectory = temp.Path, WorkDirectory = temp.Path,
            Infs = new ITaskItem[] { new TaskItem(temp.Combine("x.inf")) }, DriverFiles = new ITaskItem[] { new TaskItem(temp.Combine("x.sys")) },
            WinePath = temp.Combine("no-wine-here"),
        };

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal("WDK6001", error.Code);
        Assert.Contains("apt-get install wine64 wine", error.Message);
    }

    [Fact]
    public void CreateSubmissionCab_writes_one_cabinet_per_architecture_each_with_its_own_package_in_one_folder()
    {
        var files = new List<ITaskItem>();
        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            foreach (var name in new[] { "booster.inf", "booster.sys", "booster.cat", "booster.pdb" })
            {
                var path = temp.Write($"{architecture}/{name}", $"{architecture} {name}");
                files.Add(new TaskItem(path, new Dictionary<string, string> { ["PackagePath"] = name, ["Architecture"] = architecture }));
            }
        }

        var engine = new TestBuildEngine();
        var task = new CreateSubmissionCab { BuildEngine = engine, Files = files.ToArray(), DestinationPrefix = temp.Combine("out", "Booster.1.2.3"), SourceDateEpoch = "1764498000" };

        Assert.True(task.Execute(), engine.Log);

        Assert.Empty(engine.Warnings);
        Assert.Equal(new[] { "amd64", "arm64" }, task.Cabinets.Select(c => c.GetMetadata("Architecture")));
        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            using var cabinet = WdkDriver.Core.Cabinets.Cabinet.Open(temp.Combine("out", $"Booster.1.2.3.{architecture}.submission.cab"));
            Assert.Equal(new[] { "booster\\booster.cat", "booster\\booster.inf", "booster\\booster.pdb", "booster\\booster.sys" }, cabinet.Entries.Select(e => e.Name));
            Assert.All(cabinet.Entries, e => Assert.Equal(new DateTime(2025, 11, 30, 10, 20, 0), e.Time));
            cabinet.ExtractTo(temp.Combine("x", architecture));
            Assert.Equal($"{architecture} booster.sys", File.ReadAllText(temp.Combine("x", architecture, "booster", "booster.sys")));
        }
    }

    [Fact]
    public void CreateSubmissionCab_warns_without_symbols_and_refuses_a_folder_Partner_Center_refuses()
    {
        var inf = new TaskItem(temp.Write("p/driver.inf", "x"), new Dictionary<string, string> { ["PackagePath"] = "driver.inf", ["Architecture"] = "amd64" });
        var sys = new TaskItem(temp.Write("p/driver.sys", "x"), new Dictionary<string, string> { ["PackagePath"] = "driver.sys", ["Architecture"] = "amd64" });
        var cases = new (ITaskItem[] Files, string? Folder, string Code, string Says)[]
        {
            (new ITaskItem[] { inf, sys }, null, "WDK5032", "has no .pdb"),
            (new ITaskItem[] { inf, sys }, "My_Driver", "WDK5030", "'_' is not a letter or digit"),
            (new ITaskItem[] { inf, sys }, new string('a', 40), "WDK5030", "40 characters"),
            (new ITaskItem[] { sys }, null, "WDK5031", "has no INF"),
        };

        foreach (var (files, folder, code, says) in cases)
        {
            var engine = new TestBuildEngine();
            var task = new CreateSubmissionCab { BuildEngine = engine, Files = files, Folder = folder, DestinationPrefix = temp.Combine("out", code), SourceDateEpoch = "0" };

            var succeeded = task.Execute();

            var finding = Assert.Single(engine.Errors.Select(e => (e.Code, e.Message)).Concat(engine.Warnings.Select(w => (w.Code, w.Message))));
            Assert.Equal(code, finding.Code);
            Assert.Contains(says, finding.Message);
            Assert.Equal(code == "WDK5032", succeeded);
            Assert.Equal(code == "WDK5032", File.Exists(temp.Combine("out", $"{code}.amd64.submission.cab")));
        }
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
    public void VerifyDriverPackage_in_Microsoft_mode_accepts_the_attested_package_that_the_ordinary_mode_refuses()
    {
        var folder = Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel");
        var files = Directory.GetFiles(folder).Select(f => (ITaskItem)new TaskItem(f, new Dictionary<string, string> { ["PackagePath"] = Path.GetFileName(f) })).ToArray();
        var root = new TaskItem(Path.Combine(RepositoryPaths.Corpus, "certs", "MicrosoftRootCertificateAuthority2010.cer"));

        var microsoftEngine = new TestBuildEngine();
        var microsoft = new VerifyDriverPackage { BuildEngine = microsoftEngine, Files = files, TrustedCertificates = new ITaskItem[] { root }, Microsoft = true };
        var ordinaryEngine = new TestBuildEngine();
        var ordinary = new VerifyDriverPackage { BuildEngine = ordinaryEngine, Files = files, TrustedCertificates = new ITaskItem[] { root } };

        Assert.True(microsoft.Execute(), microsoftEngine.Log);
        // The driver's own embedded signature is the vendor's (DigiCert), which does not chain to Microsoft's root.
        Assert.False(ordinary.Execute());
        Assert.Equal("WDK4013", Assert.Single(ordinaryEngine.Errors).Code);
        Assert.EndsWith("mullvad-split-tunnel.sys", Assert.Single(ordinaryEngine.Errors).File);
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
    public void UseAttestedDriverPackages_packs_Microsofts_real_package_with_no_root_given_and_refuses_it_when_another_root_is_pinned()
    {
        // Microsoft's roots ship with the tool, so no file is needed on Linux: the package Partner Center signed for
        // mullvad, its INF standing for the one this build made. Pinning another root (PartnerCenterPinnedRoot) refuses it.
        using var temp = new TempDirectory();
        var folder = Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel");
        var zip = temp.Combine("mullvad.amd64.submission.signed.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
        {
            foreach (var file in Directory.GetFiles(folder))
            {
                System.IO.Compression.ZipFileExtensions.CreateEntryFromFile(archive, file, "mullvad/" + Path.GetFileName(file));
            }
        }

        ITaskItem Item(string file, string packagePath) => new TaskItem(file, new Dictionary<string, string> { ["PackagePath"] = packagePath });
        var built = new[]
        {
            Item(Path.Combine(folder, "mullvad-split-tunnel.inf"), "driver/amd64/mullvad-split-tunnel.inf"),
            Item(temp.Write("built.sys", "the build's own driver"), "driver/amd64/mullvad-split-tunnel.sys"),
            Item(temp.Write("client.exe", "client"), "client/amd64/client.exe"),
        };
        UseAttestedDriverPackages Task(TestBuildEngine engine, params ITaskItem[] pinned) => new()
        {
            BuildEngine = engine,
            PackFiles = built,
            AttestedPackages = new ITaskItem[] { new TaskItem(zip, new Dictionary<string, string> { ["Architecture"] = "amd64" }) },
            IntermediateDirectory = temp.Combine("attested"),
            PinnedRoots = pinned,
        };

        var withoutRoot = new TestBuildEngine();
        var task = Task(withoutRoot);
        var otherPinned = new TestBuildEngine();
        using var other = WdkDriver.Core.Signing.TestCertificate.Create("CN=Another cloud's root", DateTimeOffset.UtcNow);
        var otherRoot = temp.Combine("other.cer");
        File.WriteAllBytes(otherRoot, other.RawData);

        Assert.True(task.Execute(), withoutRoot.Log);
        Assert.Equal(
            new[] { "client/amd64/client.exe", "driver/amd64/mullvad-split-tunnel.cat", "driver/amd64/mullvad-split-tunnel.inf", "driver/amd64/mullvad-split-tunnel.sys" },
            task.Files.Select(f => f.GetMetadata("PackagePath").Replace('\\', '/')).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "mullvad-split-tunnel.sys")), File.ReadAllBytes(task.Files.Single(f => f.GetMetadata("PackagePath").EndsWith(".sys", StringComparison.Ordinal)).ItemSpec));
        Assert.False(Task(otherPinned, new TaskItem(otherRoot)).Execute());
        Assert.Equal("WDK7008", Assert.Single(otherPinned.Errors).Code);
    }

    [Fact]
    [Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
    public void VerifySignatures_takes_revocation_lists_and_codes_a_revoked_signer_at_the_file()
    {
        using var temp = new TempDirectory();
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Task CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-2), now.AddDays(30));
        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=Task signer", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var leaf = leafRequest.Create(ca, now.AddDays(-1), now.AddDays(10), new byte[] { 9, 9 }).CopyWithPrivateKey(leafKey);
        var unsigned = File.ReadAllBytes(Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.cat"));
        var catalog = temp.Combine("signed.cat");
        File.WriteAllBytes(catalog, WdkDriver.Core.Catalogs.CatalogSigner.Sign(unsigned, catalog, leaf, new[] { X509CertificateLoader.LoadCertificate(ca.RawData) }, HashAlgorithmName.SHA256));
        File.WriteAllBytes(temp.Combine("ca.cer"), ca.RawData);
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(leaf, now.AddHours(-1));
        File.WriteAllBytes(temp.Combine("ca.crl"), builder.Build(ca, System.Numerics.BigInteger.One, now.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        VerifySignatures Task(TestBuildEngine engine, params ITaskItem[] lists) => new()
        {
            BuildEngine = engine,
            Files = new ITaskItem[] { new TaskItem(catalog) },
            TrustedCertificates = new ITaskItem[] { new TaskItem(temp.Combine("ca.cer")) },
            RevocationLists = lists,
        };

        var without = new TestBuildEngine();
        var with = new TestBuildEngine();

        Assert.True(Task(without).Execute(), without.Log);
        Assert.False(Task(with, new TaskItem(temp.Combine("ca.crl"))).Execute());
        var error = Assert.Single(with.Errors);
        Assert.Equal("WDK4016", error.Code);
        Assert.Equal(catalog, error.File);
    }
}
