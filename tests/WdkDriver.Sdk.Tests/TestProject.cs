
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

    public string Write(string relativePath, string content)
    {
        var file = Path(relativePath);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return file;
    }

    /// <summary>Copies a sample into this folder; its global.json and NuGet.config stay the test's own.</summary>
    public TestProject WithSample(string sample)
    {
        var source = System.IO.Path.Combine(RepositoryPaths.Samples, sample);
        foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(source))
        {
            var name = System.IO.Path.GetFileName(entry);
            if (name is "global.json" or "NuGet.config" or "target" or "bin" or "obj")
            {
                continue;
            }

            if (System.IO.Directory.Exists(entry))
            {
                TempDirectory.CopyTree(entry, Path(name));
            }
            else
            {
                File.Copy(entry, Path(name));
            }
        }

        return this;
    }

    /// <summary>Environment variables for every dotnet command of this project.</summary>
    public Dictionary<string, string> Environment { get; } = new();

    public DotnetResult Dotnet(params string[] arguments) =>
        DotnetCli.Run(Directory, fixture.NuGetPackages, TimeSpan.FromMinutes(5), Environment, arguments);

    public DotnetResult Build(params string[] arguments) => Dotnet(new[] { "build" }.Concat(arguments).ToArray());

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
