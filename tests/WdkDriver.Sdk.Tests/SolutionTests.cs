namespace WdkDriver.Sdk.Tests;

/// <summary>
/// Driver projects as .NET developers keep them: two drivers from the template and a .NET console client in one
/// solution made with <c>dotnet new sln</c> and <c>dotnet sln add</c>, the client also built on its own, driven by
/// the usual verbs and options.
/// </summary>
[Collection(SdkPackageCollection.Name)]
public class SolutionTests
{
    private readonly SdkPackageFixture sdk;

    public SolutionTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    [WineFact]
    public void A_solution_of_two_drivers_and_a_dotnet_client_builds_tests_packs_and_cleans_with_the_usual_verbs()
    {
        using var root = new TempDirectory("wdk-solution");
        var solution = root.Combine("Devices");
        Directory.CreateDirectory(solution);
        var environment = sdk.UserEnvironment(root.Combine("dotnet-home"));
        DotnetResult Dotnet(params string[] arguments) => DotnetCli.Run(solution, sdk.NuGetPackages, TimeSpan.FromMinutes(8), environment, arguments);
        DotnetResult Succeed(params string[] arguments)
        {
            var result = Dotnet(arguments);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result;
        }

        Succeed("new", "install", sdk.TemplatesPackagePath);
        Succeed("new", "wdkdriver", "-n", "Ping", "--sdkFeed", sdk.Feed, "--ci", "none");
        Succeed("new", "wdkdriver", "-n", "Echo", "--sdkFeed", sdk.Feed, "--ci", "none");
        Succeed("new", "console", "-n", "PingClient");
        // What docs/using-the-sdk.md says a solution needs: the SDK's version and feed where every project sees them.
        File.Copy(Path.Combine(solution, "Ping", "global.json"), Path.Combine(solution, "global.json"));
        File.Copy(Path.Combine(solution, "Ping", "nuget.config"), Path.Combine(solution, "nuget.config"));
        var pingProject = Path.Combine(solution, "Ping", "Ping.proj");
        File.WriteAllText(pingProject, File.ReadAllText(pingProject).Replace("</Project>", """
              <ItemGroup>
                <ProjectReference Include="../PingClient/PingClient.csproj" />
              </ItemGroup>
            </Project>
            """));
        Succeed("new", "sln", "-n", "Devices");
        var slnx = Path.Combine(solution, "Devices.slnx");
        foreach (var project in new[] { "PingClient/PingClient.csproj", "Ping/Ping.proj", "Echo/Echo.proj" })
        {
            Succeed("sln", slnx, "add", project);
        }

        Assert.Contains("Ping/Ping.proj\" Type=\"13b669be-bb05-4ddf-9536-439f39a36129\"", File.ReadAllText(slnx));
        foreach (var arguments in new[] { new[] { "init", "-q" }, new[] { "add", "-A" }, new[] { "commit", "-qm", "Two drivers and a client" } })
        {
            Assert.Equal(0, ToolProcess.Run(solution, "git", arguments, environment).ExitCode);
        }

        // The client on its own first: its obj/ then holds generated sources the driver's copy must not compile.
        Succeed("build", "PingClient/PingClient.csproj");
        var build = Succeed("build", slnx, "-m");
        Assert.DoesNotContain("CS0579", build.Output, StringComparison.Ordinal);
        Assert.Contains($"Ping -> {Path.Combine(solution, "Ping", "bin", "Debug", "x64", "package")}/ (driver package, ", build.Output);
        Assert.Contains($"Echo -> {Path.Combine(solution, "Echo", "bin", "Debug", "x64", "package")}/ (driver package, ", build.Output);
        var pingClient = Path.Combine(solution, "Ping", "bin", "Debug", "x64", "package", "client", "amd64");
        Assert.True(File.Exists(Path.Combine(pingClient, "PingClient.dll")));
        Assert.True(File.Exists(Path.Combine(pingClient, "ping-client.exe")));
        // The client's own build is its own: a framework-dependent build for this machine, untouched.
        Assert.True(File.Exists(Path.Combine(solution, "PingClient", "bin", "Debug", "net10.0", "PingClient.dll")));
        Assert.False(Directory.Exists(Path.Combine(solution, "PingClient", "bin", "Debug", "net10.0", "win-x64")));

        // -o on one driver: its package in the folder, and nothing of its client's private build beside it.
        Succeed("build", "Ping/Ping.proj", "-o", "out-ping");
        Assert.Equal(new[] { "package" }, Directory.GetFileSystemEntries(Path.Combine(solution, "out-ping")).Select(Path.GetFileName));
        // -o on the solution: each driver's package in a folder of its own.
        Succeed("build", slnx, "-o", "out-all");
        foreach (var driver in new[] { "Ping", "Echo" })
        {
            Assert.True(File.Exists(Path.Combine(solution, "out-all", driver, "package", "driver", "amd64", driver.ToLowerInvariant() + ".sys")), driver);
        }

        var test = Succeed("test", slnx);
        Assert.Contains("[run 0] DbgPrint: Ping: ping 1", test.Output);
        Assert.Contains("[run 0] DbgPrint: Echo: ping 1", test.Output);

        // dotnet pack -o as CI scripts write it (no trailing slash): every output in the folder.
        Succeed("pack", slnx, "-o", "packages", "-p:DriverInstaller=msi", "-p:DriverPackageZip=true");
        var packed = Directory.GetFiles(Path.Combine(solution, "packages")).Select(Path.GetFileName).ToList();
        foreach (var driver in new[] { "Ping", "Echo" })
        {
            Assert.Contains(packed, f => f!.StartsWith(driver + ".0.1.", StringComparison.Ordinal) && f.EndsWith(".nupkg", StringComparison.Ordinal));
            Assert.Contains(packed, f => f!.StartsWith(driver + ".0.1.", StringComparison.Ordinal) && f.EndsWith(".zip", StringComparison.Ordinal));
            Assert.Contains(packed, f => f!.StartsWith(driver + ".0.1.", StringComparison.Ordinal) && f.EndsWith(".amd64.msi", StringComparison.Ordinal));
        }

        Assert.Empty(Directory.GetFiles(solution, "packages*.*"));

        // dotnet clean takes away what the builds wrote under obj/<Configuration>/<Platform>/, the private client
        // builds and the driver test's folder included.
        Succeed("clean", slnx);
        Succeed("clean", slnx, "-c", "Release");
        foreach (var driver in new[] { "Ping", "Echo" })
        {
            foreach (var configuration in new[] { "Debug", "Release" })
            {
                var intermediate = Path.Combine(solution, driver, "obj", configuration, "x64");
                Assert.False(Directory.Exists(Path.Combine(intermediate, "clients")), intermediate);
                Assert.False(Directory.Exists(Path.Combine(intermediate, "drivertest")), intermediate);
                Assert.False(Directory.Exists(Path.Combine(solution, driver, "bin", configuration, "x64", "package")), driver);
            }
        }
    }
}
