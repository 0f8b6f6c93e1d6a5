using System.Runtime.CompilerServices;
using WdkDriver.Core.Inf;
using WdkDriver.Core.Inf.Validation;

namespace WdkDriver.Core.Tests.Inf;

/// <summary>
/// Microsoft's verdicts as the oracle: every corpus INF that a microsoft/Windows-driver-samples project validates passes
/// InfVerif in Microsoft's samples CI (stampinf, then InfVerif /samples in the project's DriverTargetPlatform mode, with
/// -warnaserror). Ours must agree, in UTF-8 and in the UTF-16LE/CRLF form Windows checks the samples out in.
/// </summary>
public class SamplesVerdictTests
{
    private static readonly DriverVer Ver = new(new DateTime(2026, 11, 30), new ushort[] { 1, 0, 0, 0 });

    private static string ModesFile([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "windows-driver-samples-modes.tsv");

    /// <summary>Each listed INF with the modes it must pass: its project's, or Universal and Desktop where that is unread.</summary>
    public static IEnumerable<object[]> Projects() => File.ReadAllLines(ModesFile())
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => line.Split('\t'))
        .SelectMany(columns => (columns[1] == "unread" ? new[] { "Universal", "Desktop" } : new[] { columns[1] })
            .Select(mode => new object[] { columns[0], mode }));

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_sample_INF_passes_in_its_projects_mode_with_samples_and_warnaserror(string inf, string mode)
    {
        var path = Path.Combine(CorpusInfs.Root, "windows-driver-samples", inf);
        var options = new InfVerifOptions(InfVerifModes.Parse(mode), WarningsAsErrors: true, Samples: true);

        foreach (var bytes in new[] { File.ReadAllBytes(path), CorpusInfs.AsUtf16Crlf(File.ReadAllBytes(path)) })
        {
            var stamped = InfStamper.Stamp(InfDocument.FromBytes(path, bytes), new StampOptions("amd64", Ver, KmdfVersion: "1.33", UmdfVersion: "2.33.0"));

            Assert.Empty(InfValidator.Validate(stamped, options).Select(f => f.ToString()));
        }
    }

    [Fact]
    public void Every_sample_INF_of_the_corpus_is_listed_or_left_out_on_purpose()
    {
        var listed = File.ReadAllLines(ModesFile()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')[0]).ToHashSet();
        var corpus = CorpusInfs.RelativePaths().Where(p => p.StartsWith("windows-driver-samples/")).Select(p => p.Substring("windows-driver-samples/".Length));
        var leftOut = new[] { "general/toaster/toastpkg/inf/autorun.inf", "general/toaster/toastpkg/inf/toastpkg.inf" };

        Assert.Equal(corpus.Except(leftOut).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }
}
