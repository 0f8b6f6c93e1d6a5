using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Release;

namespace WdkDriver.Core.Tests.Release;

public sealed class RequestedSignaturesTests : IDisposable
{
    private readonly TempDirectory temp = new("signatures");

    public void Dispose() => temp.Dispose();

    private string Cabinet(string inf)
    {
        var path = temp.Write("in/Driver/driver.inf", inf);
        var big = temp.Combine("in", "Driver", "driver.sys");
        File.WriteAllBytes(big, new byte[100_000]);
        var cab = temp.Combine("driver.cab");
        CabinetWriter.Write(cab, new[] { new CabinetSource("Driver\\driver.inf", path), new CabinetSource("Driver\\driver.sys", big) }, CabinetCompression.MsZip, new DateTime(2026, 11, 30));
        return cab;
    }

    [Fact]
    public void The_architectures_come_from_the_decorations_of_DefaultInstall_and_the_models_not_from_other_text()
    {
        // UTF-16LE, as Windows checks INFs out; the comment names NTamd64 but no section is decorated with it.
        var inf = "[Version]\r\nSignature=\"$WINDOWS NT$\"\r\n; also ships an NTamd64 build elsewhere\r\n[DefaultInstall.NTarm64]\r\nCopyFiles=F\r\n[F]\r\ndriver.sys\r\n";
        var cab = temp.Combine("utf16.cab");
        var path = temp.Combine("driver.inf");
        File.WriteAllBytes(path, new byte[] { 0xFF, 0xFE }.Concat(System.Text.Encoding.Unicode.GetBytes(inf)).ToArray());
        CabinetWriter.Write(cab, new[] { new CabinetSource("Driver\\driver.inf", path) }, CabinetCompression.MsZip, new DateTime(2026, 11, 30));

        var arm = RequestedSignatures.For(cab);
        var both = RequestedSignatures.For(Cabinet("[Manufacturer]\r\n%M% = Models, NTamd64.10.0...16299, NTarm64\r\n"));

        Assert.Equal(new[] { "RS3", "RS4", "19H1", "VB", "CO", "NI", "GE" }.Select(r => $"WINDOWS_v100_ARM64_{r}_FULL"), arm);
        Assert.Equal(12 + 7, both.Count);
        Assert.Contains("WINDOWS_v100_X64_GE_FULL", both);
        Assert.DoesNotContain(both, c => c.Contains("SERVER"));
        Assert.Equal("WDK7007", Assert.Throws<WdkException>(() => RequestedSignatures.For(Cabinet("[Version]\r\n; NTamd64\r\n"))).Diagnostic.Code);
    }
}
