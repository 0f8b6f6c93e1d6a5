using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Sdk.Tests;

/// <summary><c>dotnet pack</c> of driver projects: the installable package, as a .nupkg and a .zip.</summary>
[Collection(SdkPackageCollection.Name)]
public class PackTests
{
    private static readonly DateTimeOffset CommitTime = new(2025, 3, 4, 5, 6, 8, TimeSpan.Zero);

    private static readonly string[] Tools =
    {
        "tools/DriverPackage.psm1", "tools/Install-Driver.cmd", "tools/Install-Driver.ps1", "tools/RootDevice.ps1", "tools/Uninstall-Driver.cmd", "tools/Uninstall-Driver.ps1",
    };

    private readonly SdkPackageFixture sdk;

    public PackTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    [WindowsRustFact]
    public void Packing_Booster_twice_gives_the_same_nupkg_and_zip_holding_a_package_that_verifies()
    {
        var project = sdk.CreateProject("pack-booster").WithSample("Booster").WithGitHistory(CommitTime);
        string[] pack = { "pack", "-c", "Release", "-p:DriverPackageZip=true", "-p:Authors=Contoso", "-p:PackageLicenseExpression=MIT", "-p:Description=The Booster driver" };

        var result = project.ShouldSucceed(project.Dotnet(pack));

        Assert.DoesNotContain("warning", result.Output);
        Assert.DoesNotContain("missing a readme", result.Output);
        var nupkg = Assert.Single(Directory.GetFiles(project.Path("bin", "Release", "test-signed"), "Booster.*.nupkg"));
        var zip = Path.ChangeExtension(nupkg, ".zip");
        var content = new[] { "client/amd64/boost.exe", "driver/amd64/booster.cat", "driver/amd64/booster.inf", "driver/amd64/booster.sys", "README.md", "WdkDriverTestCert.cer", "tools/install-plan.amd64.json" }.Concat(Tools).Order(StringComparer.Ordinal).ToList();
        var nugetParts = new[] { "[Content_Types].xml", "_rels/.rels", "Booster.nuspec", "package/services/metadata/core-properties/nuget.psmdcp" };
        Assert.Equal(content.Concat(nugetParts).Order(StringComparer.Ordinal), Entries(nupkg).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(content, Entries(zip).Keys.Order(StringComparer.Ordinal));

        // What the folder holds is what ships, dated with the commit in both archives.
        foreach (var archive in new[] { nupkg, zip })
        {
            var entries = Entries(archive);
            foreach (var path in content.Where(p => p != "README.md"))
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(project.PackageFolder("Release"), path)), entries[path].Bytes);
            }

            Assert.All(entries.Values, e => Assert.Equal(CommitTime.UtcDateTime, e.Time));
        }

        var nuspec = System.Text.Encoding.UTF8.GetString(Entries(nupkg)["Booster.nuspec"].Bytes);
        Assert.Contains("<authors>Contoso</authors>", nuspec);
        Assert.Contains("<readme>README.md</readme>", nuspec);
        // The readme says what the package is and how to install it, from what it holds.
        var readme = System.Text.Encoding.UTF8.GetString(Entries(nupkg)["README.md"].Bytes);
        Assert.True(readme.StartsWith($"# Booster {Path.GetFileNameWithoutExtension(nupkg).Substring("Booster.".Length)}\n\nThe Booster driver\n", StringComparison.Ordinal), readme);
        Assert.Contains("| Driver | `booster.inf` (class ", readme);
        Assert.Contains("| Architectures | amd64 |", readme);
        Assert.Contains("| Services | `Booster` |", readme);
        Assert.Contains("test-signed", readme);
        Assert.Contains("tools\\Install-Driver.cmd -TrustTestCertificate", readme);
        Assert.Contains("tools\\Uninstall-Driver.cmd -RemoveTestCertificate", readme);
        Assert.Contains("<license type=\"expression\">MIT</license>", nuspec);
        Assert.DoesNotContain("<dependencies", nuspec);

        // The package verifies with the project's verifier and with osslsigncode, trusting only its own test certificate.
        using var unpacked = new TempDirectory("unpacked");
        ZipFile.ExtractToDirectory(zip, unpacked.Path);
        var certificate = unpacked.Combine("WdkDriverTestCert.cer");
        Assert.Empty(PackageVerifier.VerifyPackageTree(unpacked.Path, new TrustOptions(new[] { X509CertificateLoader.LoadCertificateFromFile(certificate) })));
        ToolProcess.Succeed(unpacked.Path, "openssl", "x509", "-inform", "DER", "-in", certificate, "-out", "test.pem");
        foreach (var file in new[] { "driver/amd64/booster.sys", "driver/amd64/booster.cat", "client/amd64/boost.exe" })
        {
            ToolProcess.Succeed(unpacked.Path, "osslsigncode", "verify", "-CAfile", "test.pem", "-in", unpacked.Combine(file));
        }

        ToolProcess.Succeed(unpacked.Path, "osslsigncode", "verify", "-catalog", unpacked.Combine("driver/amd64/booster.cat"), "-CAfile", "test.pem", "-in", unpacked.Combine("driver/amd64/booster.sys"));

        // A second pack from scratch of the same commit, with the same key, is the same bytes.
        var first = (Nupkg: File.ReadAllBytes(nupkg), Zip: File.ReadAllBytes(zip));
        Directory.Delete(project.Path("bin"), recursive: true);
        Directory.Delete(project.Path("obj"), recursive: true);
        project.ShouldSucceed(project.Dotnet(pack));
        Assert.Equal(first.Nupkg, File.ReadAllBytes(nupkg));
        Assert.Equal(first.Zip, File.ReadAllBytes(zip));
    }

    [CDriverFact]
    public void A_two_platform_pack_holds_both_drivers_and_both_clients()
    {
        var project = sdk.CreateProject("pack-two").WithSample("PrebuiltDriver").WithGitHistory(CommitTime);
        MinimalArm64Driver(project.Path("arm64"));
        project.Write("DotnetClient/DotnetClient.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <!-- No win-arm64 app host is served here. -->
                <UseAppHost Condition="'$(RuntimeIdentifier)' == 'win-arm64'">false</UseAppHost>
              </PropertyGroup>
            </Project>
            """);
        project.Write("DotnetClient/Program.cs", "System.Console.WriteLine(\"hello from .NET\");\n");
        var projectFile = project.Path("PrebuiltDriver.proj");
        File.WriteAllText(projectFile, File.ReadAllText(projectFile).Replace("</Project>", """
              <PropertyGroup><Platforms>x64;ARM64</Platforms></PropertyGroup>
              <ItemGroup>
                <DriverBinary Include="arm64/hello.sys" Platform="ARM64" />
                <ProjectReference Include="DotnetClient/DotnetClient.csproj" />
              </ItemGroup>
            </Project>
            """));

        // dotnet build -o: one folder for both platforms, each platform's package in a folder of its own there, and
        // nothing of the client's private builds beside them.
        project.ShouldSucceed(project.Build("-c", "Release", "-o", "out"));
        Assert.Equal(new[] { "ARM64", "x64" }, Directory.GetFileSystemEntries(project.Path("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(Machine.Arm64, PeFacts.Read(project.Path("out", "ARM64", "package", "driver", "arm64", "hello.sys")).Machine);
        Assert.Equal(Machine.Amd64, PeFacts.Read(project.Path("out", "x64", "package", "driver", "amd64", "hello.sys")).Machine);

        // dotnet pack -o as CI scripts write it, without a trailing slash: every output inside the folder.
        project.ShouldSucceed(project.Dotnet("pack", "-c", "Release", "-p:DriverPackageZip=true", "-p:DriverInstaller=msi", "-o", "packs"));
        Assert.Empty(Directory.GetFiles(project.Directory, "packs*"));

        var zip = Assert.Single(Directory.GetFiles(project.Path("packs"), "PrebuiltDriver.*.zip"));
        // An installer per architecture, each for its platform and with its own driver and client.
        foreach (var (architecture, template) in new[] { ("amd64", "x64;1033"), ("arm64", "Arm64;1033") })
        {
            var msi = Assert.Single(Directory.GetFiles(project.Path("packs"), $"PrebuiltDriver.*.{architecture}.msi"));
            var summary = WdkDriver.Core.CompoundFiles.CompoundFile.Read(msi).Streams.Single(s => s.Name == WdkDriver.Core.Installer.SummaryInformation.StreamName).Data;
            Assert.Contains(template, System.Text.Encoding.Latin1.GetString(summary));
            var installs = WdkDriver.Core.Installer.InstallerFiles.List(WdkDriver.Core.Installer.InstallerDatabaseReader.Read(msi), msi).Select(f => f.Path.Split('/', 4)[3]).ToList();
            Assert.Contains("driver/hello.sys", installs);
            Assert.Contains("DotnetClient.dll", installs);
            Assert.Equal(architecture == "amd64", installs.Contains("hello-client.exe"));
        }

        var entries = Entries(zip);
        var clients = new[] { "DotnetClient.deps.json", "DotnetClient.dll", "DotnetClient.pdb", "DotnetClient.runtimeconfig.json" };
        var expected = new[] { "driver/amd64/hello.cat", "driver/amd64/hello.inf", "driver/amd64/hello.sys", "driver/arm64/hello.cat", "driver/arm64/hello.inf", "driver/arm64/hello.sys" }
            .Concat(clients.Select(c => "client/amd64/" + c)).Concat(new[] { "client/amd64/DotnetClient.exe", "client/amd64/hello-client.exe" })
            .Concat(clients.Select(c => "client/arm64/" + c))
            .Concat(Tools).Append("WdkDriverTestCert.cer").Append("README.md")
            // Each platform's install plan, as each driver folder: the pack merges them from the platforms' packages.
            .Append("tools/install-plan.amd64.json").Append("tools/install-plan.arm64.json")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, entries.Keys.Order(StringComparer.Ordinal));
        var arm64Plan = System.Text.Encoding.UTF8.GetString(entries["tools/install-plan.arm64.json"].Bytes);
        Assert.Contains("\"architecture\": \"arm64\"", arm64Plan);
        Assert.Contains("\"inf\": \"hello.inf\"", arm64Plan);
        var nugetParts = new[] { "[Content_Types].xml", "_rels/.rels", "PrebuiltDriver.nuspec", "package/services/metadata/core-properties/nuget.psmdcp" };
        Assert.Equal(expected.Concat(nugetParts).Order(StringComparer.Ordinal), Entries(Path.ChangeExtension(zip, ".nupkg")).Keys.Order(StringComparer.Ordinal));

        using var unpacked = new TempDirectory("unpacked");
        ZipFile.ExtractToDirectory(zip, unpacked.Path);
        var trust = new TrustOptions(new[] { X509CertificateLoader.LoadCertificateFromFile(unpacked.Combine("WdkDriverTestCert.cer")) });
        Assert.Empty(PackageVerifier.VerifyPackageTree(unpacked.Path, trust));
        Assert.Equal(Machine.Arm64, PeFacts.Read(unpacked.Combine("driver/arm64/hello.sys")).Machine);
        Assert.Equal(Machine.Amd64, PeFacts.Read(unpacked.Combine("driver/amd64/hello.sys")).Machine);
        Assert.Contains("[DefaultInstall.NTarm64]", File.ReadAllLines(unpacked.Combine("driver/arm64/hello.inf")));
        Assert.Equal("Server_v100_ARM64", WdkDriver.Core.Catalogs.CatalogReader.Read(unpacked.Combine("driver/arm64/hello.cat")).Attributes.Single(a => a.Key == "OS").Value);
        // The ARM64 .NET client is a signed PE too, not a file the tree check passed over.
        var client = SignatureVerifier.VerifyPe(unpacked.Combine("client/arm64/DotnetClient.dll"), trust);
        Assert.NotNull(client);
        Assert.Empty(client);
    }

    [Fact]
    public void Packing_without_a_build_is_WDK5003()
    {
        var project = sdk.CreateProject("pack-nobuild");
        project.Write("driver.proj", "<Project Sdk=\"WdkDriver.Sdk\" />");

        var result = project.ShouldFail(project.Dotnet("pack", "--no-build"));

        Assert.Contains($"{project.Path("driver.proj")} : error WDK5003: There is no x64 driver package in 'bin/Release/x64/package/'", result.Output);
    }

    /// <summary>An ARM64 driver that only returns success, built with clang and lld-link: what "a prebuilt binary" stands for.</summary>
    private static void MinimalArm64Driver(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "entry.c"), """
            typedef long NTSTATUS;
            NTSTATUS DriverEntry(void *driver, void *registryPath) { (void)driver; (void)registryPath; return 0; }
            """);
        ToolProcess.Succeed(directory, "clang", "--target=aarch64-pc-windows-msvc", "-O2", "-ffreestanding", "-fno-stack-protector", "-c", "entry.c", "-o", "entry.obj");
        ToolProcess.Succeed(directory, "lld-link", "/nologo", "/machine:arm64", "/driver", "/subsystem:native", "/entry:DriverEntry", "/nodefaultlib", "/Brepro", "/out:hello.sys", "entry.obj");
    }

    private static Dictionary<string, (byte[] Bytes, DateTime Time)> Entries(string archive)
    {
        using var zip = ZipFile.OpenRead(archive);
        return zip.Entries.ToDictionary(
            e => e.FullName,
            e =>
            {
                using var stream = e.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                return (buffer.ToArray(), e.LastWriteTime.DateTime);
            });
    }
}
