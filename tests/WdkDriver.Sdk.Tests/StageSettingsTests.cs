using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Signing;

namespace WdkDriver.Sdk.Tests;

/// <summary>
/// Every stage follows its settings, not only its files: a setting changed between two builds runs the stages it
/// affects again, and no other; a signing key that no longer opens fails the build even when nothing is left to sign.
/// </summary>
[Collection(SdkPackageCollection.Name)]
public class StageSettingsTests
{
    private const string Password = "Stage-Settings-Pfx-1";
    private static readonly string[] Stages = { "StampInf", "ValidateInf", "SignDriverFiles", "CreateCatalog", "SignCatalog", "VerifyDriverPackage", "LayoutDriverPackage" };
    private readonly SdkPackageFixture sdk;

    public StageSettingsTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    private static string[] Skipped(DotnetResult result) =>
        Stages.Where(s => result.Output.Contains($"Skipping target \"{s}\" because all output files are up-to-date", StringComparison.Ordinal)).ToArray();

    [WindowsRustFact]
    public void A_setting_changed_with_p_runs_the_stages_it_affects_and_no_other()
    {
        var project = sdk.CreateProject("settings").WithSample("Booster");
        project.Environment["SOURCE_DATE_EPOCH"] = "1700000000";
        project.ShouldSucceed(project.Build());
        Assert.Equal(Stages, Skipped(project.ShouldSucceed(project.Build("-v:n"))));

        // Each build adds one setting to the ones before it, so each compares with the build just before it.
        var settings = new List<string>();
        void Expect(string setting, params string[] run)
        {
            settings.Add(setting);
            var result = project.ShouldSucceed(project.Build(settings.Append("-v:n").ToArray()));
            Assert.True(Stages.Except(run).SequenceEqual(Skipped(result)), $"{setting}: expected {string.Join(", ", run)} to run, skipped were {string.Join(", ", Skipped(result))}\n{result}");
        }

        Expect("-p:InfVerifSamples=true", "ValidateInf");
        Expect("-p:InfVerifSuppress=1234", "ValidateInf");
        Expect("-p:Inf2CatWindowsVersionList=10_X64%2CServer10_X64", "CreateCatalog", "SignCatalog", "VerifyDriverPackage", "LayoutDriverPackage");
        Expect("-p:FileDigestAlgorithm=sha384", "SignDriverFiles", "CreateCatalog", "SignCatalog", "VerifyDriverPackage", "LayoutDriverPackage");
        Expect("-p:DriverVersion=3.1.4.1", "StampInf", "ValidateInf", "CreateCatalog", "SignCatalog", "VerifyDriverPackage", "LayoutDriverPackage");

        // The catalog really follows the OS list, and the same settings again run nothing.
        var os = CatalogReader.Read(Path.Combine(project.DriverFolder(), "booster.cat")).Attributes.Single(a => a.Key == "OS").Value;
        Assert.Equal(string.Join(",", OsTarget.ParseList("10_X64,Server10_X64").Select(t => t.Token)), os);
        Assert.Equal(Stages, Skipped(project.ShouldSucceed(project.Build(settings.Append("-v:n").ToArray()))));
    }

    /// <summary>
    /// Booster with a production certificate in <paramref name="temp"/> (production.pfx, .cer and .pem), which its
    /// verification trusts; the arguments that sign with it, its password in PRODUCTION_PFX_PASSWORD.
    /// </summary>
    private (TestProject Project, string[] Production) ProductionProject(TempDirectory temp, string name, string subject)
    {
        using var certificate = TestCertificate.Create(subject, DateTimeOffset.UtcNow);
        var pfx = temp.Combine("production.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, Password));
        File.WriteAllText(temp.Combine("production.pem"), certificate.ExportCertificatePem());
        File.WriteAllBytes(temp.Combine("production.cer"), certificate.RawData);
        var project = sdk.CreateProject(name).WithSample("Booster");
        project.Environment["PRODUCTION_PFX_PASSWORD"] = Password;
        var projectFile = project.Path("Booster.proj");
        File.WriteAllText(projectFile, File.ReadAllText(projectFile).Replace("</Project>", $"  <ItemGroup><VerifyTrustedCertificate Include=\"{temp.Combine("production.cer")}\" /></ItemGroup>\n</Project>"));
        return (project, new[] { "-p:SignMode=ProductionSign", $"-p:ProductionCertificate={pfx}", "-p:ProductionCertificatePasswordVariable=PRODUCTION_PFX_PASSWORD" });
    }

    [WindowsRustFact]
    public void Test_production_and_test_signing_in_one_folder_each_sign_verify_and_pack_what_they_say()
    {
        using var temp = new TempDirectory("sign-switch");
        // Trusted when test-signing too, beside the test certificate: each build must verify against its own signer.
        var (project, production) = ProductionProject(temp, "sign-switch", "CN=Contoso Switch Test");
        var sys = Path.Combine(project.DriverFolder(), "booster.sys");
        var testCer = Path.Combine(project.PackageFolder(), "WdkDriverTestCert.cer");

        void SignedBy(string pem)
        {
            foreach (var file in new[] { sys, Path.Combine(project.DriverFolder(), "booster.cat"), Path.Combine(project.ClientFolder(), "boost.exe") })
            {
                ToolProcess.Succeed(temp.Path, "osslsigncode", "verify", "-CAfile", pem, "-in", file);
            }
        }

        // A production-signed pack goes to bin/Debug/, a test-signed one to bin/Debug/test-signed/: neither can be
        // taken for, or replace, the other.
        string Readme(string folder, params string[] arguments)
        {
            project.ShouldSucceed(project.Dotnet(new[] { "pack", "-c", "Debug" }.Concat(arguments).ToArray()));
            var nupkg = Directory.GetFiles(folder, "*.nupkg").Single();
            using var zip = System.IO.Compression.ZipFile.OpenRead(nupkg);
            using var reader = new StreamReader(zip.GetEntry("README.md")!.Open());
            return reader.ReadToEnd();
        }

        project.ShouldSucceed(project.Build());
        File.WriteAllText(temp.Combine("test.pem"), X509CertificateLoader.LoadCertificateFromFile(testCer).ExportCertificatePem());
        SignedBy(temp.Combine("test.pem"));

        project.ShouldSucceed(project.Build(production));
        SignedBy(temp.Combine("production.pem"));
        Assert.False(File.Exists(testCer), "a production-signed package carries no test certificate");
        var readme = Readme(project.Path("bin", "Debug"), production);
        Assert.Contains("| Signature | the vendor's (Contoso Switch Test)", readme);
        Assert.DoesNotContain("TrustTestCertificate", readme);

        project.ShouldSucceed(project.Build());
        SignedBy(temp.Combine("test.pem"));
        Assert.True(File.Exists(testCer));
        var productionPackage = Directory.GetFiles(project.Path("bin", "Debug"), "*.nupkg").Single();
        var productionBytes = File.ReadAllBytes(productionPackage);
        Assert.Contains("| Signature | test-signed:", Readme(project.Path("bin", "Debug", "test-signed")));
        Assert.Equal(productionBytes, File.ReadAllBytes(productionPackage));
    }

    [WindowsRustFact]
    public void A_wrong_password_or_a_damaged_pfx_after_a_good_build_fails_at_the_pfx()
    {
        using var temp = new TempDirectory("sign-broken");
        var (project, production) = ProductionProject(temp, "sign-broken", "CN=Contoso Broken Test");
        var pfx = temp.Combine("production.pfx");
        project.ShouldSucceed(project.Dotnet(new[] { "pack", "-c", "Debug" }.Concat(production).ToArray()));
        Assert.Single(Directory.GetFiles(project.Path("bin", "Debug"), "*.nupkg"));

        project.Environment["PRODUCTION_PFX_PASSWORD"] = "Not-The-Pfx-Password-9";
        var wrong = project.ShouldFail(project.Dotnet(new[] { "pack", "-c", "Debug" }.Concat(production).ToArray()));
        Assert.Contains($"{pfx} : error WDK4001:", wrong.Output);
        Assert.DoesNotContain("Not-The-Pfx-Password-9", wrong.Output);
        Assert.False(Directory.Exists(project.PackageFolder()), "a failed build takes the old package away");
        Assert.Empty(Directory.GetFiles(project.Path("bin", "Debug"), "*.nupkg"));

        project.Environment["PRODUCTION_PFX_PASSWORD"] = Password;
        project.ShouldSucceed(project.Build(production));
        var bytes = File.ReadAllBytes(pfx);
        File.WriteAllBytes(pfx, bytes.Take(bytes.Length / 2).ToArray());
        var damaged = project.ShouldFail(project.Build(production));
        Assert.Contains($"{pfx} : error WDK4001:", damaged.Output);
    }
}
