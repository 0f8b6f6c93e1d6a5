using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Release;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Release;

/// <summary>The defaults the command and the SDK target share for a submission.</summary>
public sealed class SubmissionRequestTests : IDisposable
{
    private readonly TempDirectory temp = new("request");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void The_state_product_name_and_package_follow_the_cabinet_and_given_signatures_are_split_on_commas_and_semicolons()
    {
        var cab = temp.Write("Booster.1.2.3.arm64.submission.cab", "MSCF");
        var trust = new TrustOptions(Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>(), Microsoft: true);

        var request = SubmissionRequest.For(cab, null, null, "WINDOWS_v100_ARM64_GE_FULL; WINDOWS_v100_ARM64_NI_FULL,", null, true, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), trust);
        var missing = Assert.Throws<WdkException>(() => SubmissionRequest.For(temp.Combine("none.cab"), null, null, null, null, true, TimeSpan.Zero, TimeSpan.Zero, trust));

        Assert.Equal(cab + ".submission.json", request.StatePath);
        Assert.Equal("Booster.1.2.3.arm64", request.ProductName);
        Assert.Equal(new[] { "WINDOWS_v100_ARM64_GE_FULL", "WINDOWS_v100_ARM64_NI_FULL" }, request.Signatures);
        Assert.Equal(temp.Combine("Booster.1.2.3.arm64.submission.signed.zip"), request.SignedPackage);
        Assert.Equal("WDK7007", missing.Diagnostic.Code);
    }
}
