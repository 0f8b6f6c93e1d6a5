using WdkDriver.Core.Cargo;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Tests;

/// <summary>
/// The cargo stage's record of its last build, with real cargo on a copy of the Booster sample: a build with nothing
/// changed starts no process and hands over what cargo built; every kind of change cargo would notice runs cargo.
/// </summary>
[Collection(ProcessEnvironment.Name)]
public class CargoBuildStateTests : IDisposable
{
    private readonly TempDirectory temp = new("cargo-state");
    private readonly CountingRunner runner = new();
    private readonly string manifest;
    private readonly string stateFile;

    public CargoBuildStateTests()
    {
        // With the shared crates beside it: kernel/ is a path dependency outside the workspace.
        SampleCopy.Into("Booster", temp.Combine("Booster"));
        manifest = temp.Combine("Booster", "Cargo.toml");
        stateFile = temp.Combine("Booster", "obj", "cargo-build.state");
    }

    public void Dispose() => temp.Dispose();

    private CargoDriverBuildOptions Options => new(manifest, temp.Combine("Booster", "Booster.proj"), "x64", "Debug");

    /// <returns>The result and how many processes the build started.</returns>
    private (CargoDriverBuildResult Result, int Processes) Build(CargoDriverBuildOptions? options = null)
    {
        var sink = new RecordingSink();
        var before = runner.Started;
        var result = new CargoDriverBuild(runner, sink).Run(options ?? Options, CancellationToken.None, stateFile);
        Assert.True(result is not null, string.Join("\n", sink.Diagnostics));
        return (result!, runner.Started - before);
    }

    private static void Touch(string file) => File.SetLastWriteTimeUtc(file, DateTime.UtcNow);

    [WindowsRustFact]
    public void A_build_with_nothing_changed_starts_no_process_and_hands_over_what_cargo_built()
    {
        var (first, firstProcesses) = Build();
        var (second, secondProcesses) = Build();

        Assert.True(firstProcesses >= 2, $"{firstProcesses} processes");
        Assert.Equal(0, secondProcesses);
        Assert.Equal(first with { Outputs = second.Outputs }, second);
        Assert.Equal(first.Outputs.Binary, second.Outputs.Binary);
        Assert.Equal(first.Outputs.PackageFileName, second.Outputs.PackageFileName);
        Assert.Equal(first.Outputs.ClientFiles, second.Outputs.ClientFiles);
        Assert.Equal("booster.sys", second.Outputs.PackageFileName);
        Assert.Contains(second.Outputs.ClientFiles, f => Path.GetFileName(f) == "boost.exe");
    }

    [WindowsRustFact]
    public void Every_change_cargo_would_notice_runs_cargo()
    {
        Build();
        var binary = Build().Result.Outputs.Binary;

        // A source file of a path dependency outside the workspace (from cargo's dep-info): rebuilt.
        var written = File.GetLastWriteTimeUtc(binary);
        Touch(temp.Combine("kernel", "src", "lib.rs"));
        Assert.NotEqual(0, Build().Processes);
        Assert.True(File.GetLastWriteTimeUtc(binary) > written, "the driver was not rebuilt");
        Assert.Equal(0, Build().Processes);

        // That dependency's manifest, the lock file, and a cargo configuration file created in the workspace.
        Touch(temp.Combine("kernel", "Cargo.toml"));
        Assert.NotEqual(0, Build().Processes);
        Touch(temp.Combine("Booster", "Cargo.lock"));
        Assert.NotEqual(0, Build().Processes);
        temp.Write(Path.Combine("Booster", ".cargo", "config.toml"), "[term]\nverbose = false\n");
        Assert.NotEqual(0, Build().Processes);
        Assert.Equal(0, Build().Processes);

        // Another request, and an output that went missing.
        Assert.NotEqual(0, Build(Options with { ExtraArguments = new[] { "--quiet" } }).Processes);
        Assert.NotEqual(0, Build().Processes);
        File.Delete(binary);
        Assert.NotEqual(0, Build().Processes);
        Assert.True(File.Exists(binary));
        Assert.Equal(0, Build().Processes);
    }

    [WindowsRustFact]
    public void Variables_of_cargo_and_those_a_build_script_declares_are_part_of_the_record()
    {
        var buildScript = temp.Combine("Booster", "driver", "build.rs");
        File.WriteAllText(buildScript, File.ReadAllText(buildScript).Replace("fn main() {", "fn main() {\n    println!(\"cargo:rerun-if-env-changed=BOOSTER_STATE_TEST_LEVEL\");"));
        Build();
        Assert.Equal(0, Build().Processes);
        try
        {
            Environment.SetEnvironmentVariable("BOOSTER_STATE_TEST_LEVEL", "2");
            Assert.NotEqual(0, Build().Processes);
            Assert.Equal(0, Build().Processes);
            Environment.SetEnvironmentVariable("CARGO_WDK_STATE_TEST", "1");
            Assert.NotEqual(0, Build().Processes);
        }
        finally
        {
            Environment.SetEnvironmentVariable("BOOSTER_STATE_TEST_LEVEL", null);
            Environment.SetEnvironmentVariable("CARGO_WDK_STATE_TEST", null);
        }

        // Names only: values are in the key's hash, never on disk.
        Assert.Contains("variable\tBOOSTER_STATE_TEST_LEVEL", File.ReadAllText(stateFile));
        Assert.DoesNotContain("CARGO_WDK_STATE_TEST", File.ReadAllText(stateFile));
    }

    [WindowsRustFact]
    public void A_failed_build_leaves_no_record_and_a_damaged_record_is_not_trusted()
    {
        Build();
        File.WriteAllText(stateFile, File.ReadAllText(stateFile).Replace("result\tDriverType\tWDM", "result\tDriverType"));
        Assert.NotEqual(0, Build().Processes);
        Assert.Equal(0, Build().Processes);

        var source = temp.Combine("Booster", "driver", "src", "lib.rs");
        File.AppendAllText(source, "\nfn broken() -> u32 { \"not a number\" }\n");
        var sink = new RecordingSink();
        Assert.Null(new CargoDriverBuild(runner, sink).Run(Options, CancellationToken.None, stateFile));
        Assert.NotEmpty(sink.Errors);
        Assert.False(File.Exists(stateFile));
    }

    [Fact]
    public void Dep_info_paths_keep_drive_colons_and_escaped_spaces()
    {
        var file = temp.Write("booster.d", "C:\\work\\target\\debug\\booster.dll: C:\\work\\My\\ Drivers\\src\\lib.rs D:\\kernel\\src\\lib.rs\n\n# env-dep:X=1\n/tmp/a\\ b/x.rs:\n");

        Assert.Equal(new[] { @"C:\work\My Drivers\src\lib.rs", @"D:\kernel\src\lib.rs" }, DepInfo.Read(file));
    }

    private sealed class CountingRunner : IProcessRunner
    {
        private int started;

        public int Started => started;

        public int Run(ProcessRequest request, Action<string> standardOutput, Action<string> standardError, CancellationToken cancellation)
        {
            Interlocked.Increment(ref started);
            return ProcessRunner.Instance.Run(request, standardOutput, standardError, cancellation);
        }
    }
}
