using System.IO.Compression;
using System.Text;

namespace WdkDriver.Sdk.Tests;

/// <summary>
/// <c>dotnet pack -p:DriverSubmissionCab=true</c>: the cabinet Partner Center takes, signed with a key in a PKCS#11
/// token (SoftHSM2), read back by cabextract and gcab and verified by osslsigncode.
/// </summary>
[Collection(SdkPackageCollection.Name)]
public class SubmissionCabTests
{
    private static readonly DateTimeOffset CommitTime = new(2026, 11, 30, 10, 20, 30, TimeSpan.Zero);
    private readonly SdkPackageFixture sdk;

    public SubmissionCabTests(SdkPackageFixture sdk)
    {
        this.sdk = sdk;
    }

    [WindowsRustSoftHsmFact]
    public void Booster_packs_a_submission_cab_signed_by_the_tokens_key_that_cabextract_gcab_and_osslsigncode_accept()
    {
        using var token = new SoftHsmToken();
        var project = sdk.CreateProject("submission").WithSample("Booster").WithGitHistory(CommitTime);
        var file = project.Path("Booster.proj");
        File.WriteAllText(file, File.ReadAllText(file).Replace("</Project>", $"  <ItemGroup><VerifyTrustedCertificate Include=\"{token.CertificateDer}\" /></ItemGroup>\n</Project>"));
        foreach (var (name, value) in token.Environment)
        {
            project.Environment[name] = value;
        }

        // Through OpenSC's pkcs11-spy, which logs every call the build makes to the token.
        using var temp = new TempDirectory("submission");
        project.Environment["PKCS11SPY"] = SoftHsmToken.Module;
        project.Environment["PKCS11SPY_OUTPUT"] = temp.Combine("spy.log");

        var pack = project.ShouldSucceed(project.Dotnet(
            "pack", "-c", "Release", "-p:DriverSubmissionCab=true", "-p:SignMode=ProductionSign",
            $"-p:ProductionPkcs11Module={SoftHsmToken.Spy}", $"-p:ProductionPkcs11Token={SoftHsmToken.Label}",
            $"-p:ProductionPkcs11Key={SoftHsmToken.KeyLabel}", $"-p:ProductionPkcs11PinVariable={SoftHsmToken.PinVariable}"));

        // One login for the whole pack: the driver, the client, the catalog and the cabinet share the session.
        Assert.Equal(1, SoftHsmToken.Calls(temp.Combine("spy.log"), "C_Login"));
        Assert.Equal(1, SoftHsmToken.Calls(temp.Combine("spy.log"), "C_Logout"));

        // The GNU target writes no .pdb: one warning says so, and nothing else is a warning.
        Assert.Contains($"{project.Path("Booster.proj")} : warning WDK5032", pack.Output);
        Assert.DoesNotContain("warning WDK5033", pack.Output);
        var nupkg = Assert.Single(Directory.GetFiles(project.Path("bin", "Release"), "Booster.*.nupkg"));
        var version = Path.GetFileNameWithoutExtension(nupkg).Substring("Booster.".Length);
        var cab = project.Path("bin", "Release", $"Booster.{version}.amd64.submission.cab");
        Assert.True(File.Exists(cab), string.Join(", ", Directory.GetFiles(project.Path("bin", "Release"))));

        // One folder named after the driver, holding the package as built: the token-signed driver and catalog.
        ToolProcess.Succeed(temp.Path, "gcab", "-x", "-C", temp.Combine("gcab"), cab);
        var extracted = Directory.GetFiles(temp.Combine("gcab"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(temp.Combine("gcab"), f)).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "booster/booster.cat", "booster/booster.inf", "booster/booster.sys" }, extracted);
        foreach (var name in new[] { "booster.cat", "booster.inf", "booster.sys" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(project.DriverFolder("Release"), name)), File.ReadAllBytes(temp.Combine("gcab", "booster", name)));
        }

        var (tested, testOutput) = ToolProcess.Run(temp.Path, "cabextract", new[] { "-t", cab });
        Assert.True(tested == 0, testOutput);
        foreach (var signed in new[] { cab, temp.Combine("gcab", "booster", "booster.sys"), temp.Combine("gcab", "booster", "booster.cat") })
        {
            var (verified, said) = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", token.CertificatePem, "-in", signed });
            Assert.True(verified == 0, $"{signed}: {said}");
        }

        // osslsigncode signs the same cabinet with the same token key: the cabinet bytes it signs are ours.
        ToolProcess.Succeed(temp.Path, "osslsigncode", "remove-signature", "-in", cab, "-out", "unsigned.cab");
        var uri = $"pkcs11:token={Uri.EscapeDataString(SoftHsmToken.Label)};object={SoftHsmToken.KeyLabel};type=private;pin-value={SoftHsmToken.Pin}";
        var (theirs, theirOutput) = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "sign", "-pkcs11module", SoftHsmToken.Module, "-certs", token.CertificatePem, "-key", uri, "-h", "sha256", "-in", "unsigned.cab", "-out", "theirs.cab" }, token.Environment);
        Assert.True(theirs == 0, theirOutput);
        var ours = File.ReadAllBytes(cab);
        var their = File.ReadAllBytes(temp.Combine("theirs.cab"));
        var cabinetSize = BitConverter.ToInt32(ours, 8);
        Assert.Equal(ours.AsSpan(0x34, cabinetSize - 0x34).ToArray(), their.AsSpan(0x34, cabinetSize - 0x34).ToArray());
        ToolProcess.Succeed(temp.Path, "osslsigncode", "verify", "-CAfile", token.CertificatePem, "-in", "theirs.cab");

        // The PIN is in no log.
        Assert.DoesNotContain(SoftHsmToken.Pin, pack.Output);
        using var binlog = new GZipStream(File.OpenRead(pack.BinlogPath), CompressionMode.Decompress);
        var bytes = new MemoryStream();
        binlog.CopyTo(bytes);
        Assert.True(bytes.ToArray().AsSpan().IndexOf(Encoding.UTF8.GetBytes(SoftHsmToken.Pin)) < 0, "the PIN is in the binary log");
    }

    [WindowsRustFact]
    public void A_test_signed_submission_says_Partner_Center_will_not_take_it_and_a_bad_folder_name_leaves_no_cab()
    {
        var project = sdk.CreateProject("submission-test").WithSample("Booster").WithGitHistory(CommitTime);

        var pack = project.ShouldSucceed(project.Dotnet("pack", "-c", "Release", "-p:DriverSubmissionCab=true"));

        Assert.Contains("warning WDK5033", pack.Output);
        var cab = Assert.Single(Directory.GetFiles(project.Path("bin", "Release", "test-signed"), "Booster.*.amd64.submission.cab"));
        var packAgain = project.ShouldSucceed(project.Dotnet("pack", "-c", "Release", "-p:DriverSubmissionCab=true"));
        var first = File.ReadAllBytes(cab);

        var bad = project.ShouldFail(project.Dotnet("pack", "-c", "Release", "--no-build", "-p:DriverSubmissionCab=true", "-p:DriverSubmissionFolder=booster-driver"));

        Assert.Contains("error WDK5030", bad.Output);
        Assert.Contains("'-' is not a letter or digit", bad.Output);
        Assert.False(File.Exists(cab));
        project.ShouldSucceed(project.Dotnet("pack", "-c", "Release", "--no-build", "-p:DriverSubmissionCab=true"));
        // The same commit and key give the same cabinet, signature included.
        Assert.Equal(first, File.ReadAllBytes(cab));
        Assert.Contains("warning WDK5033", packAgain.Output);
    }

    [WindowsRustAzuriteFact]
    public void Packing_with_DriverAttestation_submits_to_the_stand_in_and_brings_back_a_verified_package_and_a_rerun_resumes()
    {
        // The STAND-IN of Partner Center (not Partner Center), uploading to Azurite, signing with its own pinned root.
        using var storage = new Azurite();
        using var standIn = new HardwareApiStandIn(storage, "wdk-ci", "sdk-stand-in-secret");
        var project = sdk.CreateProject("attestation").WithSample("Booster").WithGitHistory(CommitTime);
        File.WriteAllBytes(project.Path("stand-in-root.cer"), standIn.Root.RawData);
        var file = project.Path("Booster.proj");
        File.WriteAllText(file, File.ReadAllText(file).Replace("</Project>", "  <ItemGroup><PartnerCenterPinnedRoot Include=\"stand-in-root.cer\" /></ItemGroup>\n</Project>"));
        project.Environment["WDK_PARTNER_CENTER_SECRET"] = "sdk-stand-in-secret";
        string[] pack =
        {
            "pack", "-c", "Release", "-p:DriverSubmissionCab=true", "-p:DriverAttestation=true", "-p:PartnerCenterTenant=contoso.onmicrosoft.com",
            "-p:PartnerCenterClientId=wdk-ci", "-p:PartnerCenterSecretVariable=WDK_PARTNER_CENTER_SECRET", $"-p:PartnerCenterApiUrl={standIn.ApiAddress}",
            $"-p:PartnerCenterAuthority={standIn.Authority}", "-p:PartnerCenterPollInterval=0",
        };

        var first = project.ShouldSucceed(project.Dotnet(pack));

        var signed = Assert.Single(Directory.GetFiles(project.Path("bin", "Release", "test-signed"), "Booster.*.amd64.submission.signed.zip"));
        using (var zip = ZipFile.OpenRead(signed))
        {
            Assert.Equal(new[] { "booster/booster.cat", "booster/booster.inf", "booster/booster.sys" }, zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
            using var inf = new MemoryStream();
            using (var entry = zip.GetEntry("booster/booster.inf")!.Open())
            {
                entry.CopyTo(inf);
            }

            Assert.Equal(File.ReadAllBytes(Path.Combine(project.DriverFolder("Release"), "booster.inf")), inf.ToArray());
        }

        Assert.Contains("Creating the product 'Booster.", first.Output);
        Assert.Contains("Verified: ", first.Output);
        Assert.DoesNotContain("sdk-stand-in-secret", first.Output);

        // The .nupkg ships Microsoft's driver package: its files as returned, the client as built, no test certificate.
        var nupkg = Assert.Single(Directory.GetFiles(project.Path("bin", "Release", "test-signed"), "Booster.*.nupkg"));
        var firstNupkg = File.ReadAllBytes(nupkg);
        using (var package = ZipFile.OpenRead(nupkg))
        using (var zip = ZipFile.OpenRead(signed))
        {
            foreach (var name in new[] { "booster.cat", "booster.inf", "booster.sys" })
            {
                Assert.Equal(Bytes(zip, "booster/" + name), Bytes(package, "driver/amd64/" + name));
            }

            Assert.NotEqual(File.ReadAllBytes(Path.Combine(project.DriverFolder("Release"), "booster.cat")), Bytes(package, "driver/amd64/booster.cat"));
            Assert.Null(package.GetEntry("WdkDriverTestCert.cer"));
            Assert.NotNull(package.GetEntry("client/amd64/boost.exe"));
        }

        // Packing again makes the same cabinet: its state file resumes the submission instead of making a new product.
        var second = project.ShouldSucceed(project.Dotnet(pack));

        Assert.DoesNotContain("Creating the product", second.Output);
        Assert.Contains("Verified: ", second.Output);
        Assert.Equal(1, standIn.ProductsCreated);
        Assert.Equal(1, standIn.SubmissionsCreated);

        // The downloaded package packs on its own too, to the same bytes; one that is not this build's does not.
        var copy = project.Path("signed-copy.zip");
        File.Copy(signed, copy);
        project.ShouldSucceed(project.Dotnet("pack", "-c", "Release", "--no-build", $"-p:AttestedDriverPackage={copy}", "-p:DriverInstaller=msi"));
        Assert.Equal(firstNupkg, File.ReadAllBytes(nupkg));
        // Its installer installs Microsoft's driver package too.
        var msi = Assert.Single(Directory.GetFiles(project.Path("bin", "Release", "test-signed"), "Booster.*.amd64.msi"));
        var installed = project.Path("installed");
        WdkDriver.Core.Installer.InstallerFiles.ExtractTo(WdkDriver.Core.Installer.InstallerDatabaseReader.Read(msi), msi, installed);
        using (var zip = ZipFile.OpenRead(signed))
        {
            foreach (var name in new[] { "booster.cat", "booster.inf", "booster.sys" })
            {
                Assert.Equal(Bytes(zip, "booster/" + name), File.ReadAllBytes(Directory.GetFiles(installed, name, SearchOption.AllDirectories).Single()));
            }
        }

        using (var zip = ZipFile.Open(copy, ZipArchiveMode.Update))
        {
            var inf = zip.GetEntry("booster/booster.inf")!;
            var text = Bytes(zip, "booster/booster.inf");
            inf.Delete();
            using var writer = zip.CreateEntry("booster/booster.inf").Open();
            writer.Write(text.Concat(new byte[] { (byte)';', 13, 10 }).ToArray());
        }

        var other = project.ShouldFail(project.Dotnet("pack", "-c", "Release", "--no-build", $"-p:AttestedDriverPackage={copy}"));
        Assert.Contains("error WDK7008", other.Output);
        Assert.Contains("booster.inf in Microsoft's package is not the INF this build made", other.Output);
    }

    private static byte[] Bytes(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
