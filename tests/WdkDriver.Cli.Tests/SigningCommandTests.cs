namespace WdkDriver.Cli.Tests;

[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public class SigningCommandTests : IDisposable
{
    private readonly TempDirectory temp = new("cli-sign");

    public void Dispose() => temp.Dispose();

    private string Tool()
    {
        var path = temp.Combine("tool.exe");
        File.Copy(Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe"), path);
        return path;
    }

    [OsslsigncodeFact]
    public void Cert_new_sign_and_verify_work_together_and_osslsigncode_agrees()
    {
        var created = Wdkdriver.Run("cert", "new", "--subject", "CN=CliSigner", "-o", temp.Combine("cert"));
        Assert.True(created.ExitCode == 0, created.ToString());
        var tool = Tool();

        var signed = Wdkdriver.Run("sign", tool, "--test-cert", temp.Combine("cert"));
        var verified = Wdkdriver.Run("verify", tool, "--trusted-cert", temp.Combine("cert", "CliSigner.cer"));

        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Contains("valid", verified.Output);
        ToolProcess.Succeed(temp.Path, "openssl", "x509", "-inform", "DER", "-in", temp.Combine("cert", "CliSigner.cer"), "-out", "cert.pem");
        ToolProcess.Succeed(temp.Path, "osslsigncode", "verify", "-CAfile", "cert.pem", "-in", tool);
    }

    /// <summary>
    /// What openssl req -x509 makes (a self-signed certificate marked as a CA) with a key usage of digitalSignature
    /// only: trusted as itself, it signs and verifies, as osslsigncode and RFC 5280 have it (a trust anchor's own
    /// extensions are not checked); OpenSSL under .NET called it "key usage does not include certificate signing".
    /// </summary>
    [OsslsigncodeFact]
    public void A_self_signed_CA_certificate_from_openssl_req_signs_and_verifies_trusted_as_itself_as_osslsigncode_agrees()
    {
        ToolProcess.Succeed(temp.Path, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "30",
            "-subj", "/CN=Acme Widget", "-addext", "keyUsage=digitalSignature", "-addext", "extendedKeyUsage=codeSigning");
        ToolProcess.Succeed(temp.Path, "openssl", "pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-out", "cert.pfx", "-passout", "pass:pfx-Passw0rd");
        ToolProcess.Succeed(temp.Path, "openssl", "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.cer");
        Assert.Contains("CA:TRUE", ToolProcess.Run(temp.Path, "openssl", new[] { "x509", "-in", "cert.pem", "-noout", "-text" }).Output);
        var tool = Tool();
        var environment = new Dictionary<string, string> { ["WDK_TEST_PFX_PASSWORD"] = "pfx-Passw0rd" };

        var signed = Wdkdriver.RunIn(environment, "sign", tool, "--pfx", temp.Combine("cert.pfx"), "--password-env", "WDK_TEST_PFX_PASSWORD");
        var verified = Wdkdriver.Run("verify", tool, "--trusted-cert", temp.Combine("cert.cer"));

        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.True(verified.ExitCode == 0, verified.ToString());
        ToolProcess.Succeed(temp.Path, "osslsigncode", "verify", "-CAfile", "cert.pem", "-in", tool);
    }

    [Fact]
    public void Sign_help_names_every_kind_of_file_it_signs()
    {
        var help = Wdkdriver.Run("sign", "--help");

        Assert.Equal(0, help.ExitCode);
        foreach (var kind in new[] { ".sys", ".cat", ".cab", ".msi" })
        {
            Assert.Contains(kind, help.Output);
        }
    }

    [Fact]
    public void Verify_of_a_tampered_or_untrusted_file_is_exit_1_with_the_reason()
    {
        Wdkdriver.Run("cert", "new", "--subject", "CN=CliSigner", "-o", temp.Combine("cert"));
        var tool = Tool();
        Wdkdriver.Run("sign", tool, "--test-cert", temp.Combine("cert"));

        var untrusted = Wdkdriver.Run("verify", tool);
        var bytes = File.ReadAllBytes(tool);
        bytes[0x400] ^= 1;
        File.WriteAllBytes(tool, bytes);
        var tampered = Wdkdriver.Run("verify", tool, "--ignore-chain");

        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains("error WDK4013", untrusted.Error);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains($"{tool}: error WDK4012", tampered.Error);
    }

    [Fact]
    public void A_trusted_or_pinned_certificate_that_is_not_one_is_exit_1_at_its_file_for_verify_and_submit()
    {
        var notACertificate = temp.Write("root.cer", "not a certificate");
        var cab = temp.Write("x.cab", "MSCF");

        var verify = Wdkdriver.Run("verify", Tool(), "--trusted-cert", notACertificate);
        var submit = Wdkdriver.Run("submit", cab, "--tenant", "t", "--client-id", "c", "--secret-env", "PATH", "--pinned-root", notACertificate);

        foreach (var result in new[] { verify, submit })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"{notACertificate}: error WDK3002: Cannot read the certificate", result.Error);
            Assert.DoesNotContain("Unhandled", result.Error);
        }
    }

    [Fact]
    public void Verify_of_an_INF_checks_its_catalog_membership_and_without_a_catalog_says_it_has_no_signature()
    {
        Wdkdriver.Run("cert", "new", "--subject", "CN=CliSigner", "-o", temp.Combine("cert"));
        var package = temp.Combine("package");
        Directory.CreateDirectory(package);
        var inf = Path.Combine(package, "PX-M1UR.inf");
        File.Copy(Path.Combine(RepositoryPaths.Corpus, "catalogs", "px4_drv", "PX-M1UR.inf"), inf);
        var catalog = temp.Combine("px4.cat");
        var created = Wdkdriver.Run("catalog", "create", package, "-o", catalog, "--os", "10_X64");
        Assert.True(created.ExitCode == 0, created.ToString());
        Wdkdriver.Run("sign", catalog, "--test-cert", temp.Combine("cert"));
        var trusted = temp.Combine("cert", "CliSigner.cer");

        var alone = Wdkdriver.Run("verify", inf, "--trusted-cert", trusted);
        var member = Wdkdriver.Run("verify", inf, "--catalog", catalog, "--trusted-cert", trusted);
        File.AppendAllText(inf, "; changed\r\n");
        var changed = Wdkdriver.Run("verify", inf, "--catalog", catalog, "--trusted-cert", trusted);

        Assert.Equal(1, alone.ExitCode);
        Assert.Contains($"{inf}: error WDK4002: This file is not a PE image, a catalog or a cabinet", alone.Error);
        Assert.True(member.ExitCode == 0, member.ToString());
        Assert.Contains($"{inf}: valid", member.Output);
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains("error WDK4014", changed.Error);
    }

    [Fact]
    public void Verify_of_a_package_tree_checks_each_driver_package_and_the_client()
    {
        Wdkdriver.Run("cert", "new", "--subject", "CN=CliSigner", "-o", temp.Combine("cert"));
        var driver = temp.Combine("tree", "driver", "amd64");
        Directory.CreateDirectory(driver);
        foreach (var inf in Directory.GetFiles(Path.Combine(RepositoryPaths.Corpus, "catalogs", "px4_drv"), "*.inf"))
        {
            File.Copy(inf, Path.Combine(driver, Path.GetFileName(inf)));
        }

        var created = Wdkdriver.Run("catalog", "create", driver, "-o", Path.Combine(driver, "px4_drv_winusb.cat"), "--os", "10_X64");
        Assert.True(created.ExitCode == 0, created.ToString());
        Wdkdriver.Run("sign", Path.Combine(driver, "px4_drv_winusb.cat"), "--test-cert", temp.Combine("cert"));
        var client = temp.Combine("tree", "client", "amd64", "tool.exe");
        Directory.CreateDirectory(Path.GetDirectoryName(client)!);
        File.Copy(Tool(), client);
        Wdkdriver.Run("sign", client, "--test-cert", temp.Combine("cert"));

        // The same tree as dotnet pack ships it: a .nupkg (a zip) is verified entry by entry.
        System.IO.Compression.ZipFile.CreateFromDirectory(temp.Combine("tree"), temp.Combine("tree.nupkg"));
        var valid = Wdkdriver.Run("verify", temp.Combine("tree"), "--trusted-cert", temp.Combine("cert", "CliSigner.cer"));
        var validArchive = Wdkdriver.Run("verify", temp.Combine("tree.nupkg"), "--trusted-cert", temp.Combine("cert", "CliSigner.cer"));
        var bytes = File.ReadAllBytes(client);
        bytes[0x400] ^= 1;
        File.WriteAllBytes(client, bytes);
        System.IO.Compression.ZipFile.CreateFromDirectory(temp.Combine("tree"), temp.Combine("tampered.zip"));
        var tampered = Wdkdriver.Run("verify", temp.Combine("tree"), "--trusted-cert", temp.Combine("cert", "CliSigner.cer"));
        var tamperedArchive = Wdkdriver.Run("verify", temp.Combine("tampered.zip"), "--trusted-cert", temp.Combine("cert", "CliSigner.cer"));

        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.True(validArchive.ExitCode == 0, validArchive.ToString());
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains($"{client}: error WDK4012", tampered.Error);
        Assert.Equal(1, tamperedArchive.ExitCode);
        Assert.Contains($"{temp.Combine("tampered.zip")}!client/amd64/tool.exe: error WDK4012", tamperedArchive.Error);
    }

    [Fact]
    public void A_file_signed_with_the_test_certificate_and_verified_without_it_says_which_file_to_trust()
    {
        Wdkdriver.Run("cert", "new", "--subject", "CN=WdkDriverTestCert", "-o", temp.Combine("cert"));
        var tool = Tool();
        Wdkdriver.Run("sign", tool, "--test-cert", temp.Combine("cert"));

        var result = Wdkdriver.Run("verify", tool);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error WDK4013", result.Error);
        Assert.Contains("its .cer is WdkDriverTestCert.cer at the top of the driver package", result.Error);
        Assert.Contains("trust it with --trusted-cert and that .cer", result.Error);
    }

    [Fact]
    public void Sign_needs_exactly_one_certificate_source()
    {
        var result = Wdkdriver.Run("sign", Tool());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error WDK4005", result.Error);
    }

    [Fact]
    public void A_time_stamp_server_that_is_not_there_or_not_a_URL_is_a_coded_error_and_leaves_the_file_unsigned()
    {
        var tool = Tool();
        var before = File.ReadAllBytes(tool);
        Assert.Equal(0, Wdkdriver.Run("cert", "new", "--subject", "CN=Stamped", "-o", temp.Combine("cert")).ExitCode);
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var absent = Wdkdriver.Run("sign", tool, "--test-cert", temp.Combine("cert"), "--timestamp", $"http://127.0.0.1:{port}/");
        var notUrl = Wdkdriver.Run("sign", tool, "--test-cert", temp.Combine("cert"), "--timestamp", "timestamp.example");

        Assert.Equal(1, absent.ExitCode);
        Assert.Contains("error WDK4007: Time-stamping at", absent.Error);
        Assert.Equal(1, notUrl.ExitCode);
        Assert.Contains("error WDK4005: --timestamp 'timestamp.example' is not an http(s) URL.", notUrl.Error);
        Assert.DoesNotContain("Exception", absent.Error + notUrl.Error);
        Assert.Equal(before, File.ReadAllBytes(tool));
    }
}
