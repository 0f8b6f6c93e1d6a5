using WdkDriver.Core.Cargo;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Tests;

public class CargoBuilderTests : IDisposable
{
    private readonly TempDirectory temp = new("cargo-build");

    public void Dispose() => temp.Dispose();

    private (CargoBuildResult Result, RecordingSink Sink, CargoWorkspace Workspace) Build(string manifest, bool offline = false)
    {
        var workspace = CargoWorkspaces.Read(manifest);
        var sink = new RecordingSink();
        var request = new CargoBuildRequest(CargoWorkspaces.Host, manifest, "dev", Array.Empty<string>(), false, offline, Array.Empty<string>());
        return (new CargoBuilder(ProcessRunner.Instance, sink).Build(request, workspace, CancellationToken.None), sink, workspace);
    }

    [CargoFact]
    public void Rustc_errors_and_warnings_arrive_located_and_coded()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("drv", true, ""));
        temp.Write(Path.Combine("drv", "src", "lib.rs"), "pub fn answer() -> u32 {\n    // wrong type\n    \"forty-two\"\n}\n");

        var (result, sink, _) = Build(manifest);

        Assert.False(result.Success);
        var error = Assert.Single(sink.Errors);
        Assert.Equal("E0308", error.Code);
        Assert.Equal(temp.Combine("drv", "src", "lib.rs"), error.File);
        Assert.Equal(3, error.Line);
        Assert.Equal(5, error.Column);
        Assert.Contains("mismatched types", error.Message);
        Assert.Contains(sink.Infos, i => i.Contains("error[E0308]"));
    }

    [CargoFact]
    public void Lint_warnings_arrive_with_the_lint_as_code_and_do_not_fail_the_build()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("drv", true, ""));
        temp.Write(Path.Combine("drv", "src", "lib.rs"), "pub fn answer() -> u32 {\n    let unused = 1;\n    42\n}\n");

        var (result, sink, _) = Build(manifest);

        Assert.True(result.Success);
        var warning = Assert.Single(sink.Diagnostics);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("unused_variables", warning.Code);
        Assert.Equal((2, 9), (warning.Line, warning.Column));
    }

    [CargoFact]
    public void Cargo_errors_that_are_not_rustc_diagnostics_are_WDK1015()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("drv", true, "[dependencies]\nnot-on-any-registry = \"1.0\"\n"));

        var (result, sink, _) = Build(manifest, offline: true);

        Assert.False(result.Success);
        var error = Assert.Single(sink.Errors);
        Assert.Equal("WDK1015", error.Code);
        Assert.Contains("not-on-any-registry", error.Message);
        Assert.Equal(manifest, error.File);
    }

    [CargoFact]
    public void Artifacts_of_workspace_members_are_collected()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("drv", true, CargoWorkspaces.WdmModel), ("client", false, ""));

        var (result, _, workspace) = Build(manifest);

        Assert.True(result.Success);
        Assert.Contains(result.Artifacts, a => a.Target.IsCdylib && a.Filenames.All(File.Exists));
        var client = Assert.Single(result.Artifacts, a => a.Target.IsBin);
        Assert.True(File.Exists(client.Executable));

        // A host build makes a .so, not a driver DLL: the stage says so instead of guessing a path.
        var error = Assert.Throws<WdkException>(() => DriverOutputs.Collect(result.Artifacts, DriverCrate.Select(workspace, null)));
        Assert.Equal("WDK1016", error.Diagnostic.Code);
    }
}
