using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Packaging;
using WdkDriver.Core.Signing;

namespace WdkDriver.Core.Tests.Packaging;

public sealed class PackageReadmeTests : IDisposable
{
    private readonly TempDirectory temp = new("readme");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_PnP_package_Microsoft_signed_lists_its_hardware_ids_and_installs_without_a_test_certificate()
    {
        var inf = temp.Write("usbpnp.inf", string.Join("\r\n",
            "[Version]", "Signature = \"$WINDOWS NT$\"", "Class = USBDevice", "ClassGuid = {88BAE032-5A81-49F0-BC3D-A4FF138216D6}", "Provider = %P%",
            "DriverVer = 11/30/2026,1.2.3.0", "CatalogFile = usbpnp.cat", "PnpLockdown = 1",
            "[Manufacturer]", "%P% = Models, NTamd64.10.0, NTarm64.10.0",
            "[Models.NTamd64.10.0]", "%D% = Install, USB\\VID_1234&PID_5678", "[Models.NTarm64.10.0]", "%D% = Install, USB\\VID_1234&PID_5678",
            "[Install.NT]", "[Install.NT.Services]", "AddService = UsbPnp, 0x00000002, Service", "[Service]", "ServiceType = 1", "StartType = 3",
            "ErrorControl = 1", "ServiceBinary = %13%\\usbpnp.sys", "[Strings]", "P = \"Contoso\"", "D = \"Contoso USB device\"", string.Empty));
        var files = new Dictionary<string, string>
        {
            ["driver/amd64/usbpnp.inf"] = inf,
            ["driver/arm64/usbpnp.inf"] = inf,
            ["tools/Install-Driver.cmd"] = inf,
        };

        var readme = PackageReadme.Write("UsbPnp", "1.2.3", "", files);

        Assert.StartsWith("# UsbPnp 1.2.3\n\nA Windows driver package", readme);
        Assert.Contains("| Driver | `usbpnp.inf` (class USBDevice) |", readme);
        Assert.Contains("| Architectures | amd64, arm64 |", readme);
        Assert.True(readme.Contains("| Hardware ids | `usb\\vid_1234&pid_5678` |"), readme);
        Assert.Contains("| Services | `UsbPnp` |", readme);
        Assert.Contains("| Signature | none: Windows does not load it. |", readme);
        Assert.Contains("tools\\Install-Driver.cmd\n", readme);
        Assert.DoesNotContain("TrustTestCertificate", readme);
        Assert.Equal(readme, PackageReadme.Write("UsbPnp", "1.2.3", "", files));
    }

    [Fact]
    public void The_signature_is_the_one_Microsofts_real_attested_catalog_carries()
    {
        var folder = Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel");
        var files = Directory.GetFiles(folder).ToDictionary(f => "driver/amd64/" + Path.GetFileName(f), f => f);

        var readme = PackageReadme.Write("Split", "1.0.0", "", files);

        Assert.Contains("| Signature | Microsoft's (attestation): Windows 10 and 11 load it as it is. |", readme);
    }

    /// <summary>The readme reads who signed the catalog: a test certificate that ships beside a vendor-signed catalog does not make it test-signed.</summary>
    [Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
    [Fact]
    public void Test_signed_and_vendor_signed_catalogs_are_told_apart_by_their_signer()
    {
        var inf = temp.Write("legacy.inf", "[Version]\r\nSignature = \"$WINDOWS NT$\"\r\nCatalogFile = legacy.cat\r\n");
        var unsigned = temp.Combine("legacy.cat");
        File.WriteAllBytes(unsigned, CatalogWriter.Write(new CatalogRequest(new[] { new CatalogFile(inf, "legacy.inf") }, OsTarget.ParseList("10_X64"), Array.Empty<string>(), new byte[16], DateTimeOffset.UnixEpoch, 2)));
        using var test = TestCertificate.Create(TestCertificateStore.Subject, DateTimeOffset.UtcNow);
        using var vendor = TestCertificate.Create("CN=Contoso | Drivers", DateTimeOffset.UtcNow);
        var cer = temp.Write("WdkDriverTestCert.cer", string.Empty);
        File.WriteAllBytes(cer, test.RawData);

        string Readme(X509Certificate2 signer)
        {
            var signed = temp.Combine($"signed-{signer.Thumbprint}.cat");
            using (var fileSigner = FileSigner.WithCertificate(signer))
            {
                fileSigner.Sign(unsigned, signed, System.Security.Cryptography.HashAlgorithmName.SHA256, CancellationToken.None);
            }

            return PackageReadme.Write("Legacy", "1.0.0", "", new Dictionary<string, string> { ["driver/amd64/legacy.inf"] = inf, ["driver/amd64/legacy.cat"] = signed, ["WdkDriverTestCert.cer"] = cer });
        }

        var testSigned = Readme(test);
        var vendorSigned = Readme(vendor);

        Assert.Contains("| Signature | test-signed:", testSigned);
        Assert.Contains("tools\\Install-Driver.cmd -TrustTestCertificate", testSigned);
        Assert.Contains("| Signature | the vendor's (Contoso \\| Drivers): a kernel driver needs Microsoft's signature", vendorSigned);
        Assert.DoesNotContain("TrustTestCertificate", vendorSigned);
    }
}
