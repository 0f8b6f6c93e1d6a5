namespace WdkDriver.Scripts.Tests;

/// <summary>
/// This repository's release workflow, its steps run here as GitHub runs them, with recorders for <c>dotnet</c> and
/// <c>gh</c>: what it would publish and attach (a dry run; nuget.org and GitHub are not reached).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RepositoryReleaseTests : IDisposable
{
    private static readonly string Workflow = Path.Combine(RepositoryPaths.Root, ".github", "workflows", "release.yml");
    private static readonly string[] Packages =
    {
        "WdkDriver.Sdk", "WdkDriver.Templates", "WdkDriver.Cli", "WdkDriver.Cli.any", "WdkDriver.Cli.linux-x64",
        "WdkDriver.Cli.linux-arm64", "WdkDriver.Cli.win-x64", "WdkDriver.Cli.win-arm64", "WdkDriver.Cli.osx-arm64",
    };

    private readonly TempDirectory directory = new("wdk-repository-release");

    public RepositoryReleaseTests()
    {
        foreach (var tool in new[] { "dotnet", "gh" })
        {
            var recorder = directory.Write($"bin/{tool}", $"#!/bin/bash\nprintf '%s\\n' \"$*\" >> \"$RECORDS/{tool}\"\n");
            File.SetUnixFileMode(recorder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.CreateDirectory(directory.Combine("records"));
        Directory.CreateDirectory(directory.Combine("workspace", "packages"));
    }

    public void Dispose() => directory.Dispose();

    private void Artifacts(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            File.WriteAllText(directory.Combine("workspace", "packages", name), "a package");
        }
    }

    private (int ExitCode, string Output) Step(string step, Dictionary<string, string>? settings = null)
    {
        var script = directory.Write("step.sh", CiDefinitions.Script(Workflow, step).Text);
        var environment = new Dictionary<string, string>(settings ?? new())
        {
            ["PATH"] = directory.Combine("bin") + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["RECORDS"] = directory.Combine("records"),
            ["GITHUB_REPOSITORY"] = "wdkdriver/WdkDriver.Sdk",
        };
        return ToolProcess.Run(directory.Combine("workspace"), "bash", new[] { "--noprofile", "--norc", "-eo", "pipefail", script }, environment);
    }

    private string[] Recorded(string tool) => File.ReadAllLines(directory.Combine("records", tool));

    [Fact]
    public void A_release_publishes_and_attaches_the_nine_packages_of_one_version_with_the_short_lived_key()
    {
        Artifacts(Packages.Select(p => $"{p}.0.1.130.nupkg"));

        var check = Step("Check the packages");
        var push = Step("Publish to nuget.org", new() { ["NUGET_API_KEY"] = "short-lived-key" });
        var attach = Step("Attach the packages to the GitHub release", new() { ["TAG"] = "v0.1", ["GH_TOKEN"] = "token" });

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("Publishing version 0.1.130", check.Output);
        Assert.True(push.ExitCode == 0, push.Output);
        var pushes = Recorded("dotnet");
        Assert.Equal(9, pushes.Length);
        Assert.All(pushes, p => Assert.Matches(@"^nuget push packages/WdkDriver\.\S+\.0\.1\.130\.nupkg --api-key short-lived-key --source https://api\.nuget\.org/v3/index\.json --skip-duplicate$", p));
        Assert.True(attach.ExitCode == 0, attach.Output);
        var release = Assert.Single(Recorded("gh"));
        Assert.StartsWith("release create v0.1 ", release);
        Assert.All(Packages, p => Assert.Contains($"packages/{p}.0.1.130.nupkg", release));
    }

    [Theory]
    [InlineData("WdkDriver.Cli.osx-arm64.0.1.129.nupkg")]
    [InlineData(null)]
    public void Packages_of_two_versions_or_a_missing_platform_stop_the_release(string? odd)
    {
        Artifacts(Packages.Where(p => p != "WdkDriver.Cli.osx-arm64").Select(p => $"{p}.0.1.130.nupkg").Concat(odd is null ? Array.Empty<string>() : new[] { odd }));

        var check = Step("Check the packages");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("::error::Expected nine packages of one version", check.Output);
    }
}
