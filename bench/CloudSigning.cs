using System.Security.Cryptography;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Signing.Cloud;

namespace WdkDriver.Bench;

/// <summary>
/// A package's signed files (Booster's kinds: the driver, the client, the catalog, the submission cabinet, the
/// installer's place taken by a second PE) signed with a Key Vault key through the tests' stand-in of Key Vault, which
/// answers each signature after 150 ms as the real service takes 100-300 ms: one call after another, and side by side
/// as the SDK signs (SigningConcurrency 4).
/// </summary>
public static class CloudSigning
{
    public static void Run(Report report, string work, int rounds)
    {
        using var standIn = new CloudSigningStandIn { SignDelay = TimeSpan.FromMilliseconds(150) };
        var saved = standIn.Environment().ToDictionary(p => p.Key, p => Environment.GetEnvironmentVariable(p.Key));
        foreach (var (name, value) in standIn.Environment())
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var folder = Path.Combine(work, "cloud-signing");
            Directory.CreateDirectory(folder);
            var exe = Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe");
            var sys = Path.Combine(RepositoryPaths.Samples, "PrebuiltDriver", "mingw", "hello.sys");
            var cab = Path.Combine(folder, "submission.cab");
            CabinetWriter.Write(cab, new[] { new CabinetSource("hello\\hello.sys", sys) }, CabinetCompression.MsZip, new DateTime(2026, 12, 1));
            var sources = new[] { sys, exe, Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.cat"), cab, exe };
            var files = sources.Select((source, i) => (source, Path.Combine(folder, $"signed-{i}{Path.GetExtension(source)}"))).ToList();
            using var signer = FileSigner.WithKey(AzureKeyVaultKey.Open(standIn.Address.AbsoluteUri, "driver-signing"));
            void Clean()
            {
                foreach (var (_, destination) in files)
                {
                    File.Delete(destination);
                }
            }

            var timings = Measure.Interleaved(
                rounds,
                new Contender("one call after another (SigningConcurrency=1)", () => signer.SignAll(files, HashAlgorithmName.SHA256, 1, default), Clean),
                new Contender("side by side (SigningConcurrency=4, the default)", () => signer.SignAll(files, HashAlgorithmName.SHA256, 4, default), Clean));
            report.Table($"10. Signing a package's {files.Count} files with a Key Vault key, through a stand-in answering in {standIn.SignDelay.TotalMilliseconds:0} ms", timings, "vs one after another");
            report.Line($"- {standIn.SignCalls / (rounds + 1) / 2} remote calls a round for {files.Count} files: one per digest, none to probe the key (the vault gives the certificate with its key).");
            report.Line();
            Directory.Delete(folder, recursive: true);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
