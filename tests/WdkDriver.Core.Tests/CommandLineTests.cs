using WdkDriver.Core.Processes;

namespace WdkDriver.Core.Tests;

public class CommandLineTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "\"\"")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData(@"C:\dir with space\", "\"C:\\dir with space\\\\\"")]
    [InlineData(@"C:\no\space", @"C:\no\space")]
    public void Quote_follows_the_Windows_runtime_rules(string argument, string expected) =>
        Assert.Equal(expected, CommandLine.Quote(argument));

    [Fact]
    public void Split_groups_quoted_text_and_drops_extra_space()
    {
        Assert.Equal(new[] { "--jobs", "2", "--config", "a b", "" }, CommandLine.Split("  --jobs 2  --config \"a b\" \"\" "));
    }

    [Fact]
    public void Split_of_nothing_is_empty() => Assert.Empty(CommandLine.Split(null));
}
