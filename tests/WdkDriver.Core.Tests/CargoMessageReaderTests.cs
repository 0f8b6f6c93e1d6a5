using WdkDriver.Core.Cargo;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Tests;

public class CargoMessageReaderTests
{
    private const string Root = "/work/ws";

    [Theory]
    [InlineData("")]
    [InlineData("   Compiling booster v0.1.0")]
    [InlineData("{")]
    [InlineData("{\"reason\":")]
    [InlineData("{\"reason\":\"compiler-artifact\"}")]
    [InlineData("{\"reason\":\"compiler-artifact\",\"package_id\":7,\"target\":[]}")]
    [InlineData("{\"reason\":\"compiler-message\",\"message\":\"text\"}")]
    [InlineData("{\"reason\":\"compiler-message\",\"message\":{\"spans\":[1,null,{\"line_start\":-4}]}}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"reason\":\"something-new\"}")]
    public void Malformed_or_unknown_lines_never_throw(string line)
    {
        var message = CargoMessageReader.Read(line, Root);

        Assert.NotNull(message);
        Assert.False(message is CargoArtifact);
    }

    [Fact]
    public void Deeply_nested_json_is_other_text()
    {
        var line = "{\"a\":" + new string('[', 5000) + new string(']', 5000) + "}";

        Assert.IsType<CargoOtherMessage>(CargoMessageReader.Read(line, Root));
    }

    [Fact]
    public void A_diagnostic_without_spans_has_no_location()
    {
        var line = "{\"reason\":\"compiler-message\",\"package_id\":\"p\",\"message\":{\"message\":\"linking with `cc` failed\",\"level\":\"error\",\"code\":null,\"spans\":[],\"rendered\":\"error: linking failed\\n\"}}";

        var message = Assert.IsType<CargoCompilerMessage>(CargoMessageReader.Read(line, Root));

        // rustc gives it no code: the SDK's own, so that every error is coded.
        Assert.Equal(new Diagnostic(Severity.Error, "WDK1024", "linking with `cc` failed"), message.Diagnostic);
        Assert.Equal("error: linking failed", message.Rendered);
    }

    [Fact]
    public void Notes_are_not_findings()
    {
        var line = "{\"reason\":\"compiler-message\",\"package_id\":\"p\",\"message\":{\"message\":\"for more information\",\"level\":\"failure-note\",\"spans\":[],\"rendered\":\"note\"}}";

        Assert.Null(Assert.IsType<CargoCompilerMessage>(CargoMessageReader.Read(line, Root)).Diagnostic);
    }

    [Fact]
    public void Build_finished_reports_success()
    {
        Assert.Equal(new CargoBuildFinished(true), CargoMessageReader.Read("{\"reason\":\"build-finished\",\"success\":true}", Root));
    }

    /// <summary>What real rustc says about a crate with a type mismatch, an unused variable and a missing semicolon.</summary>
    private static List<CargoCompilerMessage> RealRustcMessages(string source)
    {
        using var temp = new TempDirectory("rustc");
        temp.Write("Cargo.toml", "[package]\nname = \"said\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[lib]\npath = \"lib.rs\"\n");
        temp.Write("lib.rs", source);
        var (_, output) = ToolProcess.Run(temp.Path, Requirements.Cargo!, new[] { "build", "--message-format=json", "--quiet" });
        return output.Split('\n').Select(l => CargoMessageReader.Read(l.Trim(), temp.Path)).OfType<CargoCompilerMessage>().ToList();
    }

    [CargoFact]
    public void Rustcs_help_lines_stay_with_their_finding_and_its_summaries_are_no_findings()
    {
        var mismatch = Assert.Single(RealRustcMessages("pub fn widen(x: u32) -> u64 { x }\n").Select(m => m.Diagnostic).OfType<Diagnostic>());
        var unused = Assert.Single(RealRustcMessages("pub fn f() { let unused = 1; }\n").Select(m => m.Diagnostic).OfType<Diagnostic>());

        // "aborting due to 1 previous error" and "1 warning emitted" count nothing.
        Assert.Equal("E0308", mismatch.Code);
        Assert.Contains("help: you can convert a `u32` to a `u64`", mismatch.Message);
        Assert.Contains(": `pub fn widen(x: u32) -> u64 { x.into() }`", mismatch.Message);
        // A suggestion of several edits is shown as the code it makes, not its first edit ("(").
        var sum = Assert.Single(RealRustcMessages("pub fn widen(a: u32, b: u32) -> u64 { a + b }\n").Select(m => m.Diagnostic).OfType<Diagnostic>());
        Assert.Contains("help: you can convert a `u32` to a `u64`: `pub fn widen(a: u32, b: u32) -> u64 { (a + b).into() }`", sum.Message);
        Assert.Equal(1, mismatch.Line);
        Assert.Equal("unused_variables", unused.Code);
        Assert.Equal(Severity.Warning, unused.Severity);
        Assert.Contains("help: if this is intentional, prefix it with an underscore", unused.Message);
    }

    [CargoFact]
    public void A_syntax_error_rustc_gives_no_code_is_WDK1024_at_its_line()
    {
        var messages = RealRustcMessages("pub fn f() -> u32 {\n    let a = 1\n    a\n}\n");

        var error = Assert.Single(messages.Select(m => m.Diagnostic).OfType<Diagnostic>());

        Assert.Equal("WDK1024", error.Code);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal(2, error.Line);
        Assert.StartsWith("expected `;`", error.Message);
    }
}
