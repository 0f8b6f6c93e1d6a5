using WdkDriver.Core.Packaging;

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

        var readme = PackageReadme.Write("UsbPnp", "1.2.3", "", files, "ProductionSign", attested: true);

        Assert.StartsWith("# UsbPnp 1.2.3\n\nA Windows driver package", readme);
        Assert.Contains("| Driver | `usbpnp.inf` (class USBDevice) |", readme);
        Assert.Contains("| Architectures | amd64, arm64 |", readme);
        Assert.True(readme.Contains("| Hardware ids | `usb\\vid_1234&pid_5678` |"), readme);
        Assert.Contains("| Services | `UsbPnp` |", readme);
        Assert.Contains("Microsoft's (attestation)", readme);
        Assert.Contains("tools\\Install-Driver.cmd\n", readme);
        Assert.DoesNotContain("TrustTestCertificate", readme);
        Assert.Equal(readme, PackageReadme.Write("UsbPnp", "1.2.3", "", files, "ProductionSign", attested: true));
    }
}
