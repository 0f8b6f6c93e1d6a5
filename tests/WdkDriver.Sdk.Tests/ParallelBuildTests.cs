using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Sdk.Tests;

/// <summary>Several driver projects built at once on a machine without a test certificate yet.</summary>
[Collection(SdkPackageCollection.Name)]
public class ParallelBuildTests
{
    private const int Projects = 8;
    private readonly SdkPackageFixture sdk;

    public ParallelBuildTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    [CDriverFact]
    public void Eight_projects_built_with_m_share_one_test_certificate_made_once_and_all_verify()
    {
        var root = sdk.CreateProject("parallel");
        var certificate = root.Path("fresh-profile", "WdkDriverTestCert.pfx");
        root.Write("Directory.Build.props", $"<Project><PropertyGroup><TestCertificate>{certificate}</TestCertificate></PropertyGroup></Project>");
        var names = Enumerable.Range(1, Projects).Select(i => $"driver{i}").ToList();
        foreach (var name in names)
        {
            SampleCopy.Into("PrebuiltDriver", root.Path(name), "global.json", "NuGet.config");
        }

        // A traversal project: every driver project at once, in as many nodes as they need.
        root.Write("all.proj", $$"""
            <Project DefaultTargets="Build">
              <ItemGroup>
            {{string.Join("\n", names.Select(n => $"    <DriverProject Include=\"{n}/PrebuiltDriver.proj\" />"))}}
              </ItemGroup>
              <Target Name="Restore"><MSBuild Projects="@(DriverProject)" Targets="Restore" BuildInParallel="true" /></Target>
              <Target Name="Build"><MSBuild Projects="@(DriverProject)" Targets="Build" BuildInParallel="true" /></Target>
            </Project>
            """);
        Assert.False(File.Exists(certificate));

        root.ShouldSucceed(root.Dotnet("build", "all.proj", $"-m:{Projects}"));

        var made = X509CertificateLoader.LoadCertificateFromFile(Path.ChangeExtension(certificate, ".cer"));
        var trust = new TrustOptions(new[] { made });
        foreach (var name in names)
        {
            var package = root.Path(name, "bin", "Debug", "x64", "package");
            // Made once: every package carries the one certificate there is, and its files verify against it.
            Assert.Equal(made.RawData, File.ReadAllBytes(Path.Combine(package, "WdkDriverTestCert.cer")));
            Assert.Empty(PackageVerifier.VerifyPackageTree(package, trust));
        }
    }
}
