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

        Assert.Equal(new Diagnostic(Severity.Error, "", "linking with `cc` failed"), message.Diagnostic);
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
}
