using System.Text.RegularExpressions;

namespace WdkDriver.Sdk.Tests;

/// <summary>
/// The README's way from a clone of this repository to a new driver, run as written: pack everything, install the
/// templates, create a driver with the packed SDK's feed, test and pack it.
/// </summary>
[Collection(SdkPackageCollection.Name)]
public class TemplateTests
{
    private readonly SdkPackageFixture sdk;

    public TemplateTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    /// <summary>The README's shell block that creates a driver from the template.</summary>
    private static string ReadmeSequence()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        return Regex.Matches(readme, @"^```sh\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value)
            .Single(block => block.Contains("dotnet new wdkdriver"));
    }

    /// <remarks>With Rust's MSVC targets on PATH, as a user who ran rustup target add has them: the driver is built
    /// as on Windows, its .pdb in the package. NewUserTests walks the template with Debian's GNU target alone.</remarks>
    [MsvcRustFact]
    public void The_READMEs_commands_take_a_fresh_clone_to_a_new_driver_that_tests_and_packs_without_a_warning()
    {
        // Where Windows developers keep their sources: a folder with a space and a letter outside ASCII.
        using var root = new TempDirectory("wdk-readme");
        var clone = root.Combine("Jöhn Smith", "source", "WdkDriver.Sdk");
        WorkingTreeClone.Into(clone);
        var sequence = ReadmeSequence();
        Assert.Contains("dotnet pack", sequence);

        // The environment keeps the run apart from the user's (and a NuGet cache of its own, below).
        var environment = sdk.UserEnvironment(root.Combine("dotnet-home"));
        environment["MSBUILDTERMINALLOGGER"] = "off";
        environment["PATH"] = Path.Combine(Requirements.MsvcRust, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        var run = DotnetCli.RunScript(clone, root.Combine("nuget-packages"), TimeSpan.FromMinutes(20), environment, sequence);

        Assert.True(run.ExitCode == 0, run.ToString());
        // One version for the SDK, the templates and the tool; the new driver pins it and restores from the feed.
        var packages = Path.Combine(clone, "artifacts", "packages");
        // The tool: the pointer package, this machine's native one and the framework-dependent 'any'.
        var versions = Directory.GetFiles(packages, "*.nupkg").Select(Path.GetFileName).Select(name => Regex.Match(name!, @"^WdkDriver\.(Sdk|Templates|Cli|Cli\.any|Cli\.linux-x64)\.(\d.*)\.nupkg$")).ToList();
        Assert.Equal(new[] { "Cli", "Cli.any", "Cli.linux-x64", "Sdk", "Templates" }, versions.Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal));
        var version = Assert.Single(versions.Select(m => m.Groups[2].Value).Distinct());
        // dotnet tool install picks this machine's package: the command compiled ahead of time, not a .NET assembly.
        var tools = root.Combine("tools");
        var install = DotnetCli.Run(clone, root.Combine("nuget-packages"), TimeSpan.FromMinutes(2), environment, "tool", "install", "WdkDriver.Cli", "--tool-path", tools, "--add-source", packages, "--version", version);
        Assert.True(install.ExitCode == 0, install.ToString());
        var installed = new FileInfo(Path.Combine(tools, "wdkdriver")).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.Combine(tools, "wdkdriver");
        Assert.EndsWith(Path.Combine("linux-x64", "wdkdriver"), installed);
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(installed).Take(4).ToArray());
        var help = ToolProcess.Run(root.Path, Path.Combine(tools, "wdkdriver"), new[] { "--help" });
        Assert.True(help.ExitCode == 0, help.Output);
        Assert.Contains("verify", help.Output);
        var driver = root.Combine("Jöhn Smith", "source", "PingDriver");
        Assert.Contains($"\"WdkDriver.Sdk\": \"{version}\"", File.ReadAllText(Path.Combine(driver, "global.json")));
        Assert.Contains($"value=\"{packages}\"", File.ReadAllText(Path.Combine(driver, "nuget.config")));
        // The CI definitions, as the template holds them; the new project's README names its own project.
        foreach (var definition in new[] { ".github/workflows/driver.yml", "azure-pipelines.yml" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "templates", "content", "wdkdriver", definition)), File.ReadAllText(Path.Combine(driver, definition)));
        }

        Assert.Contains("| `PingDriver.proj` | The SDK project: builds, stamps `pingdriver.inx`", File.ReadAllText(Path.Combine(driver, "README.md")));
        Assert.Contains("test result: ok. 2 passed; 0 failed", run.Output);
        Assert.Contains("[run 0] DbgPrint: PingDriver: ping 1", run.Output);
        Assert.Contains("Driver test passed: loaded, 1 run(s) as expected, unloaded.", run.Output);
        // Stamped, validated in universal mode, cataloged, signed and packed without a single warning (cargo-wdk's
        // templates fail InfVerif on day one; NuGet used to ask for a package readme).
        Assert.DoesNotContain("warning", run.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("missing a readme", run.Output, StringComparison.OrdinalIgnoreCase);

        var package = Path.Combine(driver, "bin", "Release", "x64", "package");
        Assert.Contains("--target x86_64-pc-windows-msvc --profile release -p pingdriver", run.Output);
        foreach (var file in new[] { "driver/amd64/pingdriver.sys", "driver/amd64/pingdriver.pdb", "driver/amd64/pingdriver.inf", "driver/amd64/pingdriver.cat", "client/amd64/pingdriver-client.exe", "tools/Install-Driver.ps1" })
        {
            Assert.True(File.Exists(Path.Combine(package, file)), file);
        }

        // Version 0.1 from the template's version.json, not NBGV's 0.0.0 without one.
        var nupkg = Assert.Single(Directory.GetFiles(Path.Combine(driver, "bin", "Release", "test-signed"), "PingDriver.*.nupkg"));
        Assert.StartsWith("PingDriver.0.1.", Path.GetFileName(nupkg));
        Assert.Matches(@"DriverVer = \d\d/\d\d/\d{4},0\.1\.\d+\.0", File.ReadAllText(Path.Combine(package, "driver", "amd64", "pingdriver.inf")));
        // And its installer, signed with the same test certificate and verified.
        var msi = Assert.Single(Directory.GetFiles(Path.Combine(driver, "bin", "Release", "test-signed"), "PingDriver.*.amd64.msi"));
        var trust = new WdkDriver.Core.Verification.TrustOptions(new[] { System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(package, "WdkDriverTestCert.cer")) });
        Assert.Empty(WdkDriver.Core.Verification.SignatureVerifier.VerifyInstaller(msi, trust));
        // Ready for the next commit: Cargo.lock committed, everything the builds wrote ignored.
        var (_, status) = ToolProcess.Run(driver, "git", new[] { "status", "--porcelain", "--ignored=no" });
        Assert.Equal(string.Empty, status.Trim());
        Assert.Equal(string.Empty, ToolProcess.Run(driver, "git", new[] { "ls-files", "--others", "--exclude-standard" }).Output.Trim());
        Assert.Contains("Cargo.lock", ToolProcess.Run(driver, "git", new[] { "ls-files" }).Output);

        // The same commit (the README's last) packed twice from scratch gives the same bytes: every output, the
        // package and the installer whose driver and client cargo linked. (NewUserTests installs, upgrades and
        // removes the template's installer under wine.)
        Dictionary<string, byte[]> PackFromScratch()
        {
            foreach (var folder in new[] { "bin", "obj", "target" })
            {
                Directory.Delete(Path.Combine(driver, folder), recursive: true);
            }

            var packed = DotnetCli.Run(driver, root.Combine("nuget-packages"), TimeSpan.FromMinutes(10), environment, "pack", "-p:DriverInstaller=msi", "-p:DriverPackageZip=true");
            Assert.True(packed.ExitCode == 0, packed.ToString());
            return Directory.GetFiles(Path.Combine(driver, "bin", "Release", "test-signed")).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        }

        var first = PackFromScratch();
        var again = PackFromScratch();
        Assert.Equal(3, first.Count);
        Assert.Equal(first.Keys.Order(StringComparer.Ordinal), again.Keys.Order(StringComparer.Ordinal));
        Assert.All(first, f => Assert.True(f.Value.AsSpan().SequenceEqual(again[f.Key]), f.Key + " differs between two packs from scratch"));
    }

    [Fact]
    public void The_ci_option_chooses_the_definitions_and_no_feed_means_no_nuget_config()
    {
        using var root = new TempDirectory("wdk-template-options");
        var environment = new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = root.Combine("dotnet-home") };
        DotnetResult New(params string[] arguments) => DotnetCli.Run(root.Path, sdk.NuGetPackages, TimeSpan.FromMinutes(2), environment, arguments);
        var install = New("new", "install", sdk.TemplatesPackagePath);
        Assert.True(install.ExitCode == 0, install.ToString());

        foreach (var (ci, github, azure) in new[] { ("azure", false, true), ("github", true, false), ("none", false, false), ("both", true, true) })
        {
            var created = New("new", "wdkdriver", "-n", "Echo", "-o", root.Combine(ci), "--ci", ci);

            Assert.True(created.ExitCode == 0, created.ToString());
            Assert.Equal(github, File.Exists(root.Combine(ci, ".github", "workflows", "driver.yml")));
            Assert.Equal(azure, File.Exists(root.Combine(ci, "azure-pipelines.yml")));
            Assert.False(File.Exists(root.Combine(ci, "nuget.config")), ci);
            Assert.True(File.Exists(root.Combine(ci, "Echo.proj")), ci);
        }
    }

    /// <summary>
    /// Any name makes a project that builds: one identifier for the crates, the INF, the catalog, the driver and its
    /// service, derived the same way everywhere (lower case, other characters made _, a leading digit prefixed with _,
    /// a Rust keyword suffixed with _driver).
    /// </summary>
    [WindowsRustTheory]
    [InlineData("Ping-Driver", "ping_driver")]
    [InlineData("1Ping", "_1ping")]
    [InlineData("PINGER", "pinger")]
    [InlineData("Ping.Driver", "ping_driver")]
    [InlineData("type", "type_driver")]
    [InlineData("Pïng", "p_ng")]
    [InlineData("3D Printer", "_3d_printer")]
    public void Any_name_gives_one_identifier_everywhere_and_a_project_that_builds(string name, string identifier)
    {
        using var root = new TempDirectory("wdk-template-names");
        var environment = sdk.UserEnvironment(root.Combine("dotnet-home"));
        DotnetResult Run(string directory, params string[] arguments) => DotnetCli.Run(directory, sdk.NuGetPackages, TimeSpan.FromMinutes(5), environment, arguments);
        Assert.Equal(0, Run(root.Path, "new", "install", sdk.TemplatesPackagePath).ExitCode);
        var project = root.Combine("project");

        var created = Run(root.Path, "new", "wdkdriver", "-n", name, "-o", project, "--sdkFeed", sdk.Feed);
        Assert.True(created.ExitCode == 0, created.ToString());
        // Committed, as the README's sequence does: DriverVer's date and version come from the commit.
        foreach (var arguments in new[] { new[] { "init", "-q" }, new[] { "add", "-A" }, new[] { "commit", "-qm", "A new driver" } })
        {
            Assert.Equal(0, ToolProcess.Run(project, "git", arguments, environment).ExitCode);
        }

        var build = Run(project, "build");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain(": warning ", build.Output, StringComparison.Ordinal);
        Assert.Contains("0 Warning(s)", build.Output);
        Assert.True(File.Exists(Path.Combine(project, $"{name}.proj")));
        Assert.True(File.Exists(Path.Combine(project, $"{identifier}.inx")));
        var package = Path.Combine(project, "bin", "Debug", "x64", "package");
        foreach (var file in new[] { $"driver/amd64/{identifier}.sys", $"driver/amd64/{identifier}.inf", $"driver/amd64/{identifier}.cat", $"client/amd64/{identifier}-client.exe" })
        {
            Assert.True(File.Exists(Path.Combine(package, file)), file);
        }

        Assert.Contains($"AddService = {identifier},", File.ReadAllText(Path.Combine(package, "driver", "amd64", $"{identifier}.inf")));
        // A name NuGet would refuse as a package id still packs: the template made a valid id from it.
        if (name.Contains(' '))
        {
            var pack = Run(project, "pack");
            Assert.True(pack.ExitCode == 0, pack.ToString());
            Assert.Equal(name.Replace(' ', '-') + ".0.1.1.nupkg", Path.GetFileName(Assert.Single(Directory.GetFiles(Path.Combine(project, "bin", "Release", "test-signed"), "*.nupkg"))));
        }
    }

    /// <summary>
    /// The answer for CI until the SDK is on nuget.org: the SDK's .nupkg committed in a folder of the project, named
    /// relatively by --sdkFeed; a fresh clone with an empty NuGet cache restores and builds from it.
    /// </summary>
    [WindowsRustFact]
    public void A_feed_folder_committed_in_the_project_restores_the_SDK_in_a_fresh_clone_as_CI_would()
    {
        using var root = new TempDirectory("wdk-template-feed");
        var environment = sdk.UserEnvironment(root.Combine("dotnet-home"));
        Assert.Equal(0, DotnetCli.Run(root.Path, sdk.NuGetPackages, TimeSpan.FromMinutes(2), environment, "new", "install", sdk.TemplatesPackagePath).ExitCode);
        var project = root.Combine("Vendored");
        var created = DotnetCli.Run(root.Path, sdk.NuGetPackages, TimeSpan.FromMinutes(2), environment, "new", "wdkdriver", "-n", "Vendored", "-o", project, "--sdkFeed", "packages");
        Assert.True(created.ExitCode == 0, created.ToString());
        Directory.CreateDirectory(Path.Combine(project, "packages"));
        File.Copy(sdk.PackagePath, Path.Combine(project, "packages", Path.GetFileName(sdk.PackagePath)));
        foreach (var arguments in new[] { new[] { "init", "-q" }, new[] { "add", "-A" }, new[] { "commit", "-qm", "A new driver" } })
        {
            Assert.Equal(0, ToolProcess.Run(project, "git", arguments, environment).ExitCode);
        }

        Assert.Equal(0, ToolProcess.Run(root.Path, "git", new[] { "clone", "-q", project, root.Combine("ci") }).ExitCode);
        var build = DotnetCli.Run(root.Combine("ci"), root.Combine("empty-nuget-cache"), TimeSpan.FromMinutes(5), environment, "build");

        Assert.Contains("value=\"packages\"", File.ReadAllText(Path.Combine(project, "nuget.config")));
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(File.Exists(Path.Combine(root.Combine("empty-nuget-cache"), "wdkdriver.sdk", sdk.Version, $"wdkdriver.sdk.{sdk.Version}.nupkg")), "the SDK came from the committed feed");
        Assert.True(File.Exists(Path.Combine(root.Combine("ci"), "bin", "Debug", "x64", "package", "driver", "amd64", "vendored.sys")));
    }
}
