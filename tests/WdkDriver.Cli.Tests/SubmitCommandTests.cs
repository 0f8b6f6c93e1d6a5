using System.Diagnostics;
using System.IO.Compression;
using WdkDriver.Core.Cabinets;

namespace WdkDriver.Cli.Tests;

/// <summary>
/// <c>wdkdriver submit</c> against the STAND-IN of Partner Center's Hardware API (not Partner Center) with uploads to
/// Azurite: a submission start to end, and one killed halfway and run again.
/// </summary>
public sealed class SubmitCommandTests : IDisposable
{
    private const string Secret = "cli-stand-in-secret-2026";
    private readonly TempDirectory temp = new("cli-submit");
    private readonly Azurite? storage;
    private readonly HardwareApiStandIn? standIn;

    public SubmitCommandTests()
    {
        if (Azurite.Available)
        {
            storage = new Azurite();
            standIn = new HardwareApiStandIn(storage, "wdk-ci", Secret);
        }
    }

    public void Dispose()
    {
        standIn?.Dispose();
        storage?.Dispose();
        temp.Dispose();
    }

    private Dictionary<string, string> Environment => new() { ["WDK_TEST_SUBMIT_SECRET"] = Secret };

    private string Cabinet()
    {
        temp.Write("in/Booster/booster.inf", "[Version]\r\nSignature = \"$WINDOWS NT$\"\r\nCatalogFile = booster.cat\r\nDriverVer = 11/30/2026,1.2.3.0\r\n[Manufacturer]\r\n%P% = Booster, NTamd64.10.0\r\n[Booster.NTamd64.10.0]\r\n[Strings]\r\nP = \"Contoso\"\r\n");
        var cab = temp.Combine("Booster.1.2.3.amd64.submission.cab");
        CabinetWriter.Write(cab, new[] { new CabinetSource("Booster\\booster.inf", temp.Combine("in", "Booster", "booster.inf")) }, CabinetCompression.MsZip, new DateTime(2026, 11, 30));
        return cab;
    }

    private string[] Submit(string cab, int poll)
    {
        File.WriteAllBytes(temp.Combine("stand-in-root.cer"), standIn!.Root.RawData);
        return new[]
        {
            "submit", cab, "--tenant", "contoso.onmicrosoft.com", "--client-id", "wdk-ci", "--secret-env", "WDK_TEST_SUBMIT_SECRET", "--wait", "--poll", poll.ToString(),
            "--api-url", standIn.ApiAddress.AbsoluteUri, "--authority", standIn.Authority.AbsoluteUri, "--pinned-root", temp.Combine("stand-in-root.cer"),
        };
    }

    [AzuriteFact]
    public void Submit_waits_for_the_signed_package_printing_each_step_and_requests_the_INFs_architecture()
    {
        var cab = Cabinet();

        var result = Wdkdriver.RunIn(Environment, Submit(cab, 0));

        Assert.True(result.ExitCode == 0, result.ToString());
        var signed = temp.Combine("Booster.1.2.3.amd64.submission.signed.zip");
        Assert.Equal(signed, result.Output.Trim().Split('\n').Last());
        using (var zip = ZipFile.OpenRead(signed))
        {
            Assert.Equal(new[] { "Booster/booster.cat", "Booster/booster.inf" }, zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        }

        Assert.Contains("Creating the product 'Booster.1.2.3.amd64' for WINDOWS_v100_X64_TH1_FULL", result.Output);
        Assert.Contains("signing, started", result.Output);
        Assert.Contains($"Verified: {signed} carries Microsoft's driver signature", result.Output);
        var requested = standIn!.LastProductRequest!["requestedSignatures"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(12, requested.Count);
        Assert.All(requested, code => Assert.StartsWith("WINDOWS_v100_X64_", code));
        Assert.DoesNotContain(Secret, result.Output + result.Error);
        Assert.DoesNotContain("sig=", result.Output + result.Error);
    }

    [AzuriteFact]
    public void A_submission_killed_while_it_waits_goes_on_when_run_again_with_one_product_and_one_submission()
    {
        var cab = Cabinet();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "wdkdriver.dll"));
        foreach (var argument in Submit(cab, 1))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["WDK_TEST_SUBMIT_SECRET"] = Secret;
        using (var first = Process.Start(info)!)
        {
            // Killed once the submission is committed and being waited for.
            string? line;
            while ((line = first.StandardOutput.ReadLine()) is not null && !line.Contains("packageInfoValidation"))
            {
            }

            first.Kill(entireProcessTree: true);
            first.WaitForExit();
            Assert.NotNull(line);
        }

        var second = Wdkdriver.RunIn(Environment, Submit(cab, 0));

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotContain("Creating", second.Output);
        Assert.DoesNotContain("Uploading", second.Output);
        Assert.Equal(1, standIn!.ProductsCreated);
        Assert.Equal(1, standIn.SubmissionsCreated);
        Assert.True(File.Exists(temp.Combine("Booster.1.2.3.amd64.submission.signed.zip")));
    }
}
