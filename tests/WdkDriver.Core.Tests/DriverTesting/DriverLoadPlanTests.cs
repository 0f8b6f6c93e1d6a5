using WdkDriver.Core.DriverTesting;

namespace WdkDriver.Core.Tests.DriverTesting;

public class DriverLoadPlanTests : IDisposable
{
    private readonly TempDirectory temp = new("load-plan");

    public void Dispose() => temp.Dispose();

    /// <summary>An INF as the SDK stamps it for amd64.</summary>
    private string Stamped(string source)
    {
        var path = temp.Combine(Path.GetFileNameWithoutExtension(source) + ".inf");
        File.WriteAllText(path, File.ReadAllText(source).Replace("$ARCH$", "amd64"));
        return path;
    }

    [Fact]
    public void A_DefaultInstall_that_copies_to_the_drivers_folder_is_followed()
    {
        var inf = Stamped(Path.Combine(RepositoryPaths.Samples, "Booster", "booster.inx"));
        var plan = DriverLoadPlan.For(inf, "amd64", "booster.sys");

        var line = Array.FindIndex(File.ReadAllLines(inf), l => l.StartsWith("ServiceBinary", StringComparison.Ordinal)) + 1;
        Assert.Equal(new DriverLoadPlan("Booster", "DefaultInstall.NTamd64", "booster.sys", ("booster.sys", line, 17)), plan);
    }

    [Fact]
    public void A_DefaultInstall_that_copies_to_DIRID_13_gets_the_service_created_by_hand()
    {
        // wine 8 resolves %13% to C:\windows\system32\unknown, so the service would point nowhere.
        var plan = DriverLoadPlan.For(Stamped(Path.Combine(RepositoryPaths.Corpus, "inf", "kernel-book-rust", "chapter_02", "chapter_02.inx")), "amd64", "chapter_02.sys");

        Assert.Equal(new DriverLoadPlan("chapter_02", null, "chapter_02.sys"), plan);
    }

    [Fact]
    public void A_PnP_INF_has_no_DefaultInstall_and_its_service_is_named_after_the_driver()
    {
        var inf = Path.Combine(RepositoryPaths.Corpus, "inf", "windows-driver-samples", "general", "toaster", "toastpkg", "inf", "toastpkg.inf");

        var plan = DriverLoadPlan.For(inf, "amd64", "/pkg/driver/amd64/toaster.sys");

        Assert.Equal(new DriverLoadPlan("toaster", null, "/pkg/driver/amd64/toaster.sys"), plan);
    }
}
