using System.Reflection;
using System.Text.RegularExpressions;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Tests;

public class DocumentationTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));

    [Fact]
    public void The_README_documents_every_WDK_error_code_of_the_code()
    {
        var codes = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.Contains($"| {code} |", Readme));
    }

    [Fact]
    public void The_README_documents_every_WDK_error_code_of_the_targets_and_the_install_scripts()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "sdk", "Sdk"), "*.targets")
            .Concat(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "sdk", "install")));
        var codes = files.SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\bWDK\d{4}\b").Select(m => m.Value)).Distinct().ToList();

        Assert.Contains("WDK1021", codes);
        Assert.Contains("WDK5013", codes);
        Assert.All(codes, code => Assert.Contains($"| {code} |", Readme));
    }

    [Fact]
    public void No_code_means_two_things()
    {
        var codeOfCode = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();
        var rows = Regex.Matches(Readme, @"^\| (WDK\d{4}) \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

        Assert.Empty(codeOfCode.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(rows.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key));
    }
}
