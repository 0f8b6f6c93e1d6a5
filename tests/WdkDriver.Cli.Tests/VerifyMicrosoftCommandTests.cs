namespace WdkDriver.Cli.Tests;

/// <summary><c>wdkdriver verify --microsoft</c> on the real package Partner Center signed.</summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public class VerifyMicrosoftCommandTests
{
    private static readonly string Attested = Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel");
    private static readonly string Root2010 = Path.Combine(RepositoryPaths.Corpus, "certs", "MicrosoftRootCertificateAuthority2010.cer");

    [Fact]
    public void The_attested_package_is_valid_out_of_the_box_and_with_Microsofts_root_given()
    {
        var outOfTheBox = Wdkdriver.Run("verify", Attested, "--microsoft");
        var withRoot = Wdkdriver.Run("verify", Attested, "--microsoft", "--trusted-cert", Root2010);

        Assert.True(outOfTheBox.ExitCode == 0, outOfTheBox.ToString());
        Assert.Equal($"{Attested}: valid", outOfTheBox.Output.Trim());
        Assert.Equal(string.Empty, outOfTheBox.Error);
        Assert.True(withRoot.ExitCode == 0, withRoot.ToString());
    }

    [Fact]
    public void A_catalog_signed_by_anyone_else_is_not_valid_as_Microsofts()
    {
        // The px4_drv catalog is real inf2cat output, signed with a makecert certificate.
        var folder = Path.Combine(RepositoryPaths.Corpus, "catalogs", "px4_drv");

        var result = Wdkdriver.Run("verify", folder, "--microsoft");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("px4_drv_winusb.cat: error WDK4015:", result.Error);
    }
}
