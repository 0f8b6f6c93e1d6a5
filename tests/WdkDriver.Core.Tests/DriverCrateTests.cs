using WdkDriver.Core.Cargo;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Tests;

public class DriverCrateTests : IDisposable
{
    private readonly TempDirectory temp = new("driver-crate");

    public void Dispose() => temp.Dispose();

    private static WdkException SelectFails(string manifest, string? driverName = null) =>
        Assert.Throws<WdkException>(() => DriverCrate.Select(CargoWorkspaces.Read(manifest), driverName));

    [CargoFact]
    public void The_only_crate_with_wdk_metadata_is_the_driver()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("my-driver", true, CargoWorkspaces.WdmModel), ("client", false, ""), ("shared", true, ""));

        var driver = DriverCrate.Select(CargoWorkspaces.Read(manifest), null);

        Assert.Equal("my-driver", driver.Package.Name);
        Assert.Equal("my_driver", driver.Name);
        Assert.Equal(DriverType.Wdm, driver.Model.Type);
        Assert.Equal(".sys", driver.Model.BinaryExtension);
    }

    [CargoFact]
    public void Kmdf_versions_are_read_and_missing_ones_take_cargo_wdk_defaults()
    {
        var manifest = CargoWorkspaces.Write(temp, "",
            ("kmdf", true, "[package.metadata.wdk.driver-model]\ndriver-type = \"KMDF\"\nkmdf-version-major = 1\ntarget-kmdf-version-minor = 31\nminimum-kmdf-version-minor = 25\n"),
            ("umdf", true, "[package.metadata.wdk.driver-model]\ndriver-type = \"UMDF\"\n"));
        var workspace = CargoWorkspaces.Read(manifest);

        var kmdf = DriverCrate.Select(workspace, "kmdf").Model;
        var umdf = DriverCrate.Select(workspace, "umdf").Model;

        Assert.Equal(new DriverModel(DriverType.Kmdf, 1, 31, 25), kmdf);
        Assert.Equal(new DriverModel(DriverType.Umdf, UmdfVersionMajor: 2, TargetUmdfVersionMinor: 33), umdf);
        Assert.Equal(".dll", umdf.BinaryExtension);
    }

    [CargoFact]
    public void An_empty_wdk_table_marks_the_driver_and_the_workspace_gives_the_model()
    {
        var manifest = CargoWorkspaces.Write(temp, "[workspace.metadata.wdk.driver-model]\ndriver-type = \"WDM\"\n", ("drv", true, "[package.metadata.wdk]\n"));

        Assert.Equal(DriverType.Wdm, DriverCrate.Select(CargoWorkspaces.Read(manifest), null).Model.Type);
    }

    [CargoFact]
    public void No_driver_crate_is_WDK1005_at_the_workspace_manifest()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("client", false, ""));

        var error = SelectFails(manifest);

        Assert.Equal("WDK1005", error.Diagnostic.Code);
        Assert.Equal(manifest, error.Diagnostic.File);
    }

    [CargoFact]
    public void Two_driver_crates_without_DriverName_is_WDK1006_naming_both()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("one", true, CargoWorkspaces.WdmModel), ("two", true, CargoWorkspaces.WdmModel));

        var error = SelectFails(manifest);

        Assert.Equal("WDK1006", error.Diagnostic.Code);
        Assert.Contains("one, two", error.Diagnostic.Message);
        Assert.Contains("DriverName", error.Diagnostic.Message);
        Assert.Equal("two", DriverCrate.Select(CargoWorkspaces.Read(manifest), "two").Package.Name);
    }

    [CargoFact]
    public void DriverName_of_no_member_is_WDK1007()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("one", true, CargoWorkspaces.WdmModel));

        Assert.Equal("WDK1007", SelectFails(manifest, "three").Diagnostic.Code);
    }

    [CargoFact]
    public void A_driver_crate_without_cdylib_is_WDK1008()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("drv", false, CargoWorkspaces.WdmModel));

        var error = SelectFails(manifest);

        Assert.Equal("WDK1008", error.Diagnostic.Code);
        Assert.Equal(temp.Combine("drv", "Cargo.toml"), error.Diagnostic.File);
        Assert.Equal(1, error.Diagnostic.Line);
    }

    [CargoFact]
    public void A_wdk_table_without_any_driver_model_is_WDK1009()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("drv", true, "[package.metadata.wdk]\n"));

        Assert.Equal("WDK1009", SelectFails(manifest).Diagnostic.Code);
    }

    [CargoFact]
    public void Package_and_workspace_models_that_disagree_are_WDK1010()
    {
        var manifest = CargoWorkspaces.Write(temp, "[workspace.metadata.wdk.driver-model]\ndriver-type = \"KMDF\"\n", ("drv", true, CargoWorkspaces.WdmModel));

        var error = SelectFails(manifest);

        Assert.Equal("WDK1010", error.Diagnostic.Code);
        Assert.Contains("WDM", error.Diagnostic.Message);
        Assert.Contains("KMDF 1.33", error.Diagnostic.Message);
    }

    [CargoFact]
    public void An_unknown_driver_type_is_WDK1011_on_its_line()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("drv", true, "[package.metadata.wdk.driver-model]\ndriver-type = \"kmdf\"\n"));

        var error = SelectFails(manifest);

        Assert.Equal("WDK1011", error.Diagnostic.Code);
        var lines = File.ReadAllLines(temp.Combine("drv", "Cargo.toml"));
        Assert.StartsWith("driver-type", lines[error.Diagnostic.Line - 1]);
        Assert.Equal(1, error.Diagnostic.Column);
    }

    [CargoFact]
    public void A_key_that_does_not_fit_the_driver_type_is_WDK1011()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("drv", true, "[package.metadata.wdk.driver-model]\ndriver-type = \"WDM\"\nkmdf-version-major = 1\n"));

        var error = SelectFails(manifest);

        Assert.Equal("WDK1011", error.Diagnostic.Code);
        Assert.Contains("kmdf-version-major", error.Diagnostic.Message);
    }

    [CargoFact]
    public void A_version_that_is_not_a_small_number_is_WDK1011()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("drv", true, "[package.metadata.wdk.driver-model]\ndriver-type = \"KMDF\"\nkmdf-version-major = \"one\"\n"));

        Assert.Equal("WDK1011", SelectFails(manifest).Diagnostic.Code);
    }

    [CargoFact]
    public void Wdf_drivers_need_a_Windows_host_WDK1012()
    {
        var manifest = CargoWorkspaces.Write(temp, "", ("drv", true, "[package.metadata.wdk.driver-model]\ndriver-type = \"KMDF\"\n"));
        var driver = DriverCrate.Select(CargoWorkspaces.Read(manifest), null);

        driver.Model.EnsureBuildableOn(windowsHost: true, driver.Package.ManifestPath);
        var error = Assert.Throws<WdkException>(() => driver.Model.EnsureBuildableOn(windowsHost: false, driver.Package.ManifestPath));

        Assert.Equal("WDK1012", error.Diagnostic.Code);
        Assert.Equal(driver.Package.ManifestPath, error.Diagnostic.File);
        Assert.True(error.Diagnostic.Line > 0);
    }

    [CargoFact]
    public void A_broken_manifest_is_WDK1004_with_cargos_reason()
    {
        temp.Write("Cargo.toml", "[package\nname = \"x\"\n");

        var error = Assert.Throws<WdkException>(() => CargoWorkspaces.Read(temp.Combine("Cargo.toml")));

        Assert.Equal("WDK1004", error.Diagnostic.Code);
        Assert.Contains("Cargo.toml", error.Diagnostic.Message);
        Assert.DoesNotContain("\n", error.Diagnostic.Message);
    }
}
