using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;

namespace WdkDriver.Core.Tests.Catalogs;

public class ServiceBinaryCheckTests
{
    private const string Inf = """
        [Version]
        Signature = "$WINDOWS NT$"

        [DefaultInstall.NTamd64]
        CopyFiles = Drivers

        [Drivers]
        acme_widget.sys

        [DefaultInstall.NTamd64.Services]
        AddService = AcmeWidget, , Widget_Service

        [Widget_Service]
        ServiceType   = 1
        ServiceBinary = %12%\%Binary%

        [Strings]
        Binary = "acme_widgets.sys"
        """;

    private static void Check(string text, params string[] installed)
    {
        var inf = InfDocument.FromText("/p/acme.inf", text.Replace("\n", "\r\n"));
        ServiceBinaryCheck.Check(inf, new InfStrings(inf), installed);
    }

    [Fact]
    public void A_service_binary_the_INF_does_not_install_beside_others_of_its_kind_is_WDK3013_at_the_line()
    {
        var error = Assert.Throws<WdkException>(() => Check(Inf, "acme_widget.sys")).Diagnostic;

        Assert.Equal("WDK3013", error.Code);
        Assert.Equal(("/p/acme.inf", 15, 17), (error.File, error.Line, error.Column));
        Assert.Contains("ServiceBinary names acme_widgets.sys, which acme.inf does not install (acme_widget.sys is what it installs)", error.Message);
    }

    [Fact]
    public void An_installed_binary_under_any_case_and_an_inbox_driver_in_an_INF_that_installs_none_pass()
    {
        Check(Inf, "ACME_WIDGETS.SYS");
        Check(Inf, "acme.cat", "acme_widget.dll");
    }

    /// <summary>Microsoft's samples and the other real INFs install what their services run, or run Windows' own drivers.</summary>
    [Fact]
    public void No_corpus_INF_is_refused()
    {
        var infs = Directory.GetFiles(Path.Combine(RepositoryPaths.Corpus, "inf"), "*.in?", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".inf", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".inx", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.True(infs.Count > 20, $"{infs.Count} corpus INFs");
        foreach (var path in infs)
        {
            var inf = InfDocument.Load(path);
            var strings = new InfStrings(inf);
            var installed = inf.Sections.Where(s => s.Name.StartsWith("SourceDisksFiles", StringComparison.OrdinalIgnoreCase))
                .SelectMany(s => s.Entries).Where(e => e.Key is not null).Select(e => strings.Resolve(e.Key!).Trim()).ToList();
            var exception = Record.Exception(() => ServiceBinaryCheck.Check(inf, strings, installed));
            Assert.True(exception is null, $"{path}: {exception?.Message}");
        }
    }
}
