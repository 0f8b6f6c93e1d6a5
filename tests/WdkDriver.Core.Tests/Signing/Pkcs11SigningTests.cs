using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Signing;

/// <summary>
/// Signing with a key that stays in a PKCS#11 token, against SoftHSM2 (a real token implementation) and osslsigncode
/// (which signs with the same key through OpenSSL's PKCS#11 engine); OpenSC's pkcs11-spy counts the calls made.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
public sealed class Pkcs11SigningTests : IDisposable
{
    private readonly SoftHsmToken token = new();
    private readonly TempDirectory temp = new("pkcs11");

    public Pkcs11SigningTests()
    {
        token.EnterProcess();
    }

    public void Dispose()
    {
        token.Dispose();
        temp.Dispose();
    }

    private static string UnsignedExe => Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe");

    private Pkcs11Key Open(string module = "", string label = SoftHsmToken.Label, string key = SoftHsmToken.KeyLabel, string pinVariable = SoftHsmToken.PinVariable, string? certificate = null) =>
        Pkcs11Key.Open(module.Length == 0 ? SoftHsmToken.Module : module, label, key, pinVariable, certificate);

    private (int ExitCode, string Output) Osslsigncode(params string[] arguments) => ToolProcess.Run(temp.Path, "osslsigncode", arguments, token.Environment);

    /// <summary>A PE file, a catalog and a cabinet, unsigned, in the temporary folder.</summary>
    private string[] Inputs()
    {
        File.Copy(UnsignedExe, temp.Combine("driver.sys"));
        temp.Write("driver.inf", string.Join("\r\n",
            "[Version]", "Signature = \"$WINDOWS NT$\"", "Class = System", "ClassGuid = {4D36E97D-E325-11CE-BFC1-08002BE10318}",
            "Provider = %P%", "DriverVer = 01/01/2026,1.0.0.0", "CatalogFile = driver.cat", "PnpLockdown = 1",
            "[DestinationDirs]", "DefaultDestDir = 12", "[SourceDisksNames]", "1 = %D%,,,\"\"", "[SourceDisksFiles]", "driver.sys = 1",
            "[DefaultInstall.NTamd64]", "CopyFiles = F", "[F]", "driver.sys", "[Strings]", "P = \"Token\"", "D = \"Disk\"", string.Empty));
        var package = new Dictionary<string, string> { ["driver.inf"] = temp.Combine("driver.inf"), ["driver.sys"] = temp.Combine("driver.sys") };
        File.WriteAllBytes(temp.Combine("driver.cat"), CatalogBuilder.Build(package, new CatalogOptions("10_X64", Time: DateTimeOffset.UnixEpoch), DateTimeOffset.UtcNow));
        CabinetWriter.Write(temp.Combine("submission.cab"), new[] { new CabinetSource("Driver\\driver.inf", temp.Combine("driver.inf")), new CabinetSource("Driver\\driver.sys", temp.Combine("driver.sys")) }, CabinetCompression.MsZip, new DateTime(2026, 11, 30));
        return new[] { temp.Combine("driver.sys"), temp.Combine("driver.cat"), temp.Combine("submission.cab") };
    }

    [SoftHsmFact]
    public void The_tokens_key_signs_a_PE_file_a_catalog_and_a_cabinet_as_the_same_key_in_a_file_would()
    {
        var inputs = Inputs();
        using (var signer = FileSigner.WithKey(Open()))
        {
            foreach (var file in inputs)
            {
                signer.Sign(file, file + ".token", HashAlgorithmName.SHA256, CancellationToken.None);
            }
        }

        using var software = X509Certificate2.CreateFromPemFile(token.CertificatePem, token.KeyPem);
        using var softwareSigner = FileSigner.WithCertificate(software);
        foreach (var file in inputs)
        {
            softwareSigner.Sign(file, file + ".software", HashAlgorithmName.SHA256, CancellationToken.None);
            var (exitCode, output) = Osslsigncode("verify", "-CAfile", token.CertificatePem, "-in", file + ".token");
            Assert.True(exitCode == 0, output);
            // PKCS#1 v1.5 is deterministic: the token made exactly the signature the same key in a file makes.
            Assert.Equal(File.ReadAllBytes(file + ".software"), File.ReadAllBytes(file + ".token"));
        }

        var trust = new TrustOptions(new[] { X509CertificateLoader.LoadCertificateFromFile(token.CertificateDer) });
        Assert.Empty(SignatureVerifier.VerifyCabinet(temp.Combine("submission.cab.token"), trust));
        Assert.Empty(SignatureVerifier.VerifyPe(temp.Combine("driver.sys.token"), trust)!);
    }

    [SoftHsmFact]
    public void Osslsigncode_signs_with_the_same_token_key_and_each_side_verifies_the_others_signature()
    {
        var cab = Inputs()[2];
        var uri = $"pkcs11:token={Uri.EscapeDataString(SoftHsmToken.Label)};object={SoftHsmToken.KeyLabel};type=private;pin-value={SoftHsmToken.Pin}";
        var (signed, said) = Osslsigncode("sign", "-pkcs11module", SoftHsmToken.Module, "-certs", token.CertificatePem, "-key", uri, "-h", "sha256", "-in", cab, "-out", "theirs.cab");
        Assert.True(signed == 0, said);
        using (var signer = FileSigner.WithKey(Open(certificate: token.CertificateDer)))
        {
            signer.Sign(cab, temp.Combine("ours.cab"), HashAlgorithmName.SHA256, CancellationToken.None);
        }

        var trust = new TrustOptions(new[] { X509CertificateLoader.LoadCertificateFromFile(token.CertificateDer) });
        Assert.Empty(SignatureVerifier.VerifyCabinet(temp.Combine("theirs.cab"), trust));
        var (verified, output) = Osslsigncode("verify", "-CAfile", token.CertificatePem, "-in", "ours.cab");
        Assert.True(verified == 0, output);
    }

    [SoftHsmFact]
    public void One_login_signs_every_file_and_a_wrong_PIN_is_one_coded_error_with_no_retry()
    {
        var log = temp.Combine("spy.log");
        SoftHsmToken.SetInProcess("PKCS11SPY", SoftHsmToken.Module);
        SoftHsmToken.SetInProcess("PKCS11SPY_OUTPUT", log);
        var inputs = Inputs();

        using (var signer = FileSigner.WithKey(Open(module: SoftHsmToken.Spy)))
        {
            foreach (var file in inputs)
            {
                signer.Sign(file, file + ".signed", HashAlgorithmName.SHA256, CancellationToken.None);
            }
        }

        Assert.Equal(1, SoftHsmToken.Calls(log, "C_Login"));
        Assert.Equal(1, SoftHsmToken.Calls(log, "C_Logout"));
        // The probe that checks the key against the certificate, then one signature per file (C_Sign itself is
        // called twice per signature: once for the length, once for the bytes).
        Assert.Equal(1 + inputs.Length, SoftHsmToken.Calls(log, "C_SignInit"));

        File.Delete(log);
        SoftHsmToken.SetInProcess("WDK_TEST_WRONG_PIN", "999999");
        var wrong = Assert.Throws<WdkException>(() => Open(module: SoftHsmToken.Spy, pinVariable: "WDK_TEST_WRONG_PIN"));
        Assert.Equal("WDK4008", wrong.Diagnostic.Code);
        Assert.DoesNotContain("999999", wrong.Diagnostic.Message);
        Assert.Equal(1, SoftHsmToken.Calls(log, "C_Login"));
        // Not locked by it: the right PIN still opens the token.
        Open().Dispose();
    }

    [SoftHsmFact]
    public void A_missing_module_token_key_or_PIN_variable_is_a_coded_error_that_names_it()
    {
        var errors = new (Func<Pkcs11Key> Open, string Code, string Says)[]
        {
            (() => Open(module: temp.Combine("no-such-module.so")), "WDK4005", "no-such-module.so"),
            (() => Open(label: "Other token"), "WDK4005", $"present: '{SoftHsmToken.Label}'"),
            (() => Open(key: "no-such-key"), "WDK4001", "no private key labelled 'no-such-key'"),
            (() => Open(pinVariable: "WDK_TEST_PIN_NOT_SET"), "WDK4005", "WDK_TEST_PIN_NOT_SET"),
        };

        foreach (var (open, code, says) in errors)
        {
            var error = Assert.Throws<WdkException>(() => open().Dispose());
            Assert.Equal(code, error.Diagnostic.Code);
            Assert.Contains(says, error.Diagnostic.Message);
        }

        // The key found by its id (hexadecimal) instead of its label, the certificate read from the token.
        using var byId = Open(key: "4b01");
        Assert.Equal("CN=WdkDriver EV token test", byId.Certificate.Subject);
    }
}
