using System;
using System.Collections.Generic;
using System.Linq;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Catalogs;

/// <summary>
/// One inf2cat <c>/os:</c> id: the architecture whose files it covers, the NT version that goes into each member's
/// <c>OSAttr</c> (<c>2:10.0</c>) and the token that goes into the catalog's <c>OS</c> attribute (<c>_v100_X64</c>).
/// </summary>
public sealed record OsTarget(string Id, string Architecture, string NtVersion, string Token)
{
    private static readonly IReadOnlyList<OsTarget> Known = Build();

    public bool IsWindows10OrLater => NtVersion == "10.0";

    public static IReadOnlyList<string> KnownIds => Known.Select(t => t.Id).ToList();

    /// <summary>The targets a catalog's OS attribute names, by their tokens (unknown tokens are left out).</summary>
    public static IReadOnlyList<OsTarget> FromTokens(string osAttribute) =>
        osAttribute.Split(',').Select(token => Known.FirstOrDefault(t => t.Token.Equals(token.Trim(), StringComparison.OrdinalIgnoreCase)))
            .Where(t => t is not null).Select(t => t!).ToList();

    /// <summary>Parses a comma- or semicolon-separated list, keeping its order; ids are case-insensitive.</summary>
    public static IReadOnlyList<OsTarget> ParseList(string list)
    {
        var ids = list.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries).Select(id => id.Trim()).Where(id => id.Length > 0).ToList();
        if (ids.Count == 0)
        {
            throw Unknown("(empty)");
        }

        return ids.Select(id => Known.FirstOrDefault(t => t.Id.Equals(id, StringComparison.OrdinalIgnoreCase)) ?? throw Unknown(id)).ToList();
    }

    private static WdkException Unknown(string id) => new(Diagnostic.Error(
        ErrorCodes.OsIdUnknown,
        $"'{id}' is not an inf2cat OS id. Valid ids: {string.Join(", ", Known.Select(t => t.Id))}."));

    private static List<OsTarget> Build()
    {
        var targets = new List<OsTarget>
        {
            new("XP_X86", "x86", "5.1", "XPX86"), new("XP_X64", "amd64", "5.2", "XPX64"),
            new("Server2003_X86", "x86", "5.2", "Server2003X86"), new("Server2003_X64", "amd64", "5.2", "Server2003X64"),
            new("Vista_X86", "x86", "6.0", "VistaX86"), new("Vista_X64", "amd64", "6.0", "VistaX64"),
            new("Server2008_X86", "x86", "6.0", "Server2008X86"), new("Server2008_X64", "amd64", "6.0", "Server2008X64"),
            new("7_X86", "x86", "6.1", "7X86"), new("7_X64", "amd64", "6.1", "7X64"), new("Server2008R2_X64", "amd64", "6.1", "Server2008R2X64"),
            new("8_X86", "x86", "6.2", "8X86"), new("8_X64", "amd64", "6.2", "8X64"), new("Server8_X64", "amd64", "6.2", "Server2012X64"),
            new("6_3_X86", "x86", "6.3", "_v63"), new("6_3_X64", "amd64", "6.3", "_v63_X64"), new("Server6_3_X64", "amd64", "6.3", "_v63_Server_X64"),
            new("10_X86", "x86", "10.0", "_v100"), new("10_X64", "amd64", "10.0", "_v100_X64"),
            new("Server10_X64", "amd64", "10.0", "Server_v100_X64"), new("Server10_ARM64", "arm64", "10.0", "Server_v100_ARM64"),
            new("SERVER2016_X64", "amd64", "10.0", "Server_v100_X64_RS1"),
        };

        // Windows 10 and 11 releases: [Server]_v100[_X64|_ARM64]_<release>, as inf2cat and the hardware portal write them.
        foreach (var (release, suffix, architectures) in new[]
        {
            ("AU", "RS1", "X86,X64"), ("RS2", "RS2", "X86,X64"), ("RS3", "RS3", "X86,X64,ARM64"), ("RS4", "RS4", "X86,X64,ARM64"),
            ("RS5", "RS5", "X86,X64,ARM64"), ("19H1", "19H1", "X86,X64,ARM64"), ("VB", "Vb", "X86,X64,ARM64"),
            ("CO", "21H2", "X64,ARM64"), ("NI", "22H2", "X64,ARM64"), ("GE", "24H2", "X64,ARM64"), ("25H2", "25H2", "X64,ARM64"),
        })
        {
            foreach (var architecture in architectures.Split(','))
            {
                targets.Add(new OsTarget($"10_{release}_{architecture}", ArchitectureOf(architecture), "10.0", $"_v100{TokenArchitecture(architecture)}_{suffix}"));
            }
        }

        foreach (var (server, suffix) in new[] { ("ServerRS5", "RS5"), ("ServerFE", "21H2"), ("Server2025", "24H2") })
        {
            targets.Add(new OsTarget($"{server}_X64", "amd64", "10.0", $"Server_v100_X64_{suffix}"));
            targets.Add(new OsTarget($"{server}_ARM64", "arm64", "10.0", $"Server_v100_ARM64_{suffix}"));
        }

        return targets;
    }

    private static string ArchitectureOf(string name) => name switch { "X86" => "x86", "X64" => "amd64", _ => "arm64" };

    private static string TokenArchitecture(string name) => name == "X86" ? string.Empty : "_" + name;
}
