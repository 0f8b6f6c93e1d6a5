using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Release;
using WdkDriver.Core.Signing;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Submits each signed submission cabinet to Partner Center for attestation signing and, waiting, brings back
/// Microsoft's package, verified, as <c>&lt;cab&gt;.signed.zip</c>; each cabinet resumes from its own
/// <c>&lt;cab&gt;.submission.json</c>. (.NET's MSBuild only: Visual Studio's runs the wdkdriver command instead.)
/// </summary>
public sealed class SubmitDriverForAttestation : WdkTask
{
    [Required]
    public ITaskItem[] Cabinets { get; set; } = new ITaskItem[0];

    [Required]
    public string Tenant { get; set; } = string.Empty;

    [Required]
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The environment variable holding the client secret (or FederatedTokenFile).</summary>
    public string? SecretVariable { get; set; }

    public string? FederatedTokenFile { get; set; }

    /// <summary>Requested signatures, separated by commas or semicolons; empty: from the INFs' architectures.</summary>
    public string? Signatures { get; set; }

    public string? ApiUrl { get; set; }

    public string? Authority { get; set; }

    public int TimeoutMinutes { get; set; } = 60;

    public int PollSeconds { get; set; } = 30;

    /// <summary>Microsoft's root where the system has none (still held to the pinned thumbprints).</summary>
    public ITaskItem[] TrustedCertificates { get; set; } = new ITaskItem[0];

    /// <summary>Roots to pin instead of Microsoft's (a stand-in's test authority, another cloud's).</summary>
    public ITaskItem[] PinnedRoots { get; set; } = new ITaskItem[0];

    [Output]
    public ITaskItem[] SignedPackages { get; private set; } = new ITaskItem[0];

    protected override void ExecuteCore()
    {
        if (string.IsNullOrEmpty(SecretVariable) == string.IsNullOrEmpty(FederatedTokenFile))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SubmissionSetupInvalid, "Set exactly one of PartnerCenterSecretVariable and PartnerCenterFederatedTokenFile."));
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var authority = HardwareApi.Address(Authority, "https://login.microsoftonline.com/", "PartnerCenterAuthority");
        var token = string.IsNullOrEmpty(SecretVariable)
            ? EntraToken.WithFederatedToken(http, authority, Tenant, ClientId, FederatedTokenFile!)
            : EntraToken.WithSecret(http, authority, Tenant, ClientId, SecretVariable!);
        var api = new HardwareApi(http, HardwareApi.Address(ApiUrl, HardwareApi.DefaultAddress.AbsoluteUri, "PartnerCenterApiUrl"), token);
        var submitter = new AttestationSubmitter(api, http, line => Log.LogMessage(MessageImportance.High, line));
        var trust = MicrosoftRoots.Trust(
            TrustedCertificates.Select(c => new X509Certificate2(File.ReadAllBytes(c.GetMetadata("FullPath")))),
            PinnedRoots.Select(r => new X509Certificate2(File.ReadAllBytes(r.GetMetadata("FullPath")))).ToList());
        var signed = new List<ITaskItem>();
        foreach (var cabinet in Cabinets)
        {
            var path = cabinet.GetMetadata("FullPath");
            var name = Path.GetFileName(path);
            var request = new SubmissionRequest(
                path,
                path + ".submission.json",
                name.EndsWith(".submission.cab", StringComparison.OrdinalIgnoreCase) ? name.Substring(0, name.Length - ".submission.cab".Length) : Path.GetFileNameWithoutExtension(name),
                string.IsNullOrWhiteSpace(Signatures) ? RequestedSignatures.For(path) : Signatures!.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).ToList(),
                Path.ChangeExtension(path, ".signed.zip"),
                Wait: true,
                TimeSpan.FromSeconds(PollSeconds),
                TimeSpan.FromMinutes(TimeoutMinutes),
                trust);
            var package = submitter.RunAsync(request, Cancellation).GetAwaiter().GetResult()!;
            signed.Add(new TaskItem(package, new Dictionary<string, string> { ["Architecture"] = cabinet.GetMetadata("Architecture") }));
        }

        SignedPackages = signed.ToArray();
    }
}
