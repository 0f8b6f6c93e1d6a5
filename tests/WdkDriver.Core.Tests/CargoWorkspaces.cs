using WdkDriver.Core.Cargo;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Tests;

/// <summary>Writes small Cargo workspaces and reads them back through the real <c>cargo metadata</c>.</summary>
internal static class CargoWorkspaces
{
    public const string WdmModel = "[package.metadata.wdk.driver-model]\ndriver-type = \"WDM\"\n";

    private static readonly Lazy<RustToolchain> HostToolchain = new(() => new RustToolchainLocator(ProcessRunner.Instance)
        .Locate(ToolchainSearch.FromEnvironment(null, null), HostTarget, Path.GetTempPath()));

    public static string HostTarget => "x86_64-unknown-linux-gnu";

    public static RustToolchain Host => HostToolchain.Value;

    /// <summary>A workspace of the given members: name, whether it is a cdylib (else a bin), and extra manifest text.</summary>
    public static string Write(TempDirectory temp, string workspaceExtra, params (string Name, bool Cdylib, string Extra)[] members)
    {
        var memberList = string.Join(", ", members.Select(m => $"\"{m.Name}\""));
        temp.Write("Cargo.toml", $"[workspace]\nmembers = [{memberList}]\n{workspaceExtra}");
        foreach (var (name, cdylib, extra) in members)
        {
            var target = cdylib ? "[lib]\ncrate-type = [\"cdylib\"]\n" : string.Empty;
            temp.Write(Path.Combine(name, "Cargo.toml"), $"[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n{target}\n{extra}");
            temp.Write(Path.Combine(name, "src", cdylib ? "lib.rs" : "main.rs"), cdylib ? "" : "fn main() {}\n");
        }

        return temp.Combine("Cargo.toml");
    }

    public static CargoWorkspace Read(string manifest) =>
        CargoMetadataCommand.Read(ProcessRunner.Instance, Host, manifest, CancellationToken.None);
}
