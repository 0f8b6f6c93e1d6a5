using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;

namespace WdkDriver.Core.Release;

/// <summary>
/// The signatures a submission requests: Partner Center wants them to match the INF's architecture decorations, so
/// they follow from the decorations (NTamd64, NTarm64, NTx86) of the models and [DefaultInstall] sections of the INFs
/// in the cabinet, each architecture with every Windows 10 and 11 release that attestation documents. Server codes
/// are never requested: attestation does not cover Server 2016+.
/// </summary>
public static class RequestedSignatures
{
    private static readonly Dictionary<string, string[]> Codes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["amd64"] = new[] { "TH1", "TH2", "RS1", "RS2", "RS3", "RS4", "RS5", "19H1", "VB", "CO", "NI", "GE" }.Select(r => $"WINDOWS_v100_X64_{r}_FULL").ToArray(),
        ["arm64"] = new[] { "RS3", "RS4", "19H1", "VB", "CO", "NI", "GE" }.Select(r => $"WINDOWS_v100_ARM64_{r}_FULL").ToArray(),
        ["x86"] = new[] { "RS3", "RS4", "RS5", "19H1", "VB" }.Select(r => $"WINDOWS_v100_{r}_FULL").ToArray(),
    };

    private static readonly Regex Architecture = new(@"^NT(amd64|arm64|x86)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The codes for the architectures the cabinet's INFs decorate their models and [DefaultInstall] sections with.</summary>
    public static IReadOnlyList<string> For(string cabinet)
    {
        IReadOnlyDictionary<string, byte[]> infs;
        using (var reader = Cabinet.Open(cabinet))
        {
            infs = reader.ReadEntries(e => e.Name.EndsWith(".inf", StringComparison.OrdinalIgnoreCase));
        }

        var architectures = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, bytes) in infs)
        {
            var inf = InfDocument.FromBytes(name, bytes);
            var decorations = inf.FindSections("Manufacturer").SelectMany(s => s.Entries).SelectMany(e => e.Values.Skip(1))
                .Concat(inf.Sections.Where(s => s.Name.StartsWith("DefaultInstall.", StringComparison.OrdinalIgnoreCase)).Select(s => s.Name.Substring("DefaultInstall.".Length)));
            foreach (var match in decorations.Select(d => Architecture.Match(d.Trim())).Where(m => m.Success))
            {
                architectures.Add(match.Groups[1].Value.ToLowerInvariant());
            }
        }

        if (architectures.Count == 0)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SubmissionSetupInvalid, "No INF in the cabinet decorates its models or [DefaultInstall] with an architecture (NTamd64, NTarm64, NTx86) to request signatures for: give them with --signatures.", cabinet));
        }

        return architectures.SelectMany(a => Codes[a]).ToList();
    }
}
