namespace WdkDriver.Sdk.Tests;

/// <summary><c>dotnet new wdkdriver</c>: a new driver workspace that passes the whole pipeline as created.</summary>
[Collection(SdkPackageCollection.Name)]
public class TemplateTests
{
    private readonly SdkPackageFixture sdk;

    public TemplateTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    [WineFact]
    public void A_new_driver_builds_validates_without_warnings_signs_packs_and_passes_its_driver_test()
    {
        var project = sdk.CreateProject("template");
        File.Delete(project.Path("global.json"));
        project.Environment["DOTNET_CLI_HOME"] = sdk.DotnetCliHome;
        project.ShouldSucceed(project.Dotnet("new", "install", sdk.TemplatesPackagePath));

        project.ShouldSucceed(project.Dotnet("new", "wdkdriver", "-n", "PingDriver", "-o", project.Directory));

        Assert.Contains($"\"WdkDriver.Sdk\": \"{sdk.Version}\"", File.ReadAllText(project.Path("global.json")));
        Assert.True(File.Exists(project.Path("pingdriver.inx")));
        project.WithGitHistory(new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero));

        var test = project.ShouldSucceed(project.Dotnet("test"));

        Assert.Contains("test result: ok. 2 passed; 0 failed", test.Output);
        Assert.Contains("[run 0] DbgPrint: PingDriver: ping 1", test.Output);
        Assert.Contains("Driver test passed: loaded, 1 run(s) as expected, unloaded.", test.Output);
        // Stamped, validated in universal mode, cataloged and signed without a single warning (cargo-wdk's templates
        // fail InfVerif on day one).
        Assert.DoesNotContain("warning", test.Output, StringComparison.OrdinalIgnoreCase);

        var pack = project.ShouldSucceed(project.Dotnet("pack"));
        Assert.DoesNotContain("warning", pack.Output, StringComparison.OrdinalIgnoreCase);
        var package = project.PackageFolder("Release");
        foreach (var file in new[] { "driver/amd64/pingdriver.sys", "driver/amd64/pingdriver.inf", "driver/amd64/pingdriver.cat", "client/amd64/pingdriver-client.exe", "tools/Install-Driver.ps1" })
        {
            Assert.True(File.Exists(Path.Combine(package, file)), file);
        }

        Assert.Single(Directory.GetFiles(project.Path("bin", "Release"), "PingDriver.*.nupkg"));
    }
}
