using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Sdk.Tests;

/// <summary>Builds killed halfway, at many moments: the next build succeeds, and nothing half-made ever looks final.</summary>
[Collection(SdkPackageCollection.Name)]
public class FaultInjectionTests
{
    private readonly SdkPackageFixture sdk;

    public FaultInjectionTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    [WindowsRustFact]
    public void A_build_killed_at_any_moment_leaves_sources_alone_and_no_false_package_and_the_next_build_succeeds()
    {
        var project = sdk.CreateProject("killed").WithSample("Booster");
        var sources = Snapshot(project.Directory);
        var package = project.PackageFolder();
        var killed = 0;

        // Kills from restore, through cargo, into stamping, signing, the catalog and the layout. Each build finds the
        // last one's leftovers and gets further, and the driver's source looks new to cargo each time (its time, not
        // its bytes), so every build goes through every stage again.
        var driverSource = project.Path("driver", "src", "lib.rs");
        foreach (var seconds in new[] { 0.4, 0.7, 1, 1.3, 1.6, 1.9, 2.2, 2.5, 2.8, 3.1, 3.4 })
        {
            File.SetLastWriteTimeUtc(driverSource, DateTime.UtcNow);
            var result = project.DotnetKilledAfter(TimeSpan.FromSeconds(seconds), "build");
            killed += result.Output.Contains("[test] killed after", StringComparison.Ordinal) ? 1 : 0;
            AssertPackageIsWholeOrAbsent(package);
        }

        project.ShouldSucceed(project.Build());

        Assert.True(killed >= 6, $"only {killed} builds were still running when killed: the kills must land inside builds");
        AssertPackageIsWholeOrAbsent(package);
        Assert.True(Directory.Exists(package));
        Assert.Equal(sources, Snapshot(project.Directory));
    }

    /// <summary>A package folder that exists is a whole, signed, verifying package: never a half-written one.</summary>
    private void AssertPackageIsWholeOrAbsent(string package)
    {
        if (!Directory.Exists(package))
        {
            return;
        }

        var certificate = X509CertificateLoader.LoadCertificateFromFile(Path.ChangeExtension(sdk.TestCertificate, ".cer"));
        Assert.Empty(PackageVerifier.VerifyPackageTree(package, new TrustOptions(new[] { certificate })));
        Assert.True(File.Exists(Path.Combine(package, "driver", "amd64", "booster.inf")));
    }

    /// <summary>SHA-256 of every source file: everything but build outputs and logs.</summary>
    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" or "target") && !f.EndsWith(".binlog", StringComparison.Ordinal) && f != "Cargo.lock")
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, f)))));
}
