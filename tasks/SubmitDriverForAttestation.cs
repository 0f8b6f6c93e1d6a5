using System;
using System.Collections.Generic;
using System.Net.Http;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using WdkDriver.Core.Identity;
using WdkDriver.Core.Release;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

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
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var token = EntraToken.For(
            http, HardwareApi.Address(Authority, "https://login.microsoftonline.com/", "PartnerCenterAuthority"), Tenant, ClientId, SecretVariable, FederatedTokenFile,
            "PartnerCenterSecretVariable and PartnerCenterFederatedTokenFile");
        var api = new HardwareApi(http, HardwareApi.Address(ApiUrl, HardwareApi.DefaultAddress.AbsoluteUri, "PartnerCenterApiUrl"), token);
        var submitter = new AttestationSubmitter(api, http, line => Log.LogMessage(MessageImportance.High, line));
        var trust = MicrosoftRoots.Trust(Certificates(TrustedCertificates), Certificates(PinnedRoots));
        var signed = new List<ITaskItem>();
        foreach (var cabinet in Cabinets)
        {
            var request = SubmissionRequest.For(
                cabinet.GetMetadata("FullPath"), null, null, Signatures, null, wait: true, TimeSpan.FromSeconds(PollSeconds), TimeSpan.FromMinutes(TimeoutMinutes), trust);
            var package = submitter.RunAsync(request, Cancellation).GetAwaiter().GetResult()!;
            signed.Add(new TaskItem(package, new Dictionary<string, string> { ["Architecture"] = cabinet.GetMetadata("Architecture") }));
        }

        SignedPackages = signed.ToArray();
    }
}
