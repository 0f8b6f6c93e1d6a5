using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Signing;
using Xunit.Abstractions;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Signing;

/// <summary>
/// Single-byte changes to a signed driver package, position by position: every change to what is signed (the image
/// bytes the Authenticode hash covers, the catalog's trust list, the INF) must be caught by the verifier; changes to
/// what Authenticode leaves out (the CheckSum field) are judged as Windows judges them: not a signature matter.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class TamperTests : IDisposable
{
    private readonly TempDirectory temp = new("tamper");
    private readonly X509Certificate2 certificate = TestCertificate.Create("CN=Tamper", DateTimeOffset.UtcNow);
    private readonly Dictionary<string, string> package;
    private readonly ITestOutputHelper output;

    public TamperTests(ITestOutputHelper output)
    {
        this.output = output;
        var unsigned = File.ReadAllBytes(Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe"));
        File.WriteAllBytes(temp.Combine("driver.sys"), PeSigner.Sign(unsigned, "driver.sys", certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256));
        temp.Write("driver.inf", string.Join("\r\n",
            "[Version]", "Signature = \"$WINDOWS NT$\"", "Class = System", "ClassGuid = {4D36E97D-E325-11CE-BFC1-08002BE10318}",
            "Provider = %P%", "DriverVer = 01/01/2026,1.0.0.0", "CatalogFile = driver.cat", "PnpLockdown = 1",
            "[DestinationDirs]", "DefaultDestDir = 12", "[SourceDisksNames]", "1 = %D%,,,\"\"", "[SourceDisksFiles]", "driver.sys = 1",
            "[DefaultInstall.NTamd64]", "CopyFiles = F", "[F]", "driver.sys", "[Strings]", "P = \"Tamper\"", "D = \"Disk\"", string.Empty));
        package = new Dictionary<string, string> { ["driver.inf"] = temp.Combine("driver.inf"), ["driver.sys"] = temp.Combine("driver.sys") };
        var catalog = CatalogBuilder.Build(package, new CatalogOptions("10_X64", Time: DateTimeOffset.UnixEpoch), DateTimeOffset.UtcNow);
        File.WriteAllBytes(temp.Combine("driver.cat"), CatalogSigner.Sign(catalog, "driver.cat", certificate, Array.Empty<X509Certificate2>(), HashAlgorithmName.SHA256));
        package["driver.cat"] = temp.Combine("driver.cat");
        Assert.Empty(Verify());
    }

    public void Dispose()
    {
        certificate.Dispose();
        temp.Dispose();
    }

    private IReadOnlyList<Diagnostics.Diagnostic> Verify() => PackageVerifier.VerifyPackage(package, new TrustOptions(new[] { certificate }));

    /// <summary>Changes one byte at each position (restoring it after) and counts the changes the verifier catches.</summary>
    private (int Caught, int Tried) Tamper(string file, IEnumerable<long> positions)
    {
        var path = package[file];
        var original = File.ReadAllBytes(path);
        var (caught, tried) = (0, 0);
        foreach (var position in positions)
        {
            var changed = (byte[])original.Clone();
            changed[position] ^= 0x5A;
            File.WriteAllBytes(path, changed);
            tried++;
            try
            {
                caught += Verify().Count > 0 ? 1 : 0;
            }
            catch (Diagnostics.WdkException)
            {
                // A file so broken it cannot be read (a PE header, the catalog's DER) is rejected with a coded error.
                caught++;
            }
        }

        File.WriteAllBytes(path, original);
        output.WriteLine($"{file}: {caught} of {tried} single-byte changes caught");
        return (caught, tried);
    }

    private static IEnumerable<long> Every(long from, long to, int step) => Enumerable.Range(0, (int)((to - from + step - 1) / step)).Select(i => from + (long)i * step);

    [Fact]
    public void Every_change_to_the_signed_image_bytes_is_caught()
    {
        var bytes = File.ReadAllBytes(package["driver.sys"]);
        var image = PeImage.TryRead(new MemoryStream(bytes), "driver.sys")!;
        bool Hashed(long p) => (p < image.ChecksumOffset || p >= image.ChecksumOffset + 4)
            && (p < image.CertificateDirectoryOffset || p >= image.CertificateDirectoryOffset + 8)
            && p < image.CertificateTableOffset;

        // Every header byte, then every 50th byte of the rest of the image.
        var positions = Every(0, 1024, 1).Concat(Every(1024, image.CertificateTableOffset, 50)).Where(Hashed).ToList();
        var (caught, tried) = Tamper("driver.sys", positions);

        Assert.True(tried > 1000, $"{tried} positions");
        Assert.Equal(tried, caught);
    }

    [Fact]
    public void Every_change_to_the_catalogs_trust_list_and_to_the_INF_is_caught()
    {
        var catalog = File.ReadAllBytes(package["driver.cat"]);
        var trustList = CatalogReader.TrustList(catalog, "driver.cat");
        var start = catalog.AsSpan().IndexOf(trustList);
        Assert.True(start > 0);

        var (catalogCaught, catalogTried) = Tamper("driver.cat", Every(start, start + trustList.Length, 2));
        var (infCaught, infTried) = Tamper("driver.inf", Every(0, new FileInfo(package["driver.inf"]).Length, 1));

        Assert.Equal(catalogTried, catalogCaught);
        Assert.Equal(infTried, infCaught);
        Assert.True(catalogTried > 300 && infTried > 300, $"{catalogTried} catalog and {infTried} INF positions");
    }

    [Fact]
    public void A_change_to_the_CheckSum_field_is_no_signature_matter_as_for_Windows()
    {
        var bytes = File.ReadAllBytes(package["driver.sys"]);
        var image = PeImage.TryRead(new MemoryStream(bytes), "driver.sys")!;

        var (caught, tried) = Tamper("driver.sys", Every(image.ChecksumOffset, image.ChecksumOffset + 4, 1));

        // The Authenticode hash leaves the CheckSum out, as WinVerifyTrust does; the image still verifies.
        Assert.Equal((0, 4), (caught, tried));
    }
}
