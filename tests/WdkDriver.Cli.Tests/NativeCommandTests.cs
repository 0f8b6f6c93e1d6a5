namespace WdkDriver.Cli.Tests;

/// <summary>
/// The command compiled ahead of time (Native AOT, how the benchmark and the README's native build run it) does what
/// the framework-dependent build does, byte for byte: nothing it reaches was trimmed away or needs code generation.
/// </summary>
[Collection(CommandPublish.Name)]
public class NativeCommandTests : IDisposable
{
    private static readonly Lazy<string> Native = new(Publish);
    private readonly TempDirectory temp = new("cli-native");

    public void Dispose() => temp.Dispose();

    private static string Publish()
    {
        var output = Path.Combine(Path.GetTempPath(), "wdkdriver-native-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        ToolProcess.Succeed(RepositoryPaths.Root, "dotnet", "publish", Path.Combine(RepositoryPaths.Root, "cli", "WdkDriver.Cli.csproj"), "-c", "Release", "-r", "linux-x64", "-o", output, "-v:q", "-nologo");
        return Path.Combine(output, "wdkdriver");
    }

    /// <summary>Runs a verb with both builds; they must agree on exit code, output and (with the paths swapped) errors.</summary>
    private CommandResult Both(Func<string, string[]> arguments)
    {
        var managed = Wdkdriver.RunWith(null, arguments("managed"));
        var native = Wdkdriver.RunWith(Native.Value, arguments("native"));
        Assert.Equal(managed.ExitCode, native.ExitCode);
        Assert.Equal(managed.Output.Replace("managed", "native"), native.Output);
        Assert.Equal(managed.Error.Replace("managed", "native"), native.Error);
        return native;
    }

    [NativeAotFact]
    public void The_native_command_stamps_checks_hashes_catalogs_signs_and_verifies_as_the_managed_one_does()
    {
        var inf = Path.Combine(RepositoryPaths.Corpus, "catalogs", "px4_drv", "PX-W3U4.inf");
        var exe = Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe");
        Wdkdriver.Run("cert", "new", "--subject", "CN=NativeSigner", "-o", temp.Combine("cert"));
        foreach (var build in new[] { "managed", "native" })
        {
            Directory.CreateDirectory(temp.Combine(build, "package"));
            File.Copy(exe, temp.Combine(build, "package", "tool.exe"));
            File.Copy(inf, temp.Combine(build, "package", "PX-W3U4.inf"));
        }

        Assert.Equal(0, Both(b => new[] { "stamp", inf, "-o", temp.Combine(b, "stamped.inf"), "--arch", "amd64", "--driver-ver", "01/02/2025,1.2.3.4" }).ExitCode);
        Assert.Equal(File.ReadAllBytes(temp.Combine("managed", "stamped.inf")), File.ReadAllBytes(temp.Combine("native", "stamped.inf")));
        Both(b => new[] { "check-inf", Path.Combine(RepositoryPaths.Corpus, "inf", "windows-drivers-rs", "crates", "cargo-wdk", "tests", "kmdf-driver", "kmdf_driver.inx") });
        Assert.Equal(0, Both(b => new[] { "hash", exe, inf, "--alg", "sha1" }).ExitCode);
        Assert.Equal(0, Both(b => new[] { "catalog", "create", temp.Combine(b, "package"), "-o", temp.Combine(b, "package", "px4_drv_winusb.cat"), "--os", "10_X64", "--list-id", "0123456789ABCDEF0123456789ABCDEF", "--time", "250102030405Z" }).ExitCode);
        Assert.Equal(0, Both(b => new[] { "sign", temp.Combine(b, "package", "tool.exe"), temp.Combine(b, "package", "px4_drv_winusb.cat"), "--test-cert", temp.Combine("cert") }).ExitCode);
        foreach (var file in new[] { "tool.exe", "px4_drv_winusb.cat" })
        {
            Assert.Equal(File.ReadAllBytes(temp.Combine("managed", "package", file)), File.ReadAllBytes(temp.Combine("native", "package", file)));
        }

        var verified = Both(b => new[] { "verify", temp.Combine(b, "package"), "--trusted-cert", temp.Combine("cert", "NativeSigner.cer") });
        Assert.True(verified.ExitCode == 0, verified.ToString());
        File.AppendAllText(temp.Combine("managed", "package", "PX-W3U4.inf"), "; changed\n");
        File.AppendAllText(temp.Combine("native", "package", "PX-W3U4.inf"), "; changed\n");
        Assert.Equal(1, Both(b => new[] { "verify", temp.Combine(b, "package"), "--trusted-cert", temp.Combine("cert", "NativeSigner.cer") }).ExitCode);
    }

    /// <summary>Key Vault through our own client, KMS through the AWS SDK: trimmed and compiled ahead of time, each signs what the managed build signs.</summary>
    [NativeAotFact]
    public void The_native_command_signs_with_Key_Vault_and_KMS_as_the_managed_one_does()
    {
        using var standIn = new CloudSigningStandIn();
        var environment = standIn.Environment().ToDictionary(p => p.Key, p => p.Value ?? string.Empty);
        File.WriteAllBytes(temp.Combine("kms.cer"), standIn.KmsCertificate.RawData);
        var exe = Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe");
        foreach (var (signer, options) in new[]
        {
            ("vault", new[] { "--azure-key-vault", standIn.Address.AbsoluteUri, "--certificate-name", "driver-signing" }),
            ("kms", new[] { "--aws-kms", "alias/driver-signing", "--cert", temp.Combine("kms.cer") }),
        })
        {
            foreach (var build in new[] { "managed", "native" })
            {
                Directory.CreateDirectory(temp.Combine(signer, build));
                File.Copy(exe, temp.Combine(signer, build, "tool.exe"));
                var result = Wdkdriver.RunWith(build == "native" ? Native.Value : null, new[] { "sign", temp.Combine(signer, build, "tool.exe") }.Concat(options).ToArray(), environment);
                Assert.True(result.ExitCode == 0, $"{signer}, {build}: {result}");
            }

            // PKCS#1 v1.5 is deterministic: the same key over the same file gives the same bytes.
            Assert.Equal(File.ReadAllBytes(temp.Combine(signer, "managed", "tool.exe")), File.ReadAllBytes(temp.Combine(signer, "native", "tool.exe")));
        }
    }

    [NativeAotSoftHsmFact]
    public void The_native_command_makes_signs_and_verifies_cabinets_and_says_with_a_code_that_it_cannot_load_a_token()
    {
        using var token = new SoftHsmToken();
        Wdkdriver.Run("cert", "new", "--subject", "CN=NativeCabSigner", "-o", temp.Combine("cert"));
        foreach (var build in new[] { "managed", "native" })
        {
            temp.Write($"{build}/in/Booster/booster.inf", "[Version]\r\nSignature=\"$WINDOWS NT$\"\r\n");
        }

        Assert.Equal(0, Both(b => new[] { "cab", "create", temp.Combine(b, "in"), "-o", temp.Combine(b, "submission.cab") }).ExitCode);
        Assert.Equal(0, Both(b => new[] { "sign", temp.Combine(b, "submission.cab"), "--test-cert", temp.Combine("cert") }).ExitCode);
        Assert.Equal(File.ReadAllBytes(temp.Combine("managed", "submission.cab")), File.ReadAllBytes(temp.Combine("native", "submission.cab")));
        Assert.Equal(0, Both(b => new[] { "verify", temp.Combine(b, "submission.cab"), "--trusted-cert", temp.Combine("cert", "NativeCabSigner.cer") }).ExitCode);

        // Pkcs11Interop marshals at run time: the managed build signs with the token, the native one says it cannot.
        string[] WithToken(string build) => new[] { "sign", temp.Combine(build, "submission.cab"), "--pkcs11", SoftHsmToken.Module, "--token", SoftHsmToken.Label, "--key", SoftHsmToken.KeyLabel, "--pin-env", SoftHsmToken.PinVariable };
        var managed = Wdkdriver.RunWith(null, WithToken("managed"), token.Environment);
        var native = Wdkdriver.RunWith(Native.Value, WithToken("native"), token.Environment);
        Assert.True(managed.ExitCode == 0, managed.ToString());
        Assert.Equal(1, native.ExitCode);
        Assert.Contains("error WDK4005: This build of wdkdriver is compiled ahead of time and cannot load PKCS#11 modules", native.Error);
        Assert.Equal(0, Wdkdriver.RunWith(Native.Value, new[] { "verify", temp.Combine("managed", "submission.cab"), "--trusted-cert", token.CertificateDer }).ExitCode);
    }
}
