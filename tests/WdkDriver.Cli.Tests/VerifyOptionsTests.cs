namespace WdkDriver.Cli.Tests;

/// <summary><c>wdkdriver verify</c>'s --catalog, --crl and --at, on files osslsigncode and openssl made.</summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class VerifyOptionsTests : IDisposable
{
    private static readonly string Makecat = Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files");
    private readonly TempDirectory temp = new("verify-options");

    public VerifyOptionsTests()
    {
        ToolProcess.Succeed(temp.Path, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "signer.key", "-out", "signer.crt", "-days", "2", "-subj", "/CN=Two-day signer", "-addext", "extendedKeyUsage=codeSigning");
    }

    public void Dispose() => temp.Dispose();

    [OsslsigncodeFact]
    public void A_file_without_a_signature_is_valid_as_a_member_of_a_signed_catalog()
    {
        ToolProcess.Succeed(temp.Path, "osslsigncode", "sign", "-certs", "signer.crt", "-key", "signer.key", "-in", Path.Combine(Makecat, "unsigned.cat"), "-out", "signed.cat");
        var exe = Path.Combine(Makecat, "unsigned.exe");

        var member = Wdkdriver.Run("verify", exe, "--catalog", temp.Combine("signed.cat"), "--trusted-cert", temp.Combine("signer.crt"));
        var alone = Wdkdriver.Run("verify", exe, "--trusted-cert", temp.Combine("signer.crt"));

        Assert.True(member.ExitCode == 0, member.ToString());
        Assert.Equal($"{exe}: valid", member.Output.Trim());
        Assert.Equal(1, alone.ExitCode);
        Assert.Contains("error WDK4010:", alone.Error);
    }

    [OsslsigncodeFact]
    public void At_verifies_as_of_a_moment_and_refuses_a_time_that_is_none()
    {
        ToolProcess.Succeed(temp.Path, "osslsigncode", "sign", "-certs", "signer.crt", "-key", "signer.key", "-in", Path.Combine(Makecat, "unsigned.exe"), "-out", "signed.exe");
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var later = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ");

        var now = Wdkdriver.Run("verify", temp.Combine("signed.exe"), "--trusted-cert", temp.Combine("signer.crt"), "--at", today);
        var expired = Wdkdriver.Run("verify", temp.Combine("signed.exe"), "--trusted-cert", temp.Combine("signer.crt"), "--at", later);
        var nonsense = Wdkdriver.Run("verify", temp.Combine("signed.exe"), "--at", "next tuesday");

        Assert.True(now.ExitCode == 0, now.ToString());
        Assert.Equal(1, expired.ExitCode);
        Assert.Contains("error WDK4013:", expired.Error);
        Assert.Contains("the time asked for", expired.Error);
        Assert.NotEqual(0, nonsense.ExitCode);
        Assert.Contains("error WDK4005: --at 'next tuesday' is not a time", nonsense.Error);
    }

    [OsslsigncodeFact]
    public void Crl_revokes_offline_and_a_file_that_is_no_list_is_WDK4017()
    {
        // A CA of openssl's making, its signer revoked in a list openssl writes.
        ToolProcess.Succeed(temp.Path, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "30", "-subj", "/CN=CLI CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        ToolProcess.Succeed(temp.Path, "openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-subj", "/CN=Revoked signer", "-out", "leaf.csr");
        temp.Write("leaf.ext", "extendedKeyUsage=codeSigning\n");
        ToolProcess.Succeed(temp.Path, "openssl", "x509", "-req", "-in", "leaf.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", "77", "-days", "20", "-extfile", "leaf.ext", "-out", "leaf.crt");
        temp.Write("index.txt", string.Empty);
        temp.Write("ca.cnf", "[ ca ]\ndefault_ca = own\n[ own ]\ndatabase = index.txt\ncertificate = ca.crt\nprivate_key = ca.key\ndefault_md = sha256\ndefault_crl_days = 7\n");
        ToolProcess.Succeed(temp.Path, "openssl", "ca", "-config", "ca.cnf", "-revoke", "leaf.crt");
        ToolProcess.Succeed(temp.Path, "openssl", "ca", "-config", "ca.cnf", "-gencrl", "-out", "ca.crl");
        ToolProcess.Succeed(temp.Path, "osslsigncode", "sign", "-certs", "leaf.crt", "-key", "leaf.key", "-in", Path.Combine(Makecat, "unsigned.exe"), "-out", "signed.exe");

        var good = Wdkdriver.Run("verify", temp.Combine("signed.exe"), "--trusted-cert", temp.Combine("ca.crt"));
        var revoked = Wdkdriver.Run("verify", temp.Combine("signed.exe"), "--trusted-cert", temp.Combine("ca.crt"), "--crl", temp.Combine("ca.crl"));
        var notAList = Wdkdriver.Run("verify", temp.Combine("signed.exe"), "--trusted-cert", temp.Combine("ca.crt"), "--crl", temp.Combine("leaf.ext"));

        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Equal(1, revoked.ExitCode);
        Assert.Contains("error WDK4016: 'CN=Revoked signer' was revoked", revoked.Error);
        Assert.NotEqual(0, notAList.ExitCode);
        Assert.Contains($"{temp.Combine("leaf.ext")}: error WDK4017:", notAList.Error);
    }
}
