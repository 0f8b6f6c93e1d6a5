using System.Reflection;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Tests;

public class DocumentationTests
{
    [Fact]
    public void The_README_documents_every_WDK_error_code()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var codes = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.Contains($"| {code} |", readme));
    }
}
