using System.Reflection;
using System.Text.RegularExpressions;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Tests;

public class DocumentationTests
{
    /// <summary>The error-code tables.</summary>
    private static readonly string ErrorCodesPage = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "error-codes.md"));

    private static readonly string[] Pages = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md")
        .Append(Path.Combine(RepositoryPaths.Root, "README.md"))
        .Order(StringComparer.Ordinal)
        .ToArray();

    [Fact]
    public void The_README_is_short_and_links_every_reference_page()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));

        Assert.True(readme.Split('\n').Length < 200, "the README is for the first ten minutes");
        Assert.All(Pages.Where(p => Path.GetFileName(Path.GetDirectoryName(p)) == "docs"), page => Assert.Contains($"]({Repository}docs/{Path.GetFileName(page)})", readme));
    }

    /// <summary>The README is also the SDK package's readme on nuget.org, where only absolute links work.</summary>
    private const string Repository = "https://github.com/wdkdriver/WdkDriver.Sdk/blob/main/";

    [Fact]
    public void The_READMEs_links_are_absolute_for_nuget_org()
    {
        var readme = WithoutCode(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")));

        Assert.Empty(Regex.Matches(readme, @"\]\((?!https?:)[^)]*\)").Select(m => m.Value));
    }

    [Fact]
    public void Every_relative_link_of_the_documentation_reaches_its_file_and_heading()
    {
        var links = 0;
        foreach (var page in Pages)
        {
            var text = File.ReadAllText(page);
            // The README's links into this repository are absolute (it is a package readme too): they count as relative.
            foreach (Match link in Regex.Matches(WithoutCode(text).Replace("](" + Repository, "](" + Path.GetRelativePath(Path.GetDirectoryName(page)!, RepositoryPaths.Root).Replace('\\', '/') + "/"), @"\]\((?<file>[^)#:\s]*)(#(?<anchor>[^)\s]+))?\)"))
            {
                var file = link.Groups["file"].Value;
                var target = file.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, file));
                Assert.True(File.Exists(target) || Directory.Exists(target), $"{Path.GetFileName(page)}: {link.Value} names no file");
                if (link.Groups["anchor"].Success)
                {
                    Assert.True(Anchors(File.ReadAllText(target)).Contains(link.Groups["anchor"].Value), $"{Path.GetFileName(page)}: {link.Value} names no heading");
                }

                links++;
            }
        }

        Assert.True(links > 30, $"{links} links");
    }

    /// <summary>GitHub's anchors: the heading lower-cased, punctuation but hyphens removed, spaces as hyphens.</summary>
    private static HashSet<string> Anchors(string markdown) =>
        Regex.Matches(WithoutCode(markdown), @"^#{1,6} (.+)$", RegexOptions.Multiline)
            .Select(m => Regex.Replace(m.Groups[1].Value.Trim().ToLowerInvariant(), @"[^\w\- ]", string.Empty).Replace(' ', '-'))
            .ToHashSet();

    private static string WithoutCode(string markdown) => Regex.Replace(markdown, @"^```.*?^```", string.Empty, RegexOptions.Multiline | RegexOptions.Singleline);

    [Fact]
    public void The_error_code_page_documents_every_WDK_error_code_of_the_code()
    {
        var codes = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.Contains($"| {code} |", ErrorCodesPage));
    }

    [Fact]
    public void The_error_code_page_documents_every_WDK_error_code_of_the_targets_and_the_install_scripts()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "sdk", "Sdk"), "*.targets")
            .Concat(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "sdk", "install")));
        var codes = files.SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\bWDK\d{4}\b").Select(m => m.Value)).Distinct().ToList();

        Assert.Contains("WDK1021", codes);
        Assert.Contains("WDK5013", codes);
        Assert.All(codes, code => Assert.Contains($"| {code} |", ErrorCodesPage));
    }

    [Fact]
    public void No_code_means_two_things()
    {
        var codeOfCode = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();
        var rows = Regex.Matches(ErrorCodesPage, @"^\| (WDK\d{4}) \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

        Assert.Empty(codeOfCode.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(rows.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key));
    }
}
