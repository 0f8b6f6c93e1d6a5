
namespace WdkDriver.Sdk.Tests;

/// <summary>A driver project in its own folder, built with the dotnet CLI against the packed SDK.</summary>
public sealed class TestProject
{
    private static readonly string KeptLogs = System.IO.Path.Combine(RepositoryPaths.Root, "artifacts", "test-logs");
    private readonly SdkPackageFixture fixture;

    internal TestProject(string directory, SdkPackageFixture fixture)
    {
        Directory = directory;
        this.fixture = fixture;
    }

    public string Directory { get; }

    public string Path(params string[] parts) => System.IO.Path.Combine(new[] { Directory }.Concat(parts).ToArray());

    /// <summary>The package folder a build lays out: driver/, client/, tools/ and the test certificate.</summary>
    public string PackageFolder(string configuration = "Debug", string platform = "x64") => Path("bin", configuration, platform, "package");

    /// <summary>The driver package (the folder pnputil installs from) inside the package folder.</summary>
    public string DriverFolder(string configuration = "Debug", string platform = "x64") =>
        System.IO.Path.Combine(PackageFolder(configuration, platform), "driver", platform == "ARM64" ? "arm64" : "amd64");

    public string ClientFolder(string configuration = "Debug", string platform = "x64") =>
        System.IO.Path.Combine(PackageFolder(configuration, platform), "client", platform == "ARM64" ? "arm64" : "amd64");

    public string Write(string relativePath, string content)
    {
        var file = Path(relativePath);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return file;
    }

    /// <summary>Copies a sample into this folder (the crates the samples share beside it); its global.json and NuGet.config stay the test's own.</summary>
    public TestProject WithSample(string sample)
    {
        SampleCopy.Into(sample, Directory, "global.json", "NuGet.config");
        return this;
    }

    /// <summary>Makes the folder a git repository with two commits at a fixed time, as a user's clone would be.</summary>
    public TestProject WithGitHistory(DateTimeOffset commitTime)
    {
        Write(".gitignore", "target/\nbin/\nobj/\n*.binlog\n");
        Git(commitTime, "init", "-q");
        Git(commitTime, "add", "-A");
        return Commit(commitTime, "first").Commit(commitTime, "second");
    }

    /// <summary>One more (empty) commit at the given time.</summary>
    public TestProject Commit(DateTimeOffset commitTime, string message)
    {
        Git(commitTime, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "--allow-empty", "-m", message);
        return this;
    }

    private void Git(DateTimeOffset commitTime, params string[] arguments)
    {
        var date = commitTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var (exitCode, output) = ToolProcess.Run(Directory, "git", arguments, new Dictionary<string, string> { ["GIT_AUTHOR_DATE"] = date, ["GIT_COMMITTER_DATE"] = date });
        Assert.True(exitCode == 0, $"git {string.Join(" ", arguments)}: {output}");
    }

    /// <summary>Environment variables for every dotnet command of this project.</summary>
    public Dictionary<string, string> Environment { get; } = new();

    public DotnetResult Dotnet(params string[] arguments) =>
        DotnetCli.Run(Directory, fixture.NuGetPackages, TimeSpan.FromMinutes(5), Environment, arguments);

    public DotnetResult Build(params string[] arguments) => Dotnet(new[] { "build" }.Concat(arguments).ToArray());

    /// <summary>Starts a dotnet command and kills its whole process tree (nodes, cargo, rustc) after <paramref name="after"/>.</summary>
    public DotnetResult DotnetKilledAfter(TimeSpan after, params string[] arguments) =>
        DotnetCli.Run(Directory, fixture.NuGetPackages, after, Environment, arguments);

    /// <summary>Asserts success; on failure the binary log is kept under artifacts/test-logs for a look with a log viewer.</summary>
    public DotnetResult ShouldSucceed(DotnetResult result)
    {
        if (result.ExitCode != 0)
        {
            Keep(result);
        }

        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public DotnetResult ShouldFail(DotnetResult result)
    {
        if (result.ExitCode == 0)
        {
            Keep(result);
        }

        Assert.True(result.ExitCode != 0, "expected the build to fail: " + result);
        return result;
    }

    private static void Keep(DotnetResult result)
    {
        if (File.Exists(result.BinlogPath))
        {
            System.IO.Directory.CreateDirectory(KeptLogs);
            File.Copy(result.BinlogPath, System.IO.Path.Combine(KeptLogs, Guid.NewGuid().ToString("N")[..8] + "-" + System.IO.Path.GetFileName(result.BinlogPath)));
        }
    }
}
