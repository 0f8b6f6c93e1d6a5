using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Storage.Blobs.Specialized;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;
using WdkDriver.Core.Packaging;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Release;

/// <summary>What to submit and how long to wait.</summary>
public sealed record SubmissionRequest(
    string Cabinet,
    string StatePath,
    string ProductName,
    IReadOnlyList<string> Signatures,
    string SignedPackage,
    bool Wait,
    TimeSpan PollInterval,
    TimeSpan Timeout,
    TrustOptions Verification)
{
    /// <summary>
    /// A request with the defaults the command and the SDK share: the state beside the cabinet
    /// (<c>&lt;cab&gt;.submission.json</c>), the product named after the cabinet (without <c>.submission.cab</c>),
    /// the signatures the INFs' architectures call for unless given (separated by commas or semicolons), and the
    /// signed package as <c>&lt;cab without .cab&gt;.signed.zip</c>.
    /// </summary>
    public static SubmissionRequest For(
        string cabinet, string? statePath, string? productName, string? signatures, string? signedPackage, bool wait, TimeSpan pollInterval, TimeSpan timeout, TrustOptions verification)
    {
        if (!File.Exists(cabinet))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SubmissionSetupInvalid, "No such cabinet.", cabinet));
        }

        var name = Path.GetFileName(cabinet);
        return new SubmissionRequest(
            cabinet,
            statePath ?? cabinet + ".submission.json",
            productName ?? (name.EndsWith(".submission.cab", StringComparison.OrdinalIgnoreCase) ? name.Substring(0, name.Length - ".submission.cab".Length) : Path.GetFileNameWithoutExtension(name)),
            string.IsNullOrWhiteSpace(signatures)
                ? RequestedSignatures.For(cabinet)
                : signatures!.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0).ToList(),
            signedPackage ?? Path.ChangeExtension(cabinet, ".signed.zip"),
            wait,
            pollInterval,
            timeout,
            verification);
    }
}

/// <summary>
/// Attestation signing from start to end: the product and its submission (each created once, their ids saved before
/// the next step), the cabinet uploaded to the submission's address, the commit, then, when asked to wait, one
/// progress line per change of step or state until Microsoft's package is ready, its download and its verification.
/// </summary>
public sealed class AttestationSubmitter
{
    private readonly HardwareApi api;
    private readonly HttpClient http;
    private readonly Action<string> progress;
    private readonly Func<TimeSpan, CancellationToken, Task> delay;

    public AttestationSubmitter(HardwareApi api, HttpClient http, Action<string> progress, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        this.api = api;
        this.http = http;
        this.progress = progress;
        this.delay = delay ?? Task.Delay;
    }

    /// <summary>Runs what is left of the submission; returns the downloaded package's path when it waited for one.</summary>
    public async Task<string?> RunAsync(SubmissionRequest request, CancellationToken cancellation)
    {
        var state = SubmissionState.Load(request.StatePath, Sha256(request.Cabinet));
        if (state.ProductId is null)
        {
            progress($"Creating the product '{request.ProductName}' for {string.Join(", ", request.Signatures)}");
            state = state with { ProductId = await api.CreateProductAsync(request.ProductName, request.Signatures, cancellation).ConfigureAwait(false) };
            state.Save(request.StatePath);
        }

        if (state.SubmissionId is null)
        {
            progress($"Creating the submission of product {state.ProductId}");
            state = state with { SubmissionId = await api.CreateSubmissionAsync(state.ProductId, request.ProductName, cancellation).ConfigureAwait(false) };
            state.Save(request.StatePath);
        }

        if (!state.Uploaded)
        {
            // The create answer may lack the upload address; the submission read back has it.
            var submission = await api.GetSubmissionAsync(state.ProductId, state.SubmissionId, cancellation).ConfigureAwait(false);
            if (!submission.Downloads.TryGetValue("initialPackage", out var upload))
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.HardwareApiFailed, $"Submission {state.SubmissionId} has no upload address (initialPackage)."));
            }

            progress($"Uploading {Path.GetFileName(request.Cabinet)} ({new FileInfo(request.Cabinet).Length} bytes) to submission {state.SubmissionId}");
            await UploadAsync(upload, request.Cabinet, cancellation).ConfigureAwait(false);
            state = state with { Uploaded = true };
            state.Save(request.StatePath);
        }

        if (!state.Committed)
        {
            progress($"Committing submission {state.SubmissionId}");
            await api.CommitAsync(state.ProductId, state.SubmissionId, cancellation).ConfigureAwait(false);
            state = state with { Committed = true };
            state.Save(request.StatePath);
        }

        if (!request.Wait)
        {
            progress($"Submitted: product {state.ProductId}, submission {state.SubmissionId}");
            return null;
        }

        var signed = await WaitAsync(request, state, cancellation).ConfigureAwait(false);
        var destination = request.SignedPackage;
        progress($"Downloading Microsoft's signed package to {destination}");
        await DownloadAsync(signed, destination, cancellation).ConfigureAwait(false);

        // Nothing that does not carry Microsoft's driver signature is left where a release would take it from.
        var unpacked = Path.Combine(Path.GetTempPath(), "wdkdriver-signed-" + Guid.NewGuid().ToString("N"));
        try
        {
            AttestedPackage.Check(destination, unpacked, request.Verification);
        }
        catch (WdkException e)
        {
            File.Delete(destination);
            throw new WdkException(e.Diagnostic with { Message = $"Submission {state.SubmissionId}: {e.Diagnostic.Message} The package was not kept.", File = request.Cabinet }, e);
        }
        finally
        {
            if (Directory.Exists(unpacked))
            {
                Directory.Delete(unpacked, recursive: true);
            }
        }

        progress($"Verified: {destination} carries Microsoft's driver signature");
        return destination;
    }

    private async Task<Uri> WaitAsync(SubmissionRequest request, SubmissionState state, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        string? last = null;
        while (true)
        {
            var submission = await api.GetSubmissionAsync(state.ProductId!, state.SubmissionId!, cancellation).ConfigureAwait(false);
            var now = $"{submission.Step ?? "-"}, {submission.State ?? "-"}";
            if (now != last)
            {
                progress($"Submission {state.SubmissionId}: {now} (commit {submission.CommitStatus}, {clock.Elapsed.TotalMinutes:0.0} min)");
                last = now;
            }

            if (string.Equals(submission.State, "failed", StringComparison.OrdinalIgnoreCase) || string.Equals(submission.CommitStatus, "commitFailed", StringComparison.OrdinalIgnoreCase))
            {
                var report = submission.ErrorReport is { } address ? await ReportAsync(address, cancellation).ConfigureAwait(false) : null;
                throw new WdkException(Diagnostic.Error(
                    ErrorCodes.SubmissionFailed,
                    $"Partner Center failed submission {state.SubmissionId} at {submission.Step ?? "commit"}: {(submission.Messages.Count > 0 ? string.Join(" ", submission.Messages) : "no message")}{(report is null ? string.Empty : " Error report: " + report)}",
                    request.Cabinet));
            }

            if (string.Equals(submission.State, "completed", StringComparison.OrdinalIgnoreCase) && submission.Downloads.TryGetValue("signedPackage", out var signed))
            {
                return signed;
            }

            if (clock.Elapsed >= request.Timeout)
            {
                throw new WdkException(Diagnostic.Error(
                    ErrorCodes.SubmissionTimedOut,
                    $"Submission {state.SubmissionId} is still at {now} after {request.Timeout.TotalMinutes:0} minutes. Run the same command again later: it goes on with this submission (state in {request.StatePath}).",
                    request.Cabinet));
            }

            await delay(request.PollInterval, cancellation).ConfigureAwait(false);
        }
    }

    private static async Task UploadAsync(Uri address, string cabinet, CancellationToken cancellation)
    {
        try
        {
            using var stream = File.OpenRead(cabinet);
            await new BlockBlobClient(address).UploadAsync(stream, cancellationToken: cancellation).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            // The address is a credential: the message names the status and the storage error code, not the address.
            throw new WdkException(Diagnostic.Error(ErrorCodes.UploadFailed, $"The upload of the cabinet was refused ({e.Status}, {e.ErrorCode}). Run the same command again: it resumes with a fresh upload address.", cabinet), e);
        }
    }

    private async Task DownloadAsync(Uri address, string destination, CancellationToken cancellation)
    {
        using var response = await http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.HardwareApiFailed, $"The download of Microsoft's signed package failed ({(int)response.StatusCode})."));
        }

        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        AtomicFile.Write(destination, bytes, ErrorCodes.HardwareApiFailed);
    }

    private async Task<string?> ReportAsync(string address, CancellationToken cancellation)
    {
        try
        {
            var text = await http.GetStringAsync(new Uri(address), cancellation).ConfigureAwait(false);
            return string.Join(" ", text.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim())).Trim();
        }
        catch (Exception e) when (e is HttpRequestException or UriFormatException or TaskCanceledException)
        {
            return null;
        }
    }

    private static string Sha256(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var sha = SHA256.Create();
            return string.Concat(sha.ComputeHash(stream).Select(b => b.ToString("X2")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SubmissionSetupInvalid, $"Cannot read the cabinet to submit: {e.Message}", path), e);
        }
    }
}
