using WdkDriver.Core.Signing;

namespace WdkDriver.Core.Tests.Signing;

/// <summary>Where the per-user test certificate lives on this host (the Windows lane runs this on Windows).</summary>
public class TestCertificateLocationTests
{
    [Fact]
    public void The_test_certificate_lives_in_the_users_local_application_data()
    {
        var expected = OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetEnvironmentVariable("LOCALAPPDATA")!, "WdkDriver", "WdkDriverTestCert.pfx")
            : Path.Combine(
                Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } data ? data : Path.Combine(Environment.GetEnvironmentVariable("HOME")!, ".local", "share"),
                "WdkDriver",
                "WdkDriverTestCert.pfx");

        Assert.Equal(expected, TestCertificateStore.DefaultPath);
        Assert.Equal(Path.ChangeExtension(expected, ".cer"), TestCertificateStore.CerPath(TestCertificateStore.DefaultPath));
    }
}
