using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Signing.Cloud;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Signing;

/// <summary>
/// Keys in cloud HSMs — Azure Key Vault, Azure Artifact Signing, AWS KMS (through the official AWS client) — against
/// <see cref="CloudSigningStandIn"/>, a stand-in of their documented APIs with Entra ID's token endpoint; what they sign
/// is verified by osslsigncode and by our verifier against the stand-in's root.
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.Rsa)]
[Collection(ProcessEnvironment.Name)]
public sealed class CloudSigningTests : IDisposable
{
    private readonly CloudSigningStandIn standIn = new();
    private readonly TempDirectory temp = new("cloud-signing");
    private readonly Dictionary<string, string?> saved = new();

    public CloudSigningTests()
    {
        foreach (var (name, value) in standIn.Environment())
        {
            saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        File.WriteAllBytes(temp.Combine("root.cer"), standIn.Root.RawData);
        File.WriteAllText(temp.Combine("root.pem"), standIn.Root.ExportCertificatePem());
        File.WriteAllBytes(temp.Combine("kms.cer"), standIn.KmsCertificate.RawData);
    }

    public void Dispose()
    {
        foreach (var (name, value) in saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        standIn.Dispose();
        temp.Dispose();
    }

    private static string UnsignedExe => Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe");

    private TrustOptions Trust => new(new[] { standIn.Root });

    private string Vault => standIn.Address.AbsoluteUri;

    /// <summary>A PE file and a cabinet, unsigned, under names of their own.</summary>
    private string[] Inputs(string prefix)
    {
        File.Copy(UnsignedExe, temp.Combine(prefix + ".sys"));
        CabinetWriter.Write(temp.Combine(prefix + ".cab"), new[] { new CabinetSource("Driver\\driver.sys", UnsignedExe) }, CabinetCompression.MsZip, new DateTime(2026, 11, 30));
        return new[] { temp.Combine(prefix + ".sys"), temp.Combine(prefix + ".cab") };
    }

    private void Verified(string file)
    {
        var (exitCode, output) = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", temp.Combine("root.pem"), "-in", file });
        Assert.True(exitCode == 0, output);
        Assert.Empty(SignatureVerifier.VerifyFile(file, Trust));
    }

    private void SignAll(SigningKey key, string[] files)
    {
        using var signer = FileSigner.WithKey(key);
        signer.SignAll(files.Select(f => (f, f)).ToList(), HashAlgorithmName.SHA256, 4, CancellationToken.None);
    }

    [OsslsigncodeFact]
    public void A_Key_Vault_key_RSA_or_EC_signs_with_one_remote_call_per_file_after_the_vaults_challenge()
    {
        var files = Inputs("rsa");
        SignAll(AzureKeyVaultKey.Open(Vault, "driver-signing"), files);
        foreach (var file in files)
        {
            Verified(file);
        }

        // The vault's challenge, a token, the certificate, then one sign call per file: no probe signature.
        Assert.Equal(2, standIn.SignCalls);

        // SHA-1 (FileDigestAlgorithm=sha1, for Windows before 7 SP1): the DigestInfo made here, signed as RSNULL.
        using (var signer = FileSigner.WithKey(AzureKeyVaultKey.Open(Vault, "driver-signing")))
        {
            signer.Sign(files[0], temp.Combine("sha1.sys"), HashAlgorithmName.SHA1, CancellationToken.None);
        }

        Verified(temp.Combine("sha1.sys"));
        var log = standIn.Log.ToList();
        Assert.Equal($"GET /certificates/driver-signing", log[0]);
        Assert.EndsWith("/oauth2/v2.0/token", log[1]);

        var ec = Inputs("ec");
        using var key = AzureKeyVaultKey.Open(Vault, "driver-signing-ec");
        Assert.NotNull(key.Certificate.GetECDsaPublicKey());
        using (var signer = FileSigner.WithKey(key, ownsKey: false))
        {
            signer.Sign(ec[0], ec[0], HashAlgorithmName.SHA256, CancellationToken.None);
        }

        Verified(ec[0]);
        // A P-256 key signs SHA-256 digests; SHA-384 with it is refused before any call.
        var calls = standIn.SignCalls;
        using (var signer = FileSigner.WithKey(key, ownsKey: false))
        {
            var wrong = Assert.Throws<WdkException>(() => signer.Sign(ec[1], ec[1] + ".384", HashAlgorithmName.SHA384, CancellationToken.None));
            Assert.Equal(ErrorCodes.SigningKeyUnusable, wrong.Diagnostic.Code);
            Assert.Contains("SHA256 digests with, not SHA384", wrong.Diagnostic.Message);
        }

        Assert.Equal(calls, standIn.SignCalls);
    }

    [OsslsigncodeFact]
    public void A_certificate_renewed_in_the_vault_is_another_signer()
    {
        using var first = AzureKeyVaultKey.Open(Vault, "driver-signing");
        standIn.AddVaultVersion("driver-signing", ec: false);
        using var renewed = AzureKeyVaultKey.Open(Vault, "driver-signing");
        Assert.NotEqual(first.Identity, renewed.Identity);
        Assert.StartsWith($"azure-key-vault {Vault}certificates/driver-signing/", renewed.Identity);
        // The earlier version, by name/version, is still the same signer.
        using var pinned = AzureKeyVaultKey.Open(Vault, "driver-signing/" + first.Certificate.Thumbprint);
        Assert.Equal(first.Identity, pinned.Identity);
    }

    [OsslsigncodeFact]
    public void Artifact_Signing_polls_its_operation_and_embeds_the_certificate_chain_each_answer_gives()
    {
        var files = Inputs("artifact");
        using var key = ArtifactSigningKey.Open(standIn.Address.AbsoluteUri, "contoso", "release");
        Assert.Null(key.CannotSign(DateTime.UtcNow));
        SignAll(key, files);
        foreach (var file in files)
        {
            Verified(file);
        }

        Assert.Equal(2, standIn.SignCalls);
        Assert.Contains(standIn.Log, l => l.StartsWith("GET /codesigningaccounts/contoso/certificateprofiles/release/sign/", StringComparison.Ordinal));
        Assert.Equal("artifact-signing " + standIn.Address.AbsoluteUri + "codesigningaccounts/contoso/certificateprofiles/release", key.Identity);
    }

    [OsslsigncodeFact]
    public void Cloud_signatures_carry_RFC_3161_time_stamps_as_any_other()
    {
        using var authority = new LoopbackTimestampAuthority();
        var files = Inputs("stamped");
        using (var signer = FileSigner.WithKey(ArtifactSigningKey.Open(standIn.Address.AbsoluteUri, "contoso", "release")).WithTimestamps(new Rfc3161Timestamper(authority.Address)))
        {
            signer.SignAll(files.Select(f => (f, f)).ToList(), HashAlgorithmName.SHA256, 4, CancellationToken.None);
        }

        Assert.Equal(files.Length, authority.Answered);
        foreach (var file in files)
        {
            var (exitCode, output) = ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-CAfile", temp.Combine("root.pem"), "-TSA-CAfile", authority.CertificatePath, "-ignore-cdp", "-in", file });
            Assert.True(exitCode == 0, output);
            Assert.Contains("Timestamp Server Signature verification: ok", output);
            Assert.Empty(SignatureVerifier.VerifyFile(file, new TrustOptions(new[] { standIn.Root, X509CertificateLoader.LoadCertificateFromFile(authority.CertificatePath) })));
        }
    }

    [OsslsigncodeFact]
    public void An_AWS_KMS_key_signs_through_the_official_client_and_must_be_the_certificates_key()
    {
        var files = Inputs("kms");
        // KMS unavailable once: the AWS client waits and asks again.
        standIn.Faults.Enqueue(new CloudFault("TrentService.Sign", 503));
        SignAll(AwsKmsKey.Open("alias/driver-signing", temp.Combine("kms.cer"), null), files);
        foreach (var file in files)
        {
            Verified(file);
        }

        Assert.Equal(2, standIn.SignCalls);
        // GetPublicKey, the Sign answered 503, then one Sign per file.
        Assert.Equal(4, standIn.Log.Count(l => l == "POST /"));

        // A certificate for another key is refused before anything is signed, at the certificate file.
        File.WriteAllBytes(temp.Combine("other.cer"), standIn.Root.RawData);
        var mismatch = Assert.Throws<WdkException>(() => AwsKmsKey.Open("alias/driver-signing", temp.Combine("other.cer"), null));
        Assert.Equal(ErrorCodes.SigningKeyUnusable, mismatch.Diagnostic.Code);
        Assert.Equal(temp.Combine("other.cer"), mismatch.Diagnostic.File);
        Assert.Equal(2, standIn.SignCalls);

        var missing = Assert.Throws<WdkException>(() => AwsKmsKey.Open("alias/nothing", temp.Combine("kms.cer"), null));
        Assert.Equal(ErrorCodes.CloudKeyMissing, missing.Diagnostic.Code);

        // No credentials anywhere: the SDK's list of what it tried, on one line, and what to set.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", null);
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", temp.Combine("no-credentials"));
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", temp.Combine("no-config"));
        try
        {
            var none = Assert.Throws<WdkException>(() => AwsKmsKey.Open("alias/driver-signing", temp.Combine("kms.cer"), null));
            Assert.Equal(ErrorCodes.CloudSignInRefused, none.Diagnostic.Code);
            Assert.DoesNotContain("\n", none.Diagnostic.Message);
            Assert.EndsWith("AWS credentials (docs/cloud-signing.md).", none.Diagnostic.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", null);
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", null);
        }

        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIAREVOKED000000000");
        var refused = Assert.Throws<WdkException>(() => AwsKmsKey.Open("alias/driver-signing", temp.Combine("kms.cer"), null));
        Assert.Equal(ErrorCodes.CloudSignInRefused, refused.Diagnostic.Code);
        Assert.Contains("kms:Sign and kms:GetPublicKey", refused.Diagnostic.Message);
    }

    [OsslsigncodeFact]
    public void Throttling_is_waited_for_and_an_expired_token_renewed_but_a_500_stops_and_leaves_nothing_half_signed()
    {
        var files = Inputs("faults");
        using var key = AzureKeyVaultKey.Open(Vault, "driver-signing");
        standIn.Faults.Enqueue(new CloudFault("/sign", 429, RetryAfterSeconds: 1));
        standIn.Faults.Enqueue(new CloudFault("/sign", 503, RetryAfterSeconds: 1));
        standIn.ExpireTokens();
        using (var signer = FileSigner.WithKey(key, ownsKey: false))
        {
            signer.Sign(files[0], files[0], HashAlgorithmName.SHA256, CancellationToken.None);
        }

        Verified(files[0]);
        // The first token, and the one asked for after the vault refused the expired one.
        Assert.Equal(2, standIn.Log.Count(l => l.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal)));

        var before = File.ReadAllBytes(files[1]);
        standIn.Faults.Enqueue(new CloudFault("/sign", 500));
        using (var signer = FileSigner.WithKey(key, ownsKey: false))
        {
            var failed = Assert.Throws<WdkException>(() => signer.Sign(files[1], temp.Combine("out.cab"), HashAlgorithmName.SHA256, CancellationToken.None));
            Assert.Equal(ErrorCodes.CloudSigningFailed, failed.Diagnostic.Code);
            Assert.Contains("500", failed.Diagnostic.Message);
        }

        Assert.False(File.Exists(temp.Combine("out.cab")));
        Assert.Equal(before, File.ReadAllBytes(files[1]));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp*"));
    }

    [Fact]
    public void A_refused_identity_is_one_error_naming_it_and_its_role_never_tried_again()
    {
        standIn.Forbidden.Add(CloudSigningStandIn.ClientId);
        var refused = Assert.Throws<WdkException>(() => AzureKeyVaultKey.Open(Vault, "driver-signing"));
        Assert.Equal(ErrorCodes.CloudSignInRefused, refused.Diagnostic.Code);
        Assert.Contains($"the app '{CloudSigningStandIn.ClientId}' needs the role Key Vault Crypto User and Key Vault Certificate User", refused.Diagnostic.Message);
        // The challenge, then the one request with a token: a 403 is not asked again.
        Assert.Equal(2, standIn.Log.Count(l => l == "GET /certificates/driver-signing"));
        Assert.Single(standIn.Log, l => l.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal));

        standIn.Forbidden.Clear();
        var missing = Assert.Throws<WdkException>(() => AzureKeyVaultKey.Open(Vault, "no-such-certificate"));
        Assert.Equal(ErrorCodes.CloudKeyMissing, missing.Diagnostic.Code);
        Assert.Contains("CertificateNotFound", missing.Diagnostic.Message);

        Environment.SetEnvironmentVariable("AZURE_CLIENT_SECRET", "wrong");
        var wrongSecret = Assert.Throws<WdkException>(() => AzureKeyVaultKey.Open(Vault, "driver-signing"));
        Assert.Equal(ErrorCodes.CloudSignInRefused, wrongSecret.Diagnostic.Code);
        Assert.Contains("invalid_client", wrongSecret.Diagnostic.Message);
        Assert.DoesNotContain("wrong", wrongSecret.Diagnostic.Message);
        Assert.DoesNotContain(CloudSigningStandIn.Secret, refused.Diagnostic.Message);
    }

    [Fact]
    public void A_federated_token_file_signs_in_without_a_secret()
    {
        // What a CI job writes: its OIDC token, read again for every token Entra ID gives.
        File.WriteAllText(temp.Combine("oidc.jwt"), "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmNvbnRvc28vZHJpdmVyIn0.c2lnbmF0dXJl\n");
        Environment.SetEnvironmentVariable("AZURE_CLIENT_SECRET", null);
        Environment.SetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE", temp.Combine("oidc.jwt"));
        using var key = AzureKeyVaultKey.Open(Vault, "driver-signing");
        Assert.Single(standIn.Log, l => l.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal));
        Assert.StartsWith($"azure-key-vault {Vault}certificates/driver-signing/", key.Identity);
    }

    [Fact]
    public void A_managed_identity_signs_in_where_no_secret_is_set_and_plain_http_off_this_machine_is_refused()
    {
        Environment.SetEnvironmentVariable("AZURE_CLIENT_SECRET", null);
        Environment.SetEnvironmentVariable("AZURE_CLIENT_ID", null);
        Environment.SetEnvironmentVariable("AZURE_POD_IDENTITY_AUTHORITY_HOST", standIn.Address.AbsoluteUri);
        try
        {
            using var key = AzureKeyVaultKey.Open(Vault, "driver-signing");
            Assert.Contains(standIn.Log, l => l == "GET /metadata/identity/oauth2/token");
        }
        finally
        {
            Environment.SetEnvironmentVariable("AZURE_POD_IDENTITY_AUTHORITY_HOST", null);
        }

        var clearText = Assert.Throws<WdkException>(() => AzureKeyVaultKey.Open("http://contoso.vault.azure.net", "driver-signing"));
        Assert.Equal(ErrorCodes.SignSetupInvalid, clearText.Diagnostic.Code);
        var two = Assert.Throws<WdkException>(() => new CloudKeySettings(Vault, "driver-signing", null, null, null, "alias/driver-signing", null, null).Open());
        Assert.Equal(ErrorCodes.SignSetupInvalid, two.Diagnostic.Code);
    }

    [Fact]
    public void Files_are_signed_side_by_side_within_the_bound()
    {
        standIn.SignDelay = TimeSpan.FromMilliseconds(300);
        var files = Enumerable.Range(0, 8).Select(i => { File.Copy(UnsignedExe, temp.Combine($"f{i}.exe")); return temp.Combine($"f{i}.exe"); }).ToArray();
        using var signer = FileSigner.WithKey(AzureKeyVaultKey.Open(Vault, "driver-signing"));
        signer.SignAll(files.Select(f => (f, f)).ToList(), HashAlgorithmName.SHA256, 4, CancellationToken.None);
        Assert.Equal(8, standIn.SignCalls);
        Assert.InRange(standIn.MostAtOnce, 2, 4);
        Assert.All(files, f => Assert.Empty(SignatureVerifier.VerifyFile(f, Trust)));
    }
}
