using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Verification;

/// <summary>
/// Files a signed catalog vouches for need no signature of their own (<c>signtool verify /c</c>), by the digest makecat
/// computes for them; in a driver package, all but the binary of a boot-start service.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class CatalogVouchingTests : IDisposable
{
    private static readonly string MakecatFiles = Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files");
    private static readonly Lazy<X509Certificate2> Signer = new(() => TestCertificate.Create("CN=Catalog signer", DateTimeOffset.UtcNow));
    private readonly TempDirectory temp = new("vouch");

    public void Dispose() => temp.Dispose();

    private static TrustOptions Trust => new(new[] { X509CertificateLoader.LoadCertificate(Signer.Value.RawData) });

    [OsslsigncodeTheory]
    [InlineData("unsigned.exe")]
    [InlineData("unsigned.ex_")]
    [InlineData("unsigned.ps1")]
    public void Makecats_catalog_signed_by_osslsigncode_vouches_for_its_unsigned_members(string member)
    {
        File.WriteAllText(temp.Combine("signer.pem"), Signer.Value.ExportCertificatePem());
        File.WriteAllText(temp.Combine("signer.key"), Signer.Value.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        ToolProcess.Succeed(temp.Path, "osslsigncode", "sign", "-certs", "signer.pem", "-key", "signer.key", "-in", Path.Combine(MakecatFiles, "unsigned.cat"), "-out", "signed.cat");
        var file = Path.Combine(MakecatFiles, member);

        Assert.Empty(PackageVerifier.VerifyWithCatalog(file, temp.Combine("signed.cat"), Trust));
        // Alone, the same file has no signature.
        Assert.NotEmpty(SignatureVerifier.VerifyFile(file, Trust));

        var changed = temp.Combine(member);
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length - 1] ^= 0x01;
        File.WriteAllBytes(changed, bytes);
        Assert.Contains(PackageVerifier.VerifyWithCatalog(changed, temp.Combine("signed.cat"), Trust), f => f.Code == "WDK4014");
    }

    /// <summary>A legacy service's package: its binary without an embedded signature, its signed catalog listing it.</summary>
    private Dictionary<string, string> Package(string startType)
    {
        var folder = temp.Combine($"start-{startType}");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(MakecatFiles, "unsigned.exe"), Path.Combine(folder, "svc.sys"));
        File.WriteAllText(Path.Combine(folder, "svc.inf"), string.Join("\r\n",
            "[Version]", "Signature = \"$WINDOWS NT$\"", "Class = System", "ClassGuid = {4d36e97d-e325-11ce-bfc1-08002be10318}", "Provider = %P%",
            "DriverVer = 01/02/2025,1.0.0.0", "CatalogFile = svc.cat", "PnpLockdown = 1",
            "[SourceDisksNames]", "1 = %D%", "[SourceDisksFiles]", "svc.sys = 1", "[DestinationDirs]", "Files = 12",
            "[DefaultInstall.NTamd64]", "CopyFiles = Files", "[DefaultInstall.NTamd64.Services]", "AddService = Svc, 0x00000800, Service",
            "[Files]", "svc.sys", "[Service]", "ServiceType = 1", $"StartType = {startType}", "ErrorControl = 1", "ServiceBinary = %12%\\svc.sys",
            "[Strings]", "P = \"Contoso\"", "D = \"Disk\"", "SERVICE_BOOT_START = 0", string.Empty));
        var catalog = CatalogBuilder.Build(CatalogContents.FolderFiles(folder), new CatalogOptions("10_X64"), DateTimeOffset.UtcNow);
        File.WriteAllBytes(Path.Combine(folder, "svc.cat"), CatalogSigner.Sign(catalog, "svc.cat", Signer.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256));
        return CatalogContents.FolderFiles(folder).ToDictionary(f => f.Key, f => f.Value);
    }

    /// <summary>
    /// Two INFs that each name their catalog (CatalogFile): Windows checks an INF's files against that catalog only,
    /// so a file that only the other catalog lists is not vouched for, and an INF naming a catalog the package lacks is refused.
    /// </summary>
    [Fact]
    public void Each_INF_is_checked_against_the_catalog_it_names()
    {
        var folder = temp.Combine("two");
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { "one", "two" })
        {
            // Two different binaries (bytes after the last section count in the image hash).
            File.WriteAllBytes(Path.Combine(folder, name + ".sys"), File.ReadAllBytes(Path.Combine(MakecatFiles, "unsigned.exe")).Concat(System.Text.Encoding.ASCII.GetBytes(name)).ToArray());
            File.WriteAllText(Path.Combine(folder, name + ".inf"), string.Join("\r\n",
                "[Version]", "Signature = \"$WINDOWS NT$\"", "Class = System", "ClassGuid = {4d36e97d-e325-11ce-bfc1-08002be10318}", "Provider = %P%",
                "DriverVer = 01/02/2025,1.0.0.0", $"CatalogFile = {name}.cat", "PnpLockdown = 1",
                "[SourceDisksNames]", "1 = %D%", "[SourceDisksFiles]", $"{name}.sys = 1", "[DestinationDirs]", "Files = 12",
                "[DefaultInstall.NTamd64]", "CopyFiles = Files", "[Files]", $"{name}.sys", "[Strings]", "P = \"Contoso\"", "D = \"Disk\"", string.Empty));
        }

        void Catalog(string name, string coveredInf)
        {
            var catalog = CatalogBuilder.Build(CatalogContents.FolderFiles(folder).Where(f => !f.Key.EndsWith(".cat", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value), new CatalogOptions("10_X64"), DateTimeOffset.UtcNow, new[] { coveredInf });
            File.WriteAllBytes(Path.Combine(folder, name), CatalogSigner.Sign(catalog, name, Signer.Value, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256));
        }

        Catalog("one.cat", "one.inf");
        Catalog("two.cat", "two.inf");
        Assert.Empty(PackageVerifier.VerifyPackage(CatalogContents.FolderFiles(folder), Trust));

        // Swapped: every file is in a signed catalog of the package, but not in the one its INF names.
        Catalog("one.cat", "two.inf");
        Catalog("two.cat", "one.inf");
        var findings = PackageVerifier.VerifyPackage(CatalogContents.FolderFiles(folder), Trust);
        Assert.True(findings.Count == 4, string.Join("\n", findings));
        Assert.All(findings, f => Assert.Equal("WDK4014", f.Code));
        Assert.Contains(findings, f => f.File == Path.Combine(folder, "one.sys") && f.Message.Contains("is in another catalog of the package, not in one.cat, the one one.inf names (CatalogFile)", StringComparison.Ordinal));

        File.Delete(Path.Combine(folder, "two.cat"));
        Assert.Contains(PackageVerifier.VerifyPackage(CatalogContents.FolderFiles(folder), Trust), f => f.File == Path.Combine(folder, "two.inf") && f.Message.Contains("names the catalog two.cat (CatalogFile), which the package does not hold", StringComparison.Ordinal));
    }

    [Fact]
    public void A_driver_package_accepts_a_binary_its_signed_catalog_vouches_for()
    {
        Assert.Empty(PackageVerifier.VerifyPackage(Package("3"), Trust));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0x0")]
    [InlineData("%SERVICE_BOOT_START%")]
    public void A_boot_start_services_binary_must_carry_its_own_signature(string startType)
    {
        var package = Package(startType);

        var finding = Assert.Single(PackageVerifier.VerifyPackage(package, Trust));

        Assert.Equal("WDK4010", finding.Code);
        Assert.Equal(package["svc.sys"], finding.File);
        Assert.Contains("boot-start", finding.Message);
    }
}
