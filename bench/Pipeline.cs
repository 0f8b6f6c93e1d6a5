using System.Security.Cryptography;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Inf;
using WdkDriver.Core.Inf.Validation;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Bench;

/// <summary>The packaging pipeline of the Booster sample, in-process and warm; and every corpus INF parsed, stamped and validated.</summary>
public static class Pipeline
{
    public static void Run(Report report, string work, int rounds)
    {
        var folder = Path.Combine(work, "pipeline");
        var driver = BuildBooster(Path.Combine(work, "booster-source"));
        using var certificate = TestCertificate.Create("CN=WdkDriver benchmark", DateTimeOffset.UtcNow);
        var signer = FileSigner.WithCertificate(certificate);
        var trust = new TrustOptions(new[] { certificate });
        var inx = Path.Combine(RepositoryPaths.Samples, "Booster", "booster.inx");
        var stamp = new StampOptions("amd64", DriverVer.Parse("11/24/2026,1.0.0.0"), "booster.cat");

        void Package()
        {
            Directory.CreateDirectory(folder);
            var inf = Path.Combine(folder, "booster.inf");
            File.WriteAllBytes(inf, InfStamper.Stamp(InfDocument.Load(inx), stamp).ToBytes());
            if (InfValidator.Validate(inf, new InfVerifOptions()).Count > 0)
            {
                throw new InvalidOperationException("booster.inf does not validate");
            }

            signer.Sign(driver, Path.Combine(folder, "booster.sys"), HashAlgorithmName.SHA256, default);
            var files = new Dictionary<string, string> { ["booster.inf"] = inf, ["booster.sys"] = Path.Combine(folder, "booster.sys") };
            var unsigned = Path.Combine(folder, "booster.unsigned.cat");
            File.WriteAllBytes(unsigned, CatalogBuilder.Build(files, new CatalogOptions("10_X64", Time: DateTimeOffset.UnixEpoch), DateTimeOffset.UtcNow));
            signer.Sign(unsigned, Path.Combine(folder, "booster.cat"), HashAlgorithmName.SHA256, default);
            files["booster.cat"] = Path.Combine(folder, "booster.cat");
            if (PackageVerifier.VerifyPackage(files, trust).Count > 0)
            {
                throw new InvalidOperationException("the package does not verify");
            }
        }

        var corpus = Directory.GetFiles(Path.Combine(RepositoryPaths.Corpus, "inf"), "*.in?", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(RepositoryPaths.Corpus, "inf"), "*.tmp", SearchOption.AllDirectories))
            .ToList();
        var corpusStamp = new StampOptions("amd64", DriverVer.Parse("11/24/2026,1.0.0.0"), "x.cat", "1.33", "2.33.0");
        void Corpus()
        {
            foreach (var file in corpus)
            {
                // A few corpus files (autorun.inf) are INF syntax without a [Version] to stamp.
                var document = InfDocument.Load(file);
                InfValidator.Validate(document.FindSection("Version") is null ? document : InfStamper.Stamp(document, corpusStamp), new InfVerifOptions());
            }
        }

        var timings = Measure.Interleaved(
            rounds,
            new Contender("Booster: stamp, validate, sign .sys, catalog, sign .cat, verify", Package),
            new Contender($"INF corpus: parse, stamp and validate {corpus.Count} INFs", Corpus));
        report.Table("3–4. The packaging pipeline and the INF corpus, in-process, warm", timings, "vs the pipeline");
        report.Target("Booster packaging pipeline, ms", timings[0].Median, 100, atMost: true);
        report.Target("INF corpus, ms", timings[1].Median, 150, atMost: true);
        report.Line();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Builds the Booster sample's driver with cargo (release) and returns the DLL.</summary>
    private static string BuildBooster(string folder)
    {
        var workspace = Path.Combine(folder, "Booster");
        SampleCopy.Into("Booster", workspace);
        Tools.Run(workspace, new Dictionary<string, string> { ["RUSTC"] = "/usr/bin/rustc" }, "/usr/bin/cargo", "build", "--release", "--target", "x86_64-pc-windows-gnu", "-p", "booster");
        return Path.Combine(workspace, "target", "x86_64-pc-windows-gnu", "release", "booster.dll");
    }
}
