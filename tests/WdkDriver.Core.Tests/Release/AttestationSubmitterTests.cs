using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Identity;
using WdkDriver.Core.Release;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Tests.Release;

/// <summary>
/// The Partner Center client against the STAND-IN of the Hardware API (not Partner Center, which the tests cannot
/// reach) with uploads to Azurite: the whole submission, each injected fault, a resumed run, a failed submission.
/// </summary>
public sealed class AttestationSubmitterTests : IDisposable
{
    private const string ClientId = "wdk-release-ci";
    private const string Secret = "stand-in-secret-4711";
    private const string SecretVariable = "WDK_TEST_PARTNER_CENTER_SECRET";
    private readonly TempDirectory temp = new("submit");
    private readonly Azurite? storage;
    private readonly HardwareApiStandIn? standIn;
    private readonly HttpClient http = new();
    private readonly ConcurrentQueue<TimeSpan> delays = new();
    private readonly ConcurrentQueue<string> progress = new();

    public AttestationSubmitterTests()
    {
        if (!Azurite.Available)
        {
            return;
        }

        storage = new Azurite();
        standIn = new HardwareApiStandIn(storage, ClientId, Secret);
        Environment.SetEnvironmentVariable(SecretVariable, Secret);
    }

    public void Dispose()
    {
        standIn?.Dispose();
        storage?.Dispose();
        http.Dispose();
        temp.Dispose();
    }

    /// <summary>Waits are recorded and shortened: the tests check what the client asked for, not the clock.</summary>
    private Task Delay(TimeSpan wait, CancellationToken cancellation)
    {
        delays.Enqueue(wait);
        return Task.Delay(TimeSpan.FromMilliseconds(5), cancellation);
    }

    private AttestationSubmitter Submitter(string secretVariable = SecretVariable)
    {
        var token = EntraToken.WithSecret(http, standIn!.Authority, "contoso.onmicrosoft.com", ClientId, secretVariable);
        var api = new HardwareApi(http, standIn.ApiAddress, token, new RetryPolicy(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30)), Delay);
        return new AttestationSubmitter(api, http, progress.Enqueue, Delay);
    }

    private string Cabinet(string name = "booster.cab", string content = "[Version]\r\nSignature=\"$WINDOWS NT$\"\r\nDriverVer = 11/30/2026,1.2.3.0\r\nCatalogFile = booster.cat\r\n")
    {
        temp.Write($"in-{name}/Booster/booster.inf", content);
        File.WriteAllBytes(temp.Combine($"in-{name}", "Booster", "booster.sys"), Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray());
        var cab = temp.Combine(name);
        CabinetWriter.Write(cab, Directory.GetFiles(temp.Combine($"in-{name}"), "*", SearchOption.AllDirectories).Select(f => new CabinetSource(Path.GetRelativePath(temp.Combine($"in-{name}"), f), f)).ToList(), CabinetCompression.MsZip, new DateTime(2026, 11, 30));
        return cab;
    }

    private SubmissionRequest Request(string cabinet, bool wait = true) =>
        new(cabinet, temp.Combine("submission.json"), "Booster 1.2.3", new[] { "WINDOWS_v100_X64_CO_FULL", "WINDOWS_v100_X64_GE_FULL" }, temp.Combine("signed.zip"), wait, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(60),
            new TrustOptions(new[] { standIn!.Root }, PinnedRoots: new[] { standIn.Root.Thumbprint }));

    [AzuriteFact]
    public async Task A_submission_survives_throttling_a_server_error_a_revoked_token_and_a_lost_commit_answer()
    {
        var cabinet = Cabinet();
        standIn!.Faults.Enqueue(new Fault("POST", "/products", 429, RetryAfterSeconds: 7));
        standIn.Faults.Enqueue(new Fault("POST", "/submissions", 503));
        standIn.Faults.Enqueue(new Fault("GET", "", 401));
        standIn.Faults.Enqueue(new Fault("POST", "/commit", 0));
        standIn.Faults.Enqueue(new Fault("GET", "", 500));

        var signed = await Submitter().RunAsync(Request(cabinet), CancellationToken.None);

        Assert.Equal(temp.Combine("signed.zip"), signed);
        Assert.Empty(standIn.Faults);
        Assert.Equal(1, standIn.ProductsCreated);
        Assert.Equal(1, standIn.SubmissionsCreated);
        Assert.Equal(2, standIn.TokensIssued);
        // Retry-After was honoured, and the other retries waited as the policy says.
        Assert.Contains(TimeSpan.FromSeconds(7), delays);
        using (var zip = ZipFile.OpenRead(signed!))
        {
            Assert.Equal(new[] { "Booster/booster.cat", "Booster/booster.inf", "Booster/booster.sys" }, zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        }

        // The ids are kept as the JSON's digits: beyond 2^53, a double would have changed them.
        var state = JsonDocument.Parse(File.ReadAllText(temp.Combine("submission.json"))).RootElement;
        Assert.Equal("14631253285588839", state.GetProperty("productId").GetString());
        Assert.Equal("1152921504621465125", state.GetProperty("submissionId").GetString());
        // One line per change of step or state; no token and no storage address in any of them.
        var lines = progress.ToList();
        Assert.Equal(1, lines.Count(l => l.Contains("packageInfoValidation, started")));
        Assert.Contains(lines, l => l.Contains("finalizeIngestion, completed"));
        Assert.DoesNotContain(lines, l => l.Contains("sig=") || l.Contains("stand-in-token") || l.Contains(Secret));
        Assert.Contains("POST /v2.0/my/hardware/products/14631253285588839/submissions/1152921504621465125/commit", standIn.Log);
        Assert.Contains(lines, l => l.StartsWith("Verified: ", StringComparison.Ordinal));
    }

    [AzuriteFact]
    public async Task A_package_that_does_not_carry_the_pinned_signature_is_refused_and_not_kept()
    {
        // Microsoft's real roots pinned: the stand-in's signature is a forgery to them.
        var request = Request(Cabinet()) with { Verification = new TrustOptions(new[] { standIn!.Root }, Microsoft: true) };

        var error = await Assert.ThrowsAsync<WdkException>(() => Submitter().RunAsync(request, CancellationToken.None));

        Assert.Equal("WDK7008", error.Diagnostic.Code);
        Assert.Contains("WDK4015", error.Diagnostic.Message);
        Assert.Contains("not one of Microsoft's roots", error.Diagnostic.Message);
        Assert.False(File.Exists(temp.Combine("signed.zip")));
    }

    [AzuriteFact]
    public async Task Tokens_that_expire_during_the_wait_are_renewed_before_they_do()
    {
        standIn!.TokenLifetime = 2;
        var slow = new AttestationSubmitter(
            new HardwareApi(http, standIn.ApiAddress, EntraToken.WithSecret(http, standIn.Authority, "contoso.onmicrosoft.com", ClientId, SecretVariable), new RetryPolicy(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30)), Delay),
            http,
            progress.Enqueue,
            (wait, cancellation) => Task.Delay(TimeSpan.FromMilliseconds(400), cancellation));

        Assert.NotNull(await slow.RunAsync(Request(Cabinet()), CancellationToken.None));

        // Eight reads 0.4 s apart outlive a 2-second token several times; no request met an expired one.
        Assert.True(standIn.TokensIssued >= 3, $"{standIn.TokensIssued} tokens");
        Assert.Equal(0, standIn.Unauthorized);
        Assert.Empty(delays);
    }

    [AzuriteFact]
    public async Task A_failed_submission_names_its_step_its_messages_and_the_error_report()
    {
        standIn!.FailAt = "validation";

        var error = await Assert.ThrowsAsync<WdkException>(() => Submitter().RunAsync(Request(Cabinet()), CancellationToken.None));

        Assert.Equal("WDK7004", error.Diagnostic.Code);
        Assert.Contains("at validation: The INF file failed validation. Error 1324 in driver.inf", error.Diagnostic.Message);
        Assert.Contains("Error report: Line 12: [Version] section lacks CatalogFile. Submission rejected.", error.Diagnostic.Message);
        Assert.DoesNotContain("sig=", error.Diagnostic.Message);
    }

    [AzuriteFact]
    public async Task A_run_that_stopped_after_the_product_goes_on_with_it_and_makes_no_second_one()
    {
        var cabinet = Cabinet();
        for (var i = 0; i < 5; i++)
        {
            standIn!.Faults.Enqueue(new Fault("POST", "/submissions", 500));
        }

        var first = await Assert.ThrowsAsync<WdkException>(() => Submitter().RunAsync(Request(cabinet), CancellationToken.None));
        var second = await Submitter().RunAsync(Request(cabinet), CancellationToken.None);

        Assert.Equal("WDK7002", first.Diagnostic.Code);
        Assert.Contains("tried 5 times", first.Diagnostic.Message);
        Assert.NotNull(second);
        Assert.Equal(1, standIn!.ProductsCreated);
        Assert.Equal(1, standIn.SubmissionsCreated);
        // A third run finds everything done but the download, and makes nothing new either.
        Assert.NotNull(await Submitter().RunAsync(Request(cabinet), CancellationToken.None));
        Assert.Equal(1, standIn.ProductsCreated);
        Assert.Single(standIn.Log, l => l.EndsWith("/commit", StringComparison.Ordinal));
    }

    [AzuriteFact]
    public async Task Another_cabinet_never_resumes_this_ones_submission_and_a_refused_sign_in_keeps_the_secret_out_of_the_message()
    {
        await Submitter().RunAsync(Request(Cabinet(), wait: false), CancellationToken.None);

        var other = await Assert.ThrowsAsync<WdkException>(() => Submitter().RunAsync(Request(Cabinet("other.cab", "[Version]\r\nSignature=\"$WINDOWS NT$\"\r\nDriverVer = 11/30/2026,1.2.4.0\r\nCatalogFile = booster.cat\r\n")), CancellationToken.None));
        Environment.SetEnvironmentVariable("WDK_TEST_WRONG_SECRET", "not-the-secret-0815");
        File.Delete(temp.Combine("submission.json"));
        var refused = await Assert.ThrowsAsync<WdkException>(() => Submitter("WDK_TEST_WRONG_SECRET").RunAsync(Request(Cabinet()), CancellationToken.None));

        Assert.Equal("WDK7006", other.Diagnostic.Code);
        Assert.Equal("WDK7001", refused.Diagnostic.Code);
        Assert.Contains("invalid_client", refused.Diagnostic.Message);
        Assert.Contains("AADSTS7000215", refused.Diagnostic.Message);
        Assert.DoesNotContain("not-the-secret-0815", refused.Diagnostic.Message);
        Assert.Equal(1, standIn!.ProductsCreated);
    }

    [AzuriteFact]
    public async Task A_federated_token_file_signs_in_without_a_secret_and_is_read_again_for_each_token()
    {
        // The stand-in takes its secret as the assertion; a CI runner writes a fresh token to the file as it goes.
        var file = temp.Write("federated-token.jwt", Secret + "\n");
        var token = EntraToken.WithFederatedToken(http, standIn!.Authority, "contoso.onmicrosoft.com", ClientId, file);

        var first = await token.GetAsync(false, CancellationToken.None);
        File.WriteAllText(file, "an-expired-assertion");
        var refused = await Assert.ThrowsAsync<WdkException>(() => token.GetAsync(true, CancellationToken.None));

        Assert.StartsWith("stand-in-token-", first);
        Assert.Equal("WDK7001", refused.Diagnostic.Code);
        Assert.DoesNotContain("an-expired-assertion", refused.Diagnostic.Message);
        Assert.Equal(1, standIn.TokensIssued);
    }
}
