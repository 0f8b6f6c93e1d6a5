namespace WdkDriver.Cli.Tests;

/// <summary><c>wdkdriver sign --pkcs11</c> against a SoftHSM2 token.</summary>
public sealed class Pkcs11CommandTests : IDisposable
{
    private readonly TempDirectory temp = new("cli-pkcs11");
    private readonly SoftHsmToken token = new();

    public void Dispose()
    {
        token.Dispose();
        temp.Dispose();
    }

    private string[] Sign(string file, string pinVariable = SoftHsmToken.PinVariable, string key = SoftHsmToken.KeyLabel) =>
        new[] { "sign", file, "--pkcs11", SoftHsmToken.Module, "--token", SoftHsmToken.Label, "--key", key, "--pin-env", pinVariable };

    [SoftHsmFact]
    public void Sign_with_pkcs11_signs_a_PE_file_and_a_cabinet_that_osslsigncode_verifies()
    {
        var exe = temp.Combine("tool.exe");
        File.Copy(Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe"), exe);
        temp.Write("in/Driver/driver.inf", "[Version]\r\nSignature=\"$WINDOWS NT$\"\r\n");
        var cab = temp.Combine("driver.cab");
        Assert.Equal(0, Wdkdriver.Run("cab", "create", temp.Combine("in"), "-o", cab).ExitCode);

        var signed = Wdkdriver.RunIn(token.Environment, Sign(exe).Concat(new[] { cab, "--cert", token.CertificateDer }).ToArray());

        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.DoesNotContain(SoftHsmToken.Pin, signed.Output + signed.Error);
        foreach (var file in new[] { exe, cab })
        {
            var (exitCode, output) = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", token.CertificatePem, "-in", file });
            Assert.True(exitCode == 0, output);
        }
    }

    [SoftHsmFact]
    public void A_wrong_PIN_is_WDK4008_exit_1_and_the_PIN_is_not_printed()
    {
        var exe = temp.Combine("tool.exe");
        File.Copy(Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe"), exe);
        var environment = new Dictionary<string, string>(token.Environment) { ["WDK_TEST_WRONG_PIN"] = "135799" };
        var before = File.ReadAllBytes(exe);

        var wrong = Wdkdriver.RunIn(environment, Sign(exe, pinVariable: "WDK_TEST_WRONG_PIN"));
        var incomplete = Wdkdriver.RunIn(environment, "sign", exe, "--pkcs11", SoftHsmToken.Module, "--token", SoftHsmToken.Label);

        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("error WDK4008:", wrong.Error);
        Assert.DoesNotContain("135799", wrong.Output + wrong.Error);
        Assert.Equal(before, File.ReadAllBytes(exe));
        Assert.Equal(1, incomplete.ExitCode);
        Assert.Contains("error WDK4005: --pkcs11 needs --token, --key and --pin-env.", incomplete.Error);
    }
}
