using System.Globalization;
using System.Text.RegularExpressions;

namespace WdkDriver.Tests;

/// <summary>
/// What LLVM's tools read from an image and a PDB, the oracle the SDK's own readers are checked against:
/// <c>llvm-readobj</c> for headers and imports, <c>llvm-pdbutil</c> for a PDB's GUID and age, and the keys
/// <c>symstore</c> files them under, computed from those readings.
/// </summary>
internal static class LlvmReading
{
    public static string Run(string tool, params string[] arguments) =>
        ToolProcess.Succeed(Path.GetTempPath(), tool, arguments);

    public static string Match(string text, string pattern)
    {
        var match = Regex.Match(text, pattern);
        Assert.True(match.Success, $"'{pattern}' in:\n{text}");
        return match.Groups[1].Value;
    }

    public static uint Hex(string text, string pattern) => uint.Parse(Match(text, pattern), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>The DLLs an image imports from, as llvm-readobj lists them.</summary>
    public static string[] ImportedDlls(string image) =>
        Regex.Matches(Run("llvm-readobj", "--coff-imports", image), @"Name: (\S+\.\S+)").Select(m => m.Groups[1].Value).Distinct().ToArray();

    /// <summary>The PDB's GUID and age, as llvm-pdbutil reads its info stream.</summary>
    public static (Guid Guid, int Age) PdbIdentity(string pdb)
    {
        var summary = Run("llvm-pdbutil", "dump", "--summary", pdb);
        return (new Guid(Match(summary, @"GUID: (\{[0-9A-F-]+\})")), int.Parse(Match(summary, @"Age: (\d+)"), CultureInfo.InvariantCulture));
    }

    /// <summary><c>symstore</c>'s key for a PDB: its GUID without dashes, then its age in hex.</summary>
    public static string PdbKey(string pdb)
    {
        var (guid, age) = PdbIdentity(pdb);
        return guid.ToString("N").ToUpperInvariant() + age.ToString("X", CultureInfo.InvariantCulture);
    }

    /// <summary><c>symstore</c>'s key for an image: TimeDateStamp in eight hex digits, then SizeOfImage in hex.</summary>
    public static string ImageKey(string image)
    {
        var headers = Run("llvm-readobj", "--file-headers", image);
        return Hex(headers, @"TimeDateStamp: .*\(0x([0-9A-F]+)\)").ToString("X8", CultureInfo.InvariantCulture)
            + uint.Parse(Match(headers, @"SizeOfImage: (\d+)"), CultureInfo.InvariantCulture).ToString("X", CultureInfo.InvariantCulture);
    }
}
