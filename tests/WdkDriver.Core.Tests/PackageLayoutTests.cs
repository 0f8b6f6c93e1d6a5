using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Packaging;

namespace WdkDriver.Core.Tests;

public class PackageLayoutTests : IDisposable
{
    private readonly TempDirectory temp = new("layout");

    public void Dispose() => temp.Dispose();

    private string Package => temp.Combine("bin", "package");

    [Fact]
    public void Lays_out_each_file_at_its_package_path_and_nothing_else()
    {
        var driver = temp.Write("target/booster.dll", "driver");
        var client = temp.Write("target/boost.exe", "client");

        PackageLayout.Write(new[] { new PackageFile(driver, "booster.sys"), new PackageFile(client, "tools/boost.exe") }, Package);

        Assert.Equal("driver", File.ReadAllText(Path.Combine(Package, "booster.sys")));
        Assert.Equal("client", File.ReadAllText(Path.Combine(Package, "tools", "boost.exe")));
        Assert.Equal(2, Directory.GetFiles(Package, "*", SearchOption.AllDirectories).Length);
        Assert.Single(Directory.GetFileSystemEntries(temp.Combine("bin")));
    }

    [Fact]
    public void Replaces_the_old_package_as_a_whole()
    {
        var driver = temp.Write("target/booster.dll", "new");
        temp.Write("bin/package/stale.exe", "old client");
        temp.Write("bin/package/booster.sys", "old driver");

        PackageLayout.Write(new[] { new PackageFile(driver, "booster.sys") }, Package);

        Assert.Equal(new[] { "booster.sys" }, Directory.GetFiles(Package).Select(Path.GetFileName));
        Assert.Equal("new", File.ReadAllText(Path.Combine(Package, "booster.sys")));
    }

    [Fact]
    public void A_failed_layout_leaves_the_previous_package_untouched()
    {
        temp.Write("bin/package/booster.sys", "previous");
        var driver = temp.Write("target/booster.dll", "new");

        var error = Assert.Throws<WdkException>(() => PackageLayout.Write(
            new[] { new PackageFile(driver, "booster.sys"), new PackageFile(temp.Combine("target", "vanished.exe"), "vanished.exe") }, Package));

        Assert.Equal("WDK5001", error.Diagnostic.Code);
        Assert.Equal("previous", File.ReadAllText(Path.Combine(Package, "booster.sys")));
        Assert.Single(Directory.GetFileSystemEntries(temp.Combine("bin")));
    }

    [Theory]
    [InlineData("../escape.sys")]
    [InlineData("/etc/passwd")]
    [InlineData("a/./b.sys")]
    [InlineData("")]
    public void Package_paths_must_stay_inside_the_package(string packagePath)
    {
        var driver = temp.Write("target/booster.dll", "x");

        var error = Assert.Throws<WdkException>(() => PackageLayout.Write(new[] { new PackageFile(driver, packagePath) }, Package));

        Assert.Equal("WDK5002", error.Diagnostic.Code);
        Assert.False(Directory.Exists(Package));
    }

    [Fact]
    public void Two_files_at_one_path_is_an_error()
    {
        var a = temp.Write("a/boost.exe", "a");
        var b = temp.Write("b/boost.exe", "b");

        var error = Assert.Throws<WdkException>(() => PackageLayout.Write(new[] { new PackageFile(a, "boost.exe"), new PackageFile(b, "BOOST.exe") }, Package));

        Assert.Equal("WDK5002", error.Diagnostic.Code);
    }
}
