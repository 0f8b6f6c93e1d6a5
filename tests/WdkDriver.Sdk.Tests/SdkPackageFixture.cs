using System.Text.RegularExpressions;

namespace WdkDriver.Sdk.Tests;

/// <summary>
/// Packs the SDK (and its dotnet new templates) once per test run into a private feed. Every build in the run uses a private NuGet cache as well,
/// so it always resolves the package just packed, never one a cache kept from an earlier run under the same version.
/// </summary>
public sealed class SdkPackageFixture : IDisposable
{
    private readonly TempDirectory root = new("wdk-e2e");

    public SdkPackageFixture()
    {
        Directory.CreateDirectory(Feed);
        var result = DotnetCli.Run(
            RepositoryPaths.Root,
            NuGetPackages,
            TimeSpan.FromMinutes(5),
            null,
            "pack", Path.Combine(RepositoryPaths.Root, "sdk", "WdkDriver.Sdk.csproj"), "-c", "Release", "-o", Feed);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("Packing the SDK failed: " + result);
        }

        var package = Directory.GetFiles(Feed, "WdkDriver.Sdk.*.nupkg").Single();
        Version = Regex.Match(Path.GetFileName(package), @"^WdkDriver\.Sdk\.(.+)\.nupkg$").Groups[1].Value;

        var templates = DotnetCli.Run(RepositoryPaths.Root, NuGetPackages, TimeSpan.FromMinutes(5), null,
            "pack", Path.Combine(RepositoryPaths.Root, "templates", "WdkDriver.Templates.csproj"), "-c", "Release", "-o", Feed);
        if (templates.ExitCode != 0)
        {
            throw new InvalidOperationException("Packing the templates failed: " + templates);
        }
    }

    public string Feed => root.Combine("feed");

    public string NuGetPackages => root.Combine("nuget-packages");

    public string Version { get; }

    /// <summary>One per-run test certificate, created by the first build that signs (as the per-user one would be).</summary>
    public string TestCertificate => root.Combine("test-certificate", "WdkDriverTestCert.pfx");

    /// <summary>One wine prefix for the run's driver tests, made by the first of them.</summary>
    public string WinePrefix => root.Combine("wine");

    /// <summary>
    /// The environment of a new user's commands, apart from the machine's: a dotnet home of their own (the templates
    /// they install), the run's test certificate and wine prefix, and a git identity for their commits.
    /// </summary>
    public Dictionary<string, string> UserEnvironment(string dotnetHome) => new()
    {
        ["DOTNET_CLI_HOME"] = dotnetHome,
        ["TestCertificate"] = TestCertificate,
        ["WdkWinePrefix"] = WinePrefix,
        ["GIT_AUTHOR_NAME"] = "test",
        ["GIT_AUTHOR_EMAIL"] = "test@example.invalid",
        ["GIT_COMMITTER_NAME"] = "test",
        ["GIT_COMMITTER_EMAIL"] = "test@example.invalid",
    };

    /// <summary>The dotnet new templates of the same version as the SDK.</summary>
    public string TemplatesPackagePath => Path.Combine(Feed, $"WdkDriver.Templates.{Version}.nupkg");

    public string PackagePath => Path.Combine(Feed, $"WdkDriver.Sdk.{Version}.nupkg");

    /// <summary>A folder for one test's project, with a global.json that pins the packed SDK and a NuGet.config for the feed.</summary>
    public TestProject CreateProject(string name)
    {
        var directory = root.Combine("projects", name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(directory);
        var project = new TestProject(directory, this);
        project.Write("global.json", $$"""{ "msbuild-sdks": { "WdkDriver.Sdk": "{{Version}}" } }""");
        project.Write("NuGet.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="test-feed" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        // Nothing from the folders above (the system's temporary folder) may leak into the build, and the tests'
        // test certificate and wine prefix live with the run, not in the user's profile.
        project.Write("Directory.Build.props", $"<Project><PropertyGroup><TestCertificate>{TestCertificate}</TestCertificate><WdkWinePrefix>{WinePrefix}</WdkWinePrefix></PropertyGroup></Project>");
        project.Write("Directory.Build.targets", "<Project />");
        return project;
    }

    public void Dispose() => root.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SdkPackageCollection : ICollectionFixture<SdkPackageFixture>
{
    public const string Name = "packed SDK";
}
