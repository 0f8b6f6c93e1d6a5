using System.Text;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;

namespace WdkDriver.Core.Tests.Inf;

public class InfDocumentTests
{
    [Fact]
    public void The_corpus_has_the_files_the_tests_expect() => Assert.True(CorpusInfs.RelativePaths().Count() >= 76, string.Join("\n", CorpusInfs.RelativePaths()));

    [Theory]
    [MemberData(nameof(CorpusInfs.All), MemberType = typeof(CorpusInfs))]
    public void Every_corpus_file_round_trips_byte_for_byte_in_its_own_encoding(string file)
    {
        var bytes = File.ReadAllBytes(CorpusInfs.Full(file));

        var document = InfDocument.FromBytes(file, bytes);

        Assert.Equal(bytes, document.ToBytes());
        Assert.Empty(document.ParseErrors);
    }

    [Theory]
    [MemberData(nameof(CorpusInfs.All), MemberType = typeof(CorpusInfs))]
    public void Every_corpus_file_round_trips_as_UTF16_with_CRLF_and_parses_the_same(string file)
    {
        var original = InfDocument.FromBytes(file, File.ReadAllBytes(CorpusInfs.Full(file)));
        var utf16 = CorpusInfs.AsUtf16Crlf(File.ReadAllBytes(CorpusInfs.Full(file)));

        var converted = InfDocument.FromBytes(file, utf16);

        Assert.Equal(utf16, converted.ToBytes());
        Assert.Equal(InfEncodingKind.Utf16LeBom, converted.Encoding);
        Assert.Equal(Describe(original), Describe(converted));
    }

    private static string Describe(InfDocument document) => string.Join("\n", document.Sections.Select(s =>
        $"[{s.Name}]@{s.Line}:" + string.Join("|", s.Entries.Select(e => $"{e.Line},{e.Column}:{e.Key}={string.Join(",", e.Values)}"))));

    [Fact]
    public void Parses_quotes_escapes_comments_continuations_and_keyless_lines()
    {
        var document = InfDocument.FromText("t.inf", string.Join("\r\n",
            "; leading comment",
            "[Version]",
            "Signature = \"$Windows NT$\" ; trailing",
            "Provider=\"Quote \"\"inside\"\" and ; not a comment\"",
            "[Models.NTamd64.10.0...16299]",
            "%Desc% = Install, \\",
            "   ROOT\\Thing",
            "[Files]",
            "  driver.sys",
            "[Version]",
            "Extra = a,,\"b,c\""));

        Assert.Equal(new[] { "Version", "Models.NTamd64.10.0...16299", "Files", "Version" }, document.Sections.Select(s => s.Name));
        var version = document.Sections[0];
        Assert.Equal("$Windows NT$", version.First("signature")!.Value);
        Assert.Equal("Quote \"inside\" and ; not a comment", version.First("Provider")!.Value);
        var model = document.Sections[1].Entries.Single();
        Assert.Equal(("%Desc%", 6, 7), (model.Key, model.Line, model.LastLine));
        Assert.Equal(new[] { "Install", "ROOT\\Thing" }, model.Values);
        var file = document.Sections[2].Entries.Single();
        Assert.Null(file.Key);
        Assert.Equal((9, 3), (file.Line, file.Column));
        Assert.Equal(new[] { "a", "", "b,c" }, document.Sections[3].Entries.Single().Values);
    }

    [Fact]
    public void Keeps_mixed_line_breaks_and_a_missing_final_break()
    {
        var bytes = Encoding.ASCII.GetBytes("[Version]\r\nSignature=\"$Windows NT$\"\n\rClass=System");

        Assert.Equal(bytes, InfDocument.FromBytes("t.inf", bytes).ToBytes());
    }

    [Fact]
    public void Windows_1252_text_and_its_undefined_bytes_survive()
    {
        var bytes = Encoding.ASCII.GetBytes("[Strings]\nName=\"x\"\n").Concat(new byte[] { 0x3B, 0x99, 0x81, 0xE9, 0x0A }).ToArray();

        var document = InfDocument.FromBytes("t.inf", bytes);

        Assert.Equal(InfEncodingKind.Ansi, document.Encoding);
        Assert.Equal(bytes, document.ToBytes());
    }

    [Fact]
    public void Unclosed_headers_and_quotes_are_parse_errors_with_their_line()
    {
        var document = InfDocument.FromText("t.inf", "[Version]\nSignature=\"$Windows NT$\"\n[Broken\nKey = \"open\n");

        Assert.Equal(new[] { 3, 4 }, document.ParseErrors.Select(e => e.Line));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x5B, 0x00, 0x56 }, "half a character")]
    [InlineData(new byte[] { 0xFE, 0xFF, 0x00, 0x5B }, "big-endian")]
    [InlineData(new byte[] { 0x5B, 0x00, 0x56, 0x00 }, "NUL")]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0xC3, 0x28 }, "not valid UTF-8")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00 }, "surrogates")]
    public void Text_that_is_not_an_INF_encoding_is_INF1003(byte[] bytes, string reason)
    {
        var error = Assert.Throws<WdkException>(() => InfDocument.FromBytes("bad.inf", bytes));

        Assert.Equal("INF1003", error.Diagnostic.Code);
        Assert.Equal("bad.inf", error.Diagnostic.File);
        Assert.Contains(reason, error.Diagnostic.Message);
    }

    [Fact]
    public void A_ten_megabyte_line_parses()
    {
        var text = "[Version]\nSignature=\"$Windows NT$\"\nHuge=" + new string('x', 10 * 1024 * 1024) + "\n";

        var document = InfDocument.FromText("huge.inf", text);

        Assert.Equal(10 * 1024 * 1024, document.Sections[0].First("Huge")!.Value.Length);
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_WDK2001()
    {
        var error = Assert.Throws<WdkException>(() => InfDocument.Load("/nonexistent/driver.inf"));

        Assert.Equal("WDK2001", error.Diagnostic.Code);
    }
}
