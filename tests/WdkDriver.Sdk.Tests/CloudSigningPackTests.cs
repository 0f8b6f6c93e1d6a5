using System.Security.Cryptography.Pkcs;

namespace WdkDriver.Sdk.Tests;

/// <summary>
/// <c>dotnet pack</c> of Booster signed with keys in cloud HSMs — Azure Key Vault, Azure Artifact Signing, AWS KMS —
/// through <see cref="CloudSigningStandIn"/> (a stand-in of their documented APIs, not the services), credentials from
/// the environment as CI gives them; osslsigncode verifies what was signed against the stand-in's root.
/// </summary>
[Collection(SdkPackageCollection.Name)]
public class CloudSigningPackTests
{
    private static readonly DateTimeOffset CommitTime = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly SdkPackageFixture sdk;

    public CloudSigningPackTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    [WindowsRustFact]
    public void Booster_packs_signed_by_Key_Vault_Artifact_Signing_and_KMS_signs_again_for_a_renewed_certificate_and_after_a_kill()
    {
        using var standIn = new CloudSigningStandIn();
        using var temp = new TempDirectory("cloud-pack");
        File.WriteAllBytes(temp.Combine("root.cer"), standIn.Root.RawData);
        File.WriteAllText(temp.Combine("root.pem"), standIn.Root.ExportCertificatePem());
        File.WriteAllBytes(temp.Combine("kms.cer"), standIn.KmsCertificate.RawData);
        var project = sdk.CreateProject("cloud signing").WithSample("Booster").WithGitHistory(CommitTime);
        var file = project.Path("Booster.proj");
        File.WriteAllText(file, File.ReadAllText(file).Replace("</Project>", $"  <ItemGroup><VerifyTrustedCertificate Include=\"{temp.Combine("root.cer")}\" /></ItemGroup>\n</Project>"));
        foreach (var (name, value) in standIn.Environment())
        {
            project.Environment[name] = value ?? string.Empty;
        }

        var keyVault = new[] { "-p:SignMode=ProductionSign", $"-p:ProductionAzureKeyVault={standIn.Address}", "-p:ProductionAzureKeyVaultCertificate=driver-signing" };
        DotnetResult Pack(params string[] signing) =>
            project.ShouldSucceed(project.Dotnet(new[] { "pack", "-c", "Release", "-p:DriverInstaller=msi" }.Concat(signing).ToArray()));
        var sys = Path.Combine(project.DriverFolder("Release"), "booster.sys");
        string Signer(string path) => SignerOf(path);
        void Verified()
        {
            var msi = Assert.Single(Directory.GetFiles(project.Path("bin", "Release"), "*.msi"));
            foreach (var signed in new[] { sys, Path.Combine(project.DriverFolder("Release"), "booster.cat"), msi })
            {
                var (exitCode, output) = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", temp.Combine("root.pem"), "-in", signed });
                Assert.True(exitCode == 0, $"{signed}: {output}");
            }
        }

        // Key Vault: the driver, the client, the catalog and the installer, side by side; the SDK's own check passes too.
        var first = Pack(keyVault);
        Verified();
        Assert.Equal("CN=Contoso Vault Signer driver-signing", Signer(sys));
        Assert.DoesNotContain(CloudSigningStandIn.Secret, first.Output);
        var signatures = standIn.SignCalls;
        Assert.True(signatures >= 4, $"{signatures} signatures");

        // Nothing changed: a build signs nothing again (the vault is asked only which certificate version is current).
        project.ShouldSucceed(project.Dotnet(new[] { "build", "-c", "Release" }.Concat(keyVault).ToArray()));
        Assert.Equal(signatures, standIn.SignCalls);

        // The certificate renewed in the vault: the next build signs with the new version.
        standIn.AddVaultVersion("driver-signing", ec: false);
        var before = File.ReadAllBytes(sys);
        Pack(keyVault);
        Assert.True(standIn.SignCalls > signatures);
        Assert.NotEqual(before, File.ReadAllBytes(sys));
        Verified();

        // Artifact Signing: the short-lived certificate of each answer. Its certificates cannot be registered in Partner
        // Center: a submission cabinet signed with them is a warning.
        var artifact = Pack("-p:SignMode=ProductionSign", $"-p:ProductionArtifactSigningEndpoint={standIn.Address}", "-p:ProductionArtifactSigningAccount=contoso", "-p:ProductionArtifactSigningProfile=release", "-p:DriverSubmissionCab=true");
        Verified();
        Assert.Equal("CN=Contoso Ltd (Artifact Signing stand-in)", Signer(sys));
        Assert.Contains($"{file} : warning WDK5034: The submission cabinet is signed by Artifact Signing", artifact.Output);
        Assert.DoesNotContain("warning WDK5034", first.Output);

        // AWS KMS through the official client, with the certificate the CA issued for the key.
        var kms = new[] { "-p:SignMode=ProductionSign", "-p:ProductionAwsKmsKey=alias/driver-signing", $"-p:ProductionCertificateFile={temp.Combine("kms.cer")}" };
        Pack(kms);
        Verified();
        Assert.Equal("CN=Contoso KMS Signer", Signer(sys));

        // Killed while the service is signing; the next build signs everything again and verifies.
        standIn.SignDelay = TimeSpan.FromSeconds(90);
        var calls = standIn.SignCalls;
        project.DotnetKilledAfter(TimeSpan.FromSeconds(40), new[] { "pack", "-c", "Release", "-p:DriverInstaller=msi" }.Concat(keyVault).ToArray());
        Assert.True(standIn.SignCalls > calls, "the build was killed while signing");
        standIn.SignDelay = TimeSpan.FromMilliseconds(20);
        Pack(keyVault);
        Verified();
        Assert.StartsWith("CN=Contoso Vault Signer", Signer(sys));

        // A 500 from the vault mid-build stops it with the service's error, and the pack leaves no installer behind.
        standIn.AddVaultVersion("driver-signing", ec: false);
        standIn.Faults.Enqueue(new CloudFault("/sign", 500));
        var failed = project.ShouldFail(project.Dotnet(new[] { "pack", "-c", "Release", "-p:DriverInstaller=msi" }.Concat(keyVault).ToArray()));
        Assert.Contains("error WDK4022", failed.Output);
        Assert.Empty(Directory.GetFiles(project.Path("bin", "Release"), "*.msi"));
    }

    private static string SignerOf(string path)
    {
        var cms = new SignedCms();
        var bytes = File.ReadAllBytes(path);
        var table = WdkDriver.Core.Authenticode.PeImage.TryRead(new MemoryStream(bytes), path)!;
        cms.Decode(bytes.AsSpan((int)table.CertificateTableOffset + 8, (int)table.CertificateTableSize - 8).ToArray());
        return cms.SignerInfos[0].Certificate!.Subject;
    }
}
