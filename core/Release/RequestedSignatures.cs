using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Release;

/// <summary>
/// The signatures a submission requests: Partner Center wants them to match the INF's architecture decorations, so
/// they follow from the INFs in the cabinet (NTamd64, NTarm64, NTx86), each architecture with every Windows 10 and 11
/// release that attestation documents. Server codes are never requested: attestation does not cover Server 2016+.
/// </summary>
public static class RequestedSignatures
{
    private static readonly Dictionary<string, string[]> Codes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["amd64"] = new[] { "TH1", "TH2", "RS1", "RS2", "RS3", "RS4", "RS5", "19H1", "VB", "CO", "NI", "GE" }.Select(r => $"WINDOWS_v100_X64_{r}_FULL").ToArray(),
        ["arm64"] = new[] { "RS3", "RS4", "19H1", "VB", "CO", "NI", "GE" }.Select(r => $"WINDOWS_v100_ARM64_{r}_FULL").ToArray(),
        ["x86"] = new[] { "RS3", "RS4", "RS5", "19H1", "VB" }.Select(r => $"WINDOWS_v100_{r}_FULL").ToArray(),
    };

    private static readonly Regex Decoration = new(@"\bNT(amd64|arm64|x86)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The codes for the architectures the cabinet's INFs decorate.</summary>
    public static IReadOnlyList<string> For(string cabinet)
    {
        var architectures = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        using (var reader = Cabinet.Open(cabinet))
        {
            var extracted = Path.Combine(Path.GetTempPath(), "wdkdriver-infs-" + Guid.NewGuid().ToString("N"));
            try
            {
                reader.ExtractTo(extracted);
                foreach (var inf in Directory.GetFiles(extracted, "*.inf", SearchOption.AllDirectories))
                {
                    foreach (Match match in Decoration.Matches(Text(File.ReadAllBytes(inf))))
                    {
                        architectures.Add(match.Groups[1].Value.ToLowerInvariant());
                    }
                }
            }
            finally
            {
                if (Directory.Exists(extracted))
                {
                    Directory.Delete(extracted, recursive: true);
                }
            }
        }

        if (architectures.Count == 0)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SubmissionSetupInvalid, "No INF in the cabinet names an architecture (NTamd64, NTarm64, NTx86) to request signatures for: give them with --signatures.", cabinet));
        }

        return architectures.SelectMany(a => Codes[a]).ToList();
    }

    /// <summary>An INF's text: UTF-16LE with its byte order mark, else UTF-8 (ASCII).</summary>
    private static string Text(byte[] bytes) =>
        bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE ? Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2) : Encoding.UTF8.GetString(bytes);
}
