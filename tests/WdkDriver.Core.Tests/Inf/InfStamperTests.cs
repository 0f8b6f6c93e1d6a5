using System.Text;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;

namespace WdkDriver.Core.Tests.Inf;

public class InfStamperTests
{
    private static readonly DriverVer Ver = new(new DateTime(2026, 11, 24), new ushort[] { 1, 2, 3, 0 });

    private static InfDocument Corpus(string relativePath) => InfDocument.Load(CorpusInfs.Full(relativePath));

    private static string[] Lines(InfDocument document) => document.Lines.Select(l => l.Text).ToArray();

    [Fact]
    public void A_cargo_wdk_template_stamps_in_place_and_stays_UTF16()
    {
        var template = Corpus("windows-drivers-rs/crates/cargo-wdk/templates/kmdf/driver_name.inx.tmp");
        var inx = InfDocument.FromBytes("mydriver.inx", Encoding.Unicode.GetPreamble()
            .Concat(Encoding.Unicode.GetBytes(template.Text.Replace("##driver_name_placeholder##", "mydriver"))).ToArray());

        var stamped = InfStamper.Stamp(inx, new StampOptions("amd64", Ver, "mydriver.cat", KmdfVersion: "1.33"));

        Assert.Equal(InfEncodingKind.Utf16LeBom, stamped.Encoding);
        Assert.Equal(inx.Lines.Count, stamped.Lines.Count);
        Assert.DoesNotContain("$ARCH$", stamped.Text);
        Assert.DoesNotContain("$KMDFVERSION$", stamped.Text);
        var version = stamped.FindSection("Version")!;
        Assert.Equal("11/24/2026", version.First("DriverVer")!.Values[0]);
        Assert.Equal("1.2.3.0", version.First("DriverVer")!.Values[1]);
        Assert.Equal("mydriver.cat", version.First("CatalogFile")!.Value);
        Assert.Equal("1.33", stamped.Sections.SelectMany(s => s.Find("KmdfLibraryVersion")).Single().Value);
        Assert.Contains(stamped.Sections, s => s.Name == "Standard.NTamd64.10.0...16299");
        // Only the stamped lines differ; a comment behind DriverVer stays.
        var changed = Lines(inx).Zip(Lines(stamped)).Where(p => p.First != p.Second).ToList();
        Assert.All(changed, p => Assert.Matches("DriverVer|CatalogFile|\\$ARCH\\$|\\$KMDFVERSION\\$", p.First));
        Assert.Contains("; TODO", stamped.Lines[version.First("DriverVer")!.Line - 1].Text);
    }

    [Fact]
    public void An_empty_DriverVer_of_a_kernel_book_inx_is_filled_where_it_stands()
    {
        var inx = Corpus("kernel-book-rust/chapter_05/booster/booster.inx");
        var line = inx.FindSection("Version")!.First("DriverVer")!.Line;

        var stamped = InfStamper.Stamp(inx, new StampOptions("amd64", Ver, "booster.cat"));

        Assert.Equal("DriverVer = 11/24/2026,1.2.3.0", stamped.Lines[line - 1].Text);
        Assert.Equal(inx.Lines.Count, stamped.Lines.Count);
        Assert.NotNull(stamped.FindSection("DefaultInstall.NTamd64.Services"));
        Assert.Equal(inx.Lines.Count(l => l.Text.Contains("CatalogFile")), stamped.Lines.Count(l => l.Text.Contains("CatalogFile")));
    }

    [Fact]
    public void A_plain_inf_with_nothing_asked_is_unchanged_and_a_valid_DriverVer_is_kept()
    {
        var inf = Corpus("windows-driver-samples/general/echo/kmdf/driver/AutoSync/echo.inx");

        Assert.Equal(inf.ToBytes(), InfStamper.Stamp(inf, new StampOptions()).ToBytes());
    }

    [Fact]
    public void UMDF_version_tokens_are_replaced()
    {
        var inx = Corpus("windows-driver-samples/general/DCHU/osrfx2_DCHU_base/osrfx2_DCHU_base/osrfx2_DCHU_base.inx");

        var stamped = InfStamper.Stamp(inx, new StampOptions("arm64", Ver, UmdfVersion: "2.33.0"));

        Assert.Equal(new[] { "2.33.0", "2.33.0" }, stamped.Sections.SelectMany(s => s.Find("UmdfLibraryVersion")).Select(e => e.Value));
    }

    [Fact]
    public void Missing_directives_go_after_the_last_entry_of_their_section_and_coinstaller_tokens_are_replaced()
    {
        var inf = InfDocument.FromText("t.inx", "[Version]\nSignature=\"$Windows NT$\"\nClass=System\n\n; tail comment\n[Wdf]\nCoInstaller=WdfCoInstaller$KMDFCOINSTALLERVERSION$.dll\nUmdf=WudfUpdate_$UMDFCOINSTALLERVERSION$.dll\n");

        var stamped = InfStamper.Stamp(inf, new StampOptions(null, Ver, "t.cat", "1.9", "1.11.0", "Contoso"));

        Assert.Equal(
            new[] { "[Version]", "Signature=\"$Windows NT$\"", "Class=System", "DriverVer = 11/24/2026,1.2.3.0", "CatalogFile = t.cat", "Provider = Contoso", "", "; tail comment", "[Wdf]", "CoInstaller=WdfCoInstaller01009.dll", "Umdf=WudfUpdate_01011.dll", "" },
            Lines(stamped));
        Assert.All(stamped.Lines.Take(stamped.Lines.Count - 1), l => Assert.Equal("\n", l.Terminator));
    }

    [Fact]
    public void Without_a_DriverVer_to_stamp_an_empty_one_is_WDK2005_at_its_line()
    {
        var inx = Corpus("kernel-book-rust/chapter_02/chapter_02.inx");

        var error = Assert.Throws<WdkException>(() => InfStamper.Stamp(inx, new StampOptions("amd64")));

        Assert.Equal("WDK2005", error.Diagnostic.Code);
        Assert.Equal(inx.FindSection("Version")!.First("DriverVer")!.Line, error.Diagnostic.Line);
    }

    [Theory]
    [InlineData("ia32", null, null, "WDK2010")]
    [InlineData("amd64", "1", null, "WDK2011")]
    [InlineData("amd64", null, "2.33", "WDK2011")]
    public void Bad_stamp_values_are_coded_errors(string arch, string? kmdf, string? umdf, string code)
    {
        var inx = Corpus("kernel-book-rust/chapter_02/chapter_02.inx");

        Assert.Equal(code, Assert.Throws<WdkException>(() => InfStamper.Stamp(inx, new StampOptions(arch, Ver, KmdfVersion: kmdf, UmdfVersion: umdf))).Diagnostic.Code);
    }

    [Fact]
    public void A_DriverVer_section_that_does_not_exist_is_WDK2006()
    {
        var inx = Corpus("kernel-book-rust/chapter_02/chapter_02.inx");

        Assert.Equal("WDK2006", Assert.Throws<WdkException>(() => InfStamper.Stamp(inx, new StampOptions("amd64", Ver, DriverVerSection: "Nowhere"))).Diagnostic.Code);
    }

    [Fact]
    public void A_Version_header_missing_its_bracket_is_reported_at_its_line_as_the_line_to_fix()
    {
        var inx = InfDocument.FromText("/p/widget.inx", "; Widget\r\n\r\n[Version\r\nSignature = \"$WINDOWS NT$\"\r\nDriverVer = 01/01/2024,1.0.0.0\r\n");

        var error = Assert.Throws<WdkException>(() => InfStamper.Stamp(inx, new StampOptions("amd64", Ver))).Diagnostic;

        Assert.Equal(("WDK2006", "/p/widget.inx", 3, 1), (error.Code, error.File, error.Line, error.Column));
        Assert.Contains("this line does not parse: the section header has no closing ']'", error.Message);
    }

    [Fact]
    public void Stamping_twice_gives_the_same_bytes()
    {
        var inx = Corpus("windows-drivers-rs/examples/sample-kmdf-driver/sample_kmdf_driver.inx");
        var options = new StampOptions("amd64", Ver, "sample_kmdf_driver.cat", "1.33");

        Assert.Equal(InfStamper.Stamp(inx, options).ToBytes(), InfStamper.Stamp(Corpus("windows-drivers-rs/examples/sample-kmdf-driver/sample_kmdf_driver.inx"), options).ToBytes());
    }
}
