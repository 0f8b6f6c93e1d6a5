namespace WdkDriver.Bench;

/// <summary>A no-op dotnet build of the Booster sample against that of an empty Microsoft.Build.NoTargets project.</summary>
public static class BuildOverhead
{
    public static void Run(Report report, string work, int rounds)
    {
        var feed = Path.Combine(RepositoryPaths.Root, "artifacts", "packages");
        var packages = Path.Combine(work, "nuget-packages");
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        Tools.Run(RepositoryPaths.Root, environment, "dotnet", "pack", Path.Combine(RepositoryPaths.Root, "sdk", "WdkDriver.Sdk.csproj"), "-c", "Release", "-o", feed, "-p:EnableGitVersioning=false", "-p:PackageVersion=0.0.0-local", "-v:q");

        var folder = Path.Combine(work, "build");
        var booster = Path.Combine(folder, "Booster");
        SampleCopy.Into("Booster", booster);
        File.WriteAllText(Path.Combine(booster, "NuGet.config"), $"<configuration><packageSources><clear /><add key=\"local\" value=\"{feed}\" /><add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" /></packageSources></configuration>");
        File.WriteAllText(Path.Combine(booster, "Directory.Build.props"), $"<Project><PropertyGroup><TestCertificate>{Path.Combine(work, "cert", "WdkDriverTestCert.pfx")}</TestCertificate><SOURCE_DATE_EPOCH>1700000000</SOURCE_DATE_EPOCH></PropertyGroup></Project>");
        var empty = Path.Combine(folder, "Empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "Empty.proj"), "<Project Sdk=\"Microsoft.Build.NoTargets/3.7.0\"><PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(empty, "NuGet.config"), File.ReadAllText(Path.Combine(booster, "NuGet.config")));

        // Both again in git repositories, as a user's projects are: the .NET SDK's source control targets (Source Link)
        // and Nerdbank.GitVersioning have history to read there.
        var boosterInGit = Path.Combine(folder, "git", "Booster");
        SampleCopy.Into("Booster", boosterInGit);
        File.Copy(Path.Combine(booster, "NuGet.config"), Path.Combine(boosterInGit, "NuGet.config"), overwrite: true);
        File.WriteAllText(Path.Combine(boosterInGit, "Directory.Build.props"), $"<Project><PropertyGroup><TestCertificate>{Path.Combine(work, "cert", "WdkDriverTestCert.pfx")}</TestCertificate></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(boosterInGit, "version.json"), "{ \"version\": \"1.0\" }");
        var emptyInGit = Path.Combine(folder, "git-empty", "Empty");
        TempDirectory.CopyTree(empty, emptyInGit);
        foreach (var repository in new[] { boosterInGit, emptyInGit })
        {
            File.WriteAllText(Path.Combine(repository, ".gitignore"), "target/\nbin/\nobj/\n");
            foreach (var git in new[] { new[] { "init", "-q" }, new[] { "add", "-A" }, new[] { "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", "bench" } })
            {
                Tools.Run(repository, "git", git);
            }
        }

        void Build(string project, bool restore) =>
            Tools.Run(project, environment, "dotnet", restore ? new[] { "build", "-v:q", "-nologo" } : new[] { "build", "--no-restore", "-v:q", "-nologo" });

        foreach (var project in new[] { booster, empty, boosterInGit, emptyInGit })
        {
            Build(project, restore: true);
        }

        // Twice the rounds: a no-op build is short, and the machine's noise is a large share of it.
        var timings = Measure.Interleaved(
            rounds * 2,
            new Contender("empty NoTargets project, dotnet build --no-restore", () => Build(empty, false)),
            new Contender("Booster, dotnet build --no-restore", () => Build(booster, false)),
            new Contender("empty NoTargets project, dotnet build", () => Build(empty, true)),
            new Contender("Booster, dotnet build", () => Build(booster, true)),
            new Contender("empty NoTargets project in a git repository, dotnet build --no-restore", () => Build(emptyInGit, false)),
            new Contender("Booster in a git repository, dotnet build --no-restore", () => Build(boosterInGit, false)));
        report.Table("5. Build overhead: no-op builds (nothing changed)", timings, "vs empty, no restore");
        report.Target("no-op Booster build vs empty NoTargets project (no restore)", timings[1].Median / timings[0].Median, 1.15, atMost: true);
        report.Target("no-op Booster build vs empty NoTargets project (with restore)", timings[3].Median / timings[2].Median, 1.15, atMost: true);
        report.Target("no-op Booster build vs empty NoTargets project, both in git repositories (no restore)", timings[5].Median / timings[4].Median, 1.15, atMost: true);
        report.Line("- A no-op Booster build starts no process: the cargo stage and Nerdbank.GitVersioning's version come from the records of the last build (nothing they depend on changed), and every later stage is skipped as up to date.");
        report.Line();
    }
}
