using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using WdkDriver.Core.Packaging;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Puts the driver packages Microsoft signed in place of the ones built, in the tree that dotnet pack ships: each
/// attested zip (with its <c>Architecture</c>) replaces <c>driver/&lt;arch&gt;/</c> once its INFs are found identical
/// to the built ones and it carries Microsoft's driver signature; the test certificate goes.
/// </summary>
public sealed class UseAttestedDriverPackages : WdkTask
{
    /// <summary>The package tree, each file with its <c>PackagePath</c>.</summary>
    [Required]
    public ITaskItem[] PackFiles { get; set; } = new ITaskItem[0];

    [Required]
    public ITaskItem[] AttestedPackages { get; set; } = new ITaskItem[0];

    /// <summary>Where the attested packages are unpacked, one folder per architecture.</summary>
    [Required]
    public string IntermediateDirectory { get; set; } = string.Empty;

    /// <summary>Microsoft's root where the system has none (still held to the pinned thumbprints).</summary>
    public ITaskItem[] TrustedCertificates { get; set; } = new ITaskItem[0];

    /// <summary>Roots to pin instead of Microsoft's (another cloud's; the tests' stand-in).</summary>
    public ITaskItem[] PinnedRoots { get; set; } = new ITaskItem[0];

    [Output]
    public ITaskItem[] Files { get; private set; } = new ITaskItem[0];

    protected override void ExecuteCore()
    {
        var trust = MicrosoftRoots.Trust(Certificates(TrustedCertificates), Certificates(PinnedRoots));
        var files = PackFiles.ToList();
        foreach (var attested in AttestedPackages)
        {
            var architecture = attested.GetMetadata("Architecture");
            var prefix = $"driver/{architecture}/";
            bool InDriverFolder(ITaskItem item) => Path(item).StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
            var builtInfs = files.Where(f => InDriverFolder(f) && Path(f).EndsWith(".inf", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(f => Path(f).Substring(prefix.Length), f => f.GetMetadata("FullPath"), StringComparer.OrdinalIgnoreCase);
            var taken = AttestedPackage.Take(attested.GetMetadata("FullPath"), architecture, System.IO.Path.Combine(IntermediateDirectory, architecture), builtInfs, trust);
            files.RemoveAll(InDriverFolder);
            files.AddRange(taken.Select(t => (ITaskItem)new TaskItem(t.Source, new Dictionary<string, string> { ["PackagePath"] = t.PackagePath })));
            Log.LogMessage(MessageImportance.High, $"Packing Microsoft's {architecture} driver package from {attested.ItemSpec}");
        }

        // A package Microsoft signed is not trusted through a test certificate.
        files.RemoveAll(f => string.Equals(Path(f), "WdkDriverTestCert.cer", StringComparison.OrdinalIgnoreCase));
        Files = files.ToArray();
    }

    private static string Path(ITaskItem item) => item.GetMetadata("PackagePath").Replace('\\', '/');
}
