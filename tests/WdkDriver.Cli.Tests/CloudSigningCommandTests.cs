namespace WdkDriver.Cli.Tests;

/// <summary>
/// <c>wdkdriver sign</c> with keys in cloud HSMs, against <see cref="CloudSigningStandIn"/> (a stand-in of Key Vault,
/// Artifact Signing, KMS and Entra ID, not the services), credentials in the command's environment: every kind of file
/// it signs, verified by osslsigncode and by <c>wdkdriver verify</c> against the stand-in's root.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class CloudSigningCommandTests : IDisposable
{
    private readonly CloudSigningStandIn standIn = new();
    private readonly TempDirectory temp = new("cli-cloud");

    public void Dispose()
    {
        standIn.Dispose();
        temp.Dispose();
    }

    private Dictionary<string, string> Environment() => standIn.Environment().ToDictionary(p => p.Key, p => p.Value ?? string.Empty);

    /// <summary>A PE file, a catalog, a cabinet and an installer package, unsigned, in a folder of their own.</summary>
    private string[] Files(string folder)
    {
        Directory.CreateDirectory(temp.Combine(folder, "pkg", "driver", "amd64"));
        var sys = Path.Combine(RepositoryPaths.Samples, "PrebuiltDriver", "mingw", "hello.sys");
        File.Copy(sys, temp.Combine(folder, "pkg", "driver", "amd64", "hello.sys"));
        File.Copy(Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe"), temp.Combine(folder, "tool.exe"));
        File.Copy(Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.cat"), temp.Combine(folder, "files.cat"));
        Assert.Equal(0, Wdkdriver.Run("cab", "create", temp.Combine(folder, "pkg"), "-o", temp.Combine(folder, "driver.cab")).ExitCode);
        temp.Write($"{folder}/pkg/driver/amd64/hello.inf", MsiCommandTests.Inf);
        var msi = Wdkdriver.Run("msi", "create", temp.Combine(folder, "pkg"), "-o", temp.Combine(folder, "hello.msi"), "--manufacturer", "Contoso", "--product", "Hello", "--version", "1.0.0");
        Assert.True(msi.ExitCode == 0, msi.ToString());
        return new[] { temp.Combine(folder, "tool.exe"), temp.Combine(folder, "files.cat"), temp.Combine(folder, "driver.cab"), temp.Combine(folder, "hello.msi") };
    }

    [OsslsigncodeFact]
    public void Sign_with_Key_Vault_Artifact_Signing_or_KMS_signs_every_kind_of_file_that_osslsigncode_and_verify_accept()
    {
        File.WriteAllBytes(temp.Combine("root.cer"), standIn.Root.RawData);
        File.WriteAllText(temp.Combine("root.pem"), standIn.Root.ExportCertificatePem());
        File.WriteAllBytes(temp.Combine("kms.cer"), standIn.KmsCertificate.RawData);
        var signers = new Dictionary<string, string[]>
        {
            ["vault"] = new[] { "--azure-key-vault", standIn.Address.AbsoluteUri, "--certificate-name", "driver-signing" },
            ["artifact"] = new[] { "--artifact-signing", standIn.Address.AbsoluteUri, "--account", "contoso", "--profile", "release" },
            ["kms"] = new[] { "--aws-kms", $"arn:aws:kms:eu-west-1:111122223333:key/{CloudSigningStandIn.KmsKeyId}", "--cert", temp.Combine("kms.cer") },
        };
        foreach (var (name, options) in signers)
        {
            var files = Files(name);
            var signed = Wdkdriver.RunIn(Environment(), new[] { "sign" }.Concat(files).Concat(options).ToArray());
            Assert.True(signed.ExitCode == 0, signed.ToString());
            Assert.Equal(files, signed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            foreach (var file in files.Where(f => !f.EndsWith(".cat", StringComparison.Ordinal)))
            {
                var (exitCode, output) = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", temp.Combine("root.pem"), "-in", file });
                Assert.True(exitCode == 0, $"{name} {file}: {output}");
            }

            var verified = Wdkdriver.Run(new[] { "verify" }.Concat(files).Concat(new[] { "--trusted-cert", temp.Combine("root.cer") }).ToArray());
            Assert.True(verified.ExitCode == 0, $"{name}: {verified}");
        }

        Assert.DoesNotContain(CloudSigningStandIn.Secret, string.Join("\n", standIn.Log));
    }

    [Fact]
    public void A_refused_secret_or_two_keys_at_once_are_coded_errors_and_leave_the_file_as_it_was()
    {
        var files = Files("refused");
        var before = File.ReadAllBytes(files[0]);
        var environment = Environment();
        environment["AZURE_CLIENT_SECRET"] = "not-the-secret";
        var refused = Wdkdriver.RunIn(environment, "sign", files[0], "--azure-key-vault", standIn.Address.AbsoluteUri, "--certificate-name", "driver-signing");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("error WDK4020: ", refused.Error);
        Assert.Contains($"client '{CloudSigningStandIn.ClientId}'", refused.Error);
        Assert.DoesNotContain("not-the-secret", refused.Error + refused.Output);

        var two = Wdkdriver.RunIn(Environment(), "sign", files[0], "--azure-key-vault", standIn.Address.AbsoluteUri, "--certificate-name", "driver-signing", "--aws-kms", "alias/driver-signing");
        Assert.Equal(1, two.ExitCode);
        Assert.Contains("error WDK4005: Give exactly one of", two.Error);
        Assert.Equal(before, File.ReadAllBytes(files[0]));
    }
}
