using System.Runtime.CompilerServices;
using WdkDriver.Core.Inf.Validation;

namespace WdkDriver.Core.Tests.Inf;

/// <summary>
/// Holds the validator to a reviewed list of what it reports for each corpus file in each mode. Every corpus file is a
/// source its project stamps when it builds (the minifilters' .inf files too), so each is checked as InfVerif's
/// /stampinf sees it. After a deliberate change, regenerate with WDK_UPDATE_GOLDEN=1, review the diff.
/// </summary>
public class InfValidatorGoldenTests
{
    private static string GoldenFile([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "infverif-corpus.golden");

    private static IEnumerable<string> Findings()
    {
        foreach (var mode in new[] { InfVerifMode.Universal, InfVerifMode.Desktop, InfVerifMode.WindowsDriver, InfVerifMode.Whql })
        {
            foreach (var file in CorpusInfs.RelativePaths())
            {
                var options = new InfVerifOptions(mode, StampInf: true);
                foreach (var finding in InfValidator.Validate(CorpusInfs.Full(file), options))
                {
                    yield return $"{mode} {file}({finding.Line},{finding.Column}): {finding.Severity.ToString().ToLowerInvariant()} {finding.Code}";
                }
            }
        }
    }

    [Fact]
    public void Corpus_findings_match_the_reviewed_list()
    {
        var actual = Findings().ToList();
        if (Environment.GetEnvironmentVariable("WDK_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllLines(GoldenFile(), actual);
        }

        var expected = File.ReadAllLines(GoldenFile());
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void No_corpus_file_has_a_parse_level_error()
    {
        var parseLevel = Findings().Where(f => f.Contains("INF1002") || f.Contains("INF1003") || f.Contains("INF1299")).ToList();

        Assert.Empty(parseLevel);
    }

    [Fact]
    public void The_error_code_page_documents_every_code_the_validator_reports()
    {
        // The INF codes' table is on the validation page.
        var page = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "inf.md"));

        Assert.All(InfVerifCodes.Implemented, code => Assert.Contains("INF" + code, page));
    }
}
