using WdkDriver.Core.Catalogs;

namespace WdkDriver.Cli.Tests;

public class CatalogCommandTests : IDisposable
{
    private const string Px4Os = "7_X86,7_X64,Server2008R2_X64,8_X86,8_X64,Server8_X64,6_3_X86,6_3_X64,Server6_3_X64,10_X86,10_X64,Server10_X64,Server10_ARM64,10_RS5_X86,10_RS5_X64,10_RS5_ARM64,ServerRS5_X64,ServerRS5_ARM64";
    private static readonly string Px4 = Path.Combine(RepositoryPaths.Corpus, "catalogs", "px4_drv");
    private readonly TempDirectory temp = new("cli-cat");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Catalog_create_over_the_px4_INFs_reproduces_inf2cats_trust_list()
    {
        var output = temp.Combine("px4.cat");

        var result = Wdkdriver.Run("catalog", "create", Px4, "-o", output, "--os", Px4Os, "--list-id", "7093BC1462E86C41A5BEF3468CE1B2D6", "--time", "250110231551Z", "--catalog-version", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(output, result.Output.Trim());
        Assert.Equal(CatalogReader.TrustList(File.ReadAllBytes(Path.Combine(Px4, "px4_drv_winusb.cat")), "px4"), CatalogReader.TrustList(File.ReadAllBytes(output), output));
    }

    [Fact]
    public void Catalog_show_prints_header_members_and_attributes_one_per_line()
    {
        var result = Wdkdriver.Run("catalog", "show", Path.Combine(Px4, "px4_drv_winusb.cat"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { "version: 1", "list-id: 7093BC1462E86C41A5BEF3468CE1B2D6", "time: 250110231551Z", "signed: yes" }, lines[..4]);
        Assert.Equal(15, lines.Count(l => l.StartsWith("member: ")));
        Assert.Contains("member: 0E4E489B2ABA8CD7E371555B66A67FC3045F3E78 file=dtv02a-1t1s-u_isdb2056.inf digest=sha1:0E4E489B2ABA8CD7E371555B66A67FC3045F3E78 kind=flat OSAttr=2:6.1,2:6.2,2:6.3,2:10.0", lines);
        Assert.Equal(16, lines.Count(l => l.StartsWith("attribute: ")));
    }

    [Fact]
    public void An_unknown_OS_id_is_exit_1_and_names_the_valid_ones()
    {
        var result = Wdkdriver.Run("catalog", "create", Px4, "-o", temp.Combine("x.cat"), "--os", "10_ARM64");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error WDK3004: '10_ARM64' is not an inf2cat OS id", result.Error);
        Assert.False(File.Exists(temp.Combine("x.cat")));
    }

    [Fact]
    public void A_garbage_catalog_is_exit_1_with_WDK3003()
    {
        var garbage = temp.Write("garbage.cat", "not a catalog at all");

        var result = Wdkdriver.Run("catalog", "show", garbage);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{garbage}: error WDK3003", result.Error);
    }

    [Theory]
    [InlineData("catalog", "create", "dir")]
    [InlineData("catalog", "create", "dir", "-o", "x.cat", "--os", "10_X64", "--catalog-version", "3")]
    [InlineData("catalog", "frob")]
    public void Bad_catalog_usage_is_exit_2(params string[] arguments) => Assert.Equal(2, Wdkdriver.Run(arguments).ExitCode);
}
