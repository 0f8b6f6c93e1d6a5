namespace WdkDriver.Bench;

/// <summary>
/// Booster built from scratch (cargo included: bin/, obj/ and target/ removed each round), its driver for the MSVC
/// target linked by rust-lld against the GNU target linked by mingw's ld. With the MSVC toolchain the client is built
/// for GNU in a second cargo run, as on any Linux host without the MSVC C runtime.
/// </summary>
public static class RustTargets
{
    public static void Run(Report report, string work, int rounds)
    {
        var msvcRust = Environment.GetEnvironmentVariable("WDK_MSVC_RUST") is { Length: > 0 } folder ? folder : "/opt/wdkdriver/rust-msvc-1.96";
        if (!File.Exists(Path.Combine(msvcRust, "bin", "cargo")))
        {
            report.Line($"### 9. Rust targets: not measured, no Rust for the MSVC targets in {msvcRust} (eng/install-msvc-rust.sh)");
            report.Line();
            return;
        }

        var feed = Path.Combine(RepositoryPaths.Root, "artifacts", "packages");
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work, "nuget-packages"), ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        Tools.Run(RepositoryPaths.Root, environment, "dotnet", "pack", Path.Combine(RepositoryPaths.Root, "sdk", "WdkDriver.Sdk.csproj"), "-c", "Release", "-o", feed, "-p:EnableGitVersioning=false", "-p:PackageVersion=0.0.0-local", "-v:q");

        string Copy(string name)
        {
            var booster = Path.Combine(work, "rust-targets", name, "Booster");
            SampleCopy.Into("Booster", booster);
            File.WriteAllText(Path.Combine(booster, "NuGet.config"), $"<configuration><packageSources><clear /><add key=\"local\" value=\"{feed}\" /><add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" /></packageSources></configuration>");
            File.WriteAllText(Path.Combine(booster, "Directory.Build.props"), $"<Project><PropertyGroup><TestCertificate>{Path.Combine(work, "cert", "WdkDriverTestCert.pfx")}</TestCertificate><SOURCE_DATE_EPOCH>1700000000</SOURCE_DATE_EPOCH></PropertyGroup></Project>");
            return booster;
        }

        var gnu = Copy("gnu");
        var msvc = Copy("msvc");
        var msvcEnvironment = new Dictionary<string, string>(environment) { ["PATH"] = Path.Combine(msvcRust, "bin") + ":" + Environment.GetEnvironmentVariable("PATH") };

        void Scratch(string project)
        {
            foreach (var output in new[] { "bin", "obj", "target" })
            {
                var path = Path.Combine(project, output);
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
            }

            Tools.Run(project, environment, "dotnet", "restore", "-v:q", "-nologo");
        }

        void Build(string project, IReadOnlyDictionary<string, string> variables, string configuration) =>
            Tools.Run(project, variables, "dotnet", "build", "--no-restore", "-c", configuration, "-v:q", "-nologo");

        var timings = Measure.Interleaved(
            rounds,
            new Contender("GNU (mingw ld), Debug", () => Build(gnu, environment, "Debug"), () => Scratch(gnu)),
            new Contender("MSVC (rust-lld) driver + GNU client, Debug", () => Build(msvc, msvcEnvironment, "Debug"), () => Scratch(msvc)),
            new Contender("GNU (mingw ld), Release (lto)", () => Build(gnu, environment, "Release"), () => Scratch(gnu)),
            new Contender("MSVC (rust-lld) driver + GNU client, Release (lto)", () => Build(msvc, msvcEnvironment, "Release"), () => Scratch(msvc)));
        report.Table("9. Rust targets: Booster built from scratch, cargo included", timings, "vs GNU, Debug");
        report.Line($"- Release: the MSVC build takes {timings[3].Median / timings[2].Median:0.00}× the GNU build's time, and gives the driver's .pdb (line tables) and ARM64; two cargo runs (driver, then the client for GNU) against one.");
        report.Line();
    }
}
