using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using WdkDriver.Core.Identity;
using WdkDriver.Core.Release;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Cli;

/// <summary><c>wdkdriver submit</c>: attestation signing through Partner Center's Hardware API.</summary>
internal static class SubmitCommand
{
    public static Command Create(Reporter reporter)
    {
        var cabinet = new Argument<FileInfo>("file.cab") { Description = "The EV-signed submission cabinet." };
        var tenant = new Option<string>("--tenant") { Description = "The Microsoft Entra tenant (id or domain) of the Partner Center account.", Required = true };
        var clientId = new Option<string>("--client-id") { Description = "The Entra application's client id.", Required = true };
        var secretVariable = new Option<string?>("--secret-env") { Description = "The environment variable holding the client secret." };
        var federated = new Option<FileInfo?>("--federated-token-file") { Description = "A federated token (GitHub Actions, Azure Pipelines workload identity) to sign in with instead of a secret." };
        var productName = new Option<string?>("--product-name") { Description = "The product's name in Partner Center; default: the cabinet's name." };
        var signatures = new Option<string?>("--signatures") { Description = "Requested signatures (OS codes, comma-separated); default: from the INFs' architectures." };
        var wait = new Option<bool>("--wait") { Description = "Wait for Microsoft's signature and download the signed package." };
        var timeout = new Option<int>("--timeout") { Description = "Minutes to wait at most (with --wait).", DefaultValueFactory = _ => 60 };
        var poll = new Option<int>("--poll") { Description = "Seconds between reads of the submission (with --wait).", DefaultValueFactory = _ => 30 };
        var state = new Option<FileInfo?>("--state") { Description = "The state file a rerun resumes from; default: <file.cab>.submission.json." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where the signed package goes; default: <file>.signed.zip." };
        var apiUrl = new Option<string?>("--api-url") { Description = $"The Hardware API's address; default {HardwareApi.DefaultAddress}." };
        var authority = new Option<string?>("--authority") { Description = "The Entra ID authority; default https://login.microsoftonline.com/." };
        var trusted = new Option<FileInfo[]>("--trusted-cert") { Description = "Microsoft's root certificate (.cer) where the system has none (Linux); still held to the pinned thumbprints." };
        var pinned = new Option<FileInfo[]>("--pinned-root") { Description = "A root (.cer) to pin instead of Microsoft's: a stand-in's test authority, another cloud's root." };
        var command = new Command("submit", "Submits an EV-signed submission cabinet to Partner Center for attestation signing; resumes from its state file.")
        {
            cabinet, tenant, clientId, secretVariable, federated, productName, signatures, wait, timeout, poll, state, output, apiUrl, authority, trusted, pinned,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(reporter.Run(() =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            var request = SubmissionRequest.For(
                parse.GetValue(cabinet)!.FullName,
                parse.GetValue(state)?.FullName,
                parse.GetValue(productName),
                parse.GetValue(signatures),
                parse.GetValue(output)?.FullName,
                parse.GetValue(wait),
                TimeSpan.FromSeconds(parse.GetValue(poll)),
                TimeSpan.FromMinutes(parse.GetValue(timeout)),
                MicrosoftRoots.Trust(Certificates(parse.GetValue(trusted)), Certificates(parse.GetValue(pinned))));
            var token = EntraToken.For(
                http,
                HardwareApi.Address(parse.GetValue(authority), "https://login.microsoftonline.com/", "--authority"),
                parse.GetValue(tenant)!,
                parse.GetValue(clientId)!,
                parse.GetValue(secretVariable),
                parse.GetValue(federated)?.FullName,
                "--secret-env and --federated-token-file");
            var submitter = new AttestationSubmitter(new HardwareApi(http, HardwareApi.Address(parse.GetValue(apiUrl), HardwareApi.DefaultAddress.AbsoluteUri, "--api-url"), token), http, line => reporter.Output.WriteLine(line));
            string? signed;
            try
            {
                signed = submitter.RunAsync(request, cancellation).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                // The state file is written whole before each step: the next run goes on from the last one done.
                reporter.Output.WriteLine($"Cancelled. Run the same command again to go on with this submission (state in {request.StatePath}).");
                return ExitCodes.Failure;
            }

            if (signed is not null)
            {
                reporter.Output.WriteLine(signed);
            }

            return ExitCodes.Success;
        })));
        return command;
    }

    private static IReadOnlyList<X509Certificate2> Certificates(FileInfo[]? files) =>
        CertificateFile.LoadAll((files ?? Array.Empty<FileInfo>()).Select(f => f.FullName));
}
