namespace WdkDriver.Cli.Tests;

/// <summary><c>wdkdriver verify --microsoft</c> on the real package Partner Center signed.</summary>
public class VerifyMicrosoftCommandTests
{
    private static readonly string Attested = Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel");
    private static readonly string Root2010 = Path.Combine(RepositoryPaths.Corpus, "certs", "MicrosoftRootCertificateAuthority2010.cer");

    [Fact]
    public void The_attested_package_is_valid_with_Microsofts_root_and_not_valid_without_it()
    {
        var valid = Wdkdriver.Run("verify", Attested, "--microsoft", "--trusted-cert", Root2010);
        var withoutRoot = Wdkdriver.Run("verify", Attested, "--microsoft");
        var otherRoot = Wdkdriver.Run("verify", Attested, "--microsoft", "--trusted-cert", Path.Combine(RepositoryPaths.Corpus, "certs", "MicrosoftRootCertificateAuthority2011.cer"));

        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.Equal($"{Attested}: valid", valid.Output.Trim());
        Assert.Equal(1, withoutRoot.ExitCode);
        Assert.Contains("mullvad-split-tunnel.cat: error WDK4015:", withoutRoot.Error);
        Assert.Equal(1, otherRoot.ExitCode);
        Assert.Contains("error WDK4015:", otherRoot.Error);
    }
}
