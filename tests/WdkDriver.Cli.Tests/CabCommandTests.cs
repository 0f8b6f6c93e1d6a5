namespace WdkDriver.Cli.Tests;

public class CabCommandTests : IDisposable
{
    private readonly TempDirectory temp = new("cli-cab");

    public void Dispose() => temp.Dispose();

    [CabToolsFact]
    public void Create_list_and_extract_round_trip_and_cabextract_agrees()
    {
        temp.Write("in/Booster/booster.inf", "[Version]\r\nSignature=\"$WINDOWS NT$\"\r\n");
        temp.Write("in/Booster/booster.sys", new string('x', 70000));
        var cab = temp.Combine("booster.cab");

        // Outside a git repository and without SOURCE_DATE_EPOCH every file gets the earliest DOS time.
        var created = Wdkdriver.Run("cab", "create", temp.Combine("in"), "-o", cab);
        var list = Wdkdriver.Run("cab", "list", cab);
        var extracted = Wdkdriver.Run("cab", "extract", cab, "-o", temp.Combine("out"));

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(new[] { "Booster\\booster.inf\t37\t1980-01-01 00:00:00", "Booster\\booster.sys\t70000\t1980-01-01 00:00:00" }, list.Output.Trim().Split('\n'));
        Assert.True(extracted.ExitCode == 0, extracted.ToString());
        Assert.Equal(File.ReadAllBytes(temp.Combine("in", "Booster", "booster.sys")), File.ReadAllBytes(temp.Combine("out", "Booster", "booster.sys")));
        var (exitCode, output) = ToolProcess.Run(temp.Path, "cabextract", new[] { "-t", cab });
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void A_file_that_is_not_a_cabinet_is_exit_1_with_a_coded_error()
    {
        var bogus = temp.Write("bogus.cab", "not a cabinet at all, just text");

        var result = Wdkdriver.Run("cab", "extract", bogus, "-o", temp.Combine("out"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{bogus}: error WDK5022:", result.Error);
        Assert.DoesNotContain("Exception", result.Error);
    }

    [CabSigningFact]
    public void Sign_and_verify_take_a_cabinet_and_osslsigncode_agrees()
    {
        temp.Write("in/Booster/booster.inf", "[Version]\r\nSignature=\"$WINDOWS NT$\"\r\n");
        var cab = temp.Combine("booster.cab");
        Assert.Equal(0, Wdkdriver.Run("cab", "create", temp.Combine("in"), "-o", cab).ExitCode);
        Assert.Equal(0, Wdkdriver.Run("cert", "new", "--subject", "CN=Cab Signer", "-o", temp.Combine("cert")).ExitCode);
        File.WriteAllText(temp.Combine("signer.pem"), System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(temp.Combine("cert", "Cab Signer.cer")).ExportCertificatePem());

        var unsigned = Wdkdriver.Run("verify", cab, "--trusted-cert", temp.Combine("cert", "Cab Signer.cer"));
        var signed = Wdkdriver.Run("sign", cab, "--test-cert", temp.Combine("cert"));
        var verified = Wdkdriver.Run("verify", cab, "--trusted-cert", temp.Combine("cert", "Cab Signer.cer"));

        Assert.Equal(1, unsigned.ExitCode);
        Assert.Contains("error WDK4010: The cabinet has no signature.", unsigned.Error);
        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Contains($"{cab}: valid", verified.Output);
        var (exitCode, output) = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", "signer.pem", "-in", cab });
        Assert.True(exitCode == 0, output);
    }
}
