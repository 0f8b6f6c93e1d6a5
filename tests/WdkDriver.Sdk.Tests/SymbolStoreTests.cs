using System.Text.RegularExpressions;

namespace WdkDriver.Sdk.Tests;

/// <summary>
/// A driver linked the MSVC way (clang and lld-link, with /DEBUG) and packaged as a prebuilt binary: its PDB travels
/// beside it into the package, dotnet pack files both into a symbol store under the keys LLVM's tools read them by,
/// and a PDB of another build is refused at the PDB.
/// </summary>
[Collection(SdkPackageCollection.Name)]
public class SymbolStoreTests
{
    private readonly SdkPackageFixture sdk;

    public SymbolStoreTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    [LlvmFact]
    public void Pack_files_the_driver_and_its_PDB_into_a_symbol_store_and_a_stale_PDB_fails_the_build()
    {
        var project = sdk.CreateProject("symbols");
        var (image, pdb) = LldDriver.Link(project.Path("lld"), "hello", "x64", "hello");
        File.Copy(Path.Combine(RepositoryPaths.Samples, "PrebuiltDriver", "hello.inx"), project.Path("hello.inx"));
        project.Write("Hello.proj", """
            <Project Sdk="WdkDriver.Sdk">
              <PropertyGroup>
                <Authors>Contoso</Authors>
                <Description>Hello, linked by lld-link.</Description>
              </PropertyGroup>
              <ItemGroup>
                <DriverBinary Include="lld/hello.sys" />
              </ItemGroup>
            </Project>
            """);
        var store = project.Path("Shared Symbols");

        var packed = project.ShouldSucceed(project.Dotnet("pack", "-c", "Release", $"-p:DriverSymbolStore={store}/"));

        Assert.Equal(File.ReadAllBytes(pdb), File.ReadAllBytes(Path.Combine(project.DriverFolder("Release"), "hello.pdb")));
        Assert.Contains($"Hello -> {store}/ (symbol store, 2 files)", packed.Output);
        var imageKey = LlvmReading.ImageKey(image);
        var pdbKey = LlvmReading.PdbKey(pdb);
        Assert.Equal(
            new[] { $"hello.pdb/{pdbKey}/hello.pdb", $"hello.sys/{imageKey}/hello.sys" },
            Directory.GetFiles(store, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(store, f).Replace('\\', '/')).Order(StringComparer.Ordinal));
        // The store holds what ships: the signed driver.
        Assert.Equal(File.ReadAllBytes(Path.Combine(project.DriverFolder("Release"), "hello.sys")), File.ReadAllBytes(Path.Combine(store, "hello.sys", imageKey, "hello.sys")));

        // Without the property, the store is bin/<Configuration>/symbols/.
        project.ShouldSucceed(project.Dotnet("pack", "-c", "Release"));
        Assert.True(File.Exists(project.Path("bin", "Release", "symbols", "hello.pdb", pdbKey, "hello.pdb")));

        // The driver linked again, its old PDB kept: the package's PDB is another build's.
        var stale = project.Path("stale.pdb");
        File.Copy(pdb, stale);
        LldDriver.Link(project.Path("lld"), "hello", "x64", "hello again");
        File.Copy(stale, pdb, overwrite: true);
        var failed = project.ShouldFail(project.Build());

        Assert.Matches($@"(?m)^{Regex.Escape(pdb)} ?: error WDK5062: hello\.pdb \({pdbKey}\) is not the PDB of hello\.sys", failed.Output);
    }
}
