using System;
using System.Linq;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>Registry writes: a known root, and in Windows Driver and WHQL modes only under HKR.</summary>
internal static class RegistryRules
{
    private static readonly string[] Roots = { "HKR", "HKLM", "HKCU", "HKCR", "HKU" };

    public static void Check(InfCheck check)
    {
        var addRegSections = check.Document.Sections.Where(s => check.Reached.Contains(s.Name))
            .SelectMany(s => s.Find("AddReg"))
            .SelectMany(e => e.Values.Where(v => v.Length > 0))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .SelectMany(check.Named);

        foreach (var entry in addRegSections.SelectMany(s => s.Entries).Where(e => e.Key is null && e.Values.Count > 0))
        {
            var root = check.Resolve(entry.Value).Trim();
            if (!Roots.Contains(root, StringComparer.OrdinalIgnoreCase))
            {
                check.Report(1224, $"Invalid registry root \"{root}\": use HKR, HKLM, HKCU, HKCR or HKU.", entry);
            }
            else if (!root.Equals("HKR", StringComparison.OrdinalIgnoreCase))
            {
                var subkey = entry.Values.Count > 1 ? entry.Values[1] : string.Empty;
                check.Report(1320, $"Registry root '{root}\\{subkey}' is not isolated to HKR.", entry);
            }
        }
    }
}
