using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Signing;

namespace WdkDriver.Bench;

/// <summary>Signing a 50 MB PE: in-process, the wdkdriver command as a process, and osslsigncode.</summary>
public static class Signing
{
    public static void Run(Report report, string work, int rounds, string cli, string nativeCli)
    {
        var folder = Path.Combine(work, "signing");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "big.c"), "static volatile unsigned char blob[50 << 20] = { 1 };\nint main(int argc, char **argv) { (void)argv; return blob[argc]; }\n");
        Tools.Run(folder, "x86_64-w64-mingw32-gcc", "-O2", "-s", "-o", "big.exe", "big.c");
        var image = Path.Combine(folder, "big.exe");

        using var certificate = TestCertificate.Create("CN=WdkDriver benchmark", DateTimeOffset.UtcNow);
        var pfx = Path.Combine(folder, "bench.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "bench"));
        var environment = new Dictionary<string, string> { ["BENCH_PFX_PASSWORD"] = "bench" };
        var signer = FileSigner.WithCertificate(certificate);
        var inProcess = Path.Combine(folder, "in-process.exe");
        var byCli = Path.Combine(folder, "cli.exe");
        var byNative = Path.Combine(folder, "native.exe");
        var byOsslsigncode = Path.Combine(folder, "osslsigncode.exe");

        var timings = Measure.Interleaved(
            rounds,
            new Contender("osslsigncode sign -h sha256", () => Tools.Run(folder, "osslsigncode", "sign", "-pkcs12", pfx, "-pass", "bench", "-h", "sha256", "-in", image, "-out", byOsslsigncode), () => File.Delete(byOsslsigncode)),
            new Contender("WdkDriver in-process (FileSigner)", () => signer.Sign(image, inProcess, HashAlgorithmName.SHA256, default), () => File.Delete(inProcess)),
            new Contender("wdkdriver sign, installed tool (dotnet tool install: this machine's Native AOT package; a process, startup included)", () => Tools.Run(folder, environment, nativeCli, "sign", byNative, "--pfx", pfx, "--password-env", "BENCH_PFX_PASSWORD"), () => File.Copy(image, byNative, overwrite: true)),
            new Contender("wdkdriver sign, .NET tool build (dotnet wdkdriver.dll)", () => Tools.Run(folder, environment, "dotnet", cli, "sign", byCli, "--pfx", pfx, "--password-env", "BENCH_PFX_PASSWORD"), () => File.Copy(image, byCli, overwrite: true)));
        report.Table($"2. Signing a {new FileInfo(image).Length / 1e6:0} MB PE image (SHA-256, RSA-2048)", timings, "time vs osslsigncode");
        report.Target("in-process signing vs osslsigncode", timings[1].Median / timings[0].Median, 0.5, atMost: true);
        report.Target("wdkdriver sign, the installed tool (Native AOT package) vs osslsigncode", timings[2].Median / timings[0].Median, 1.0, atMost: true);
        report.Line($"- The framework-dependent build (the tool's 'any' package, for machines without a native one) takes {timings[3].Median / timings[0].Median:0.00}× osslsigncode's time: .NET's start-up and JIT. " +
                    "`dotnet tool install WdkDriver.Cli` installs the native package where there is one for the machine (linux-x64, linux-arm64, win-x64, win-arm64, osx-arm64).");
        report.Line();
        Directory.Delete(folder, recursive: true);
    }
}
