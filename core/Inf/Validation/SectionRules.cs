using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>
/// Walks the INF from the sections Windows reads by name ([Manufacturer], [DefaultInstall], ...) through models,
/// install sections and their directives: every section referred to must exist, every section should be reached,
/// no section may be defined twice, and model decorations must be valid TargetOSVersions.
/// </summary>
internal static class SectionRules
{
    private static readonly string[] SectionDirectives =
    {
        "CopyFiles", "AddReg", "DelReg", "DelFiles", "RenFiles", "BitReg", "AddProperty", "DelProperty", "AddPowerSetting",
        "UpdateInis", "UpdateIniFields", "Ini2Reg", "ProfileItems", "RegisterDlls", "UnregisterDlls", "AddTrigger",
    };

    private static readonly string[] Roots =
    {
        "Version", "Manufacturer", "SourceDisksNames", "SourceDisksFiles", "DestinationDirs", "ControlFlags",
        "SignatureAttributes", "DefaultInstall", "DefaultUninstall", "ClassInstall32", "Strings", "PackageInfo",
    };

    /// <summary>Directives whose value at Index names a section with directives of its own.</summary>
    private static readonly (string Directive, int Index)[] InstallReferences =
    {
        ("AddService", 2), ("AddService", 3), ("AddInterface", 2), ("KmdfService", 1), ("UmdfService", 1),
        ("AddComponent", 2), ("AddSoftware", 2), ("AddEventProvider", 1), ("AddFilter", 2),
    };

    public static void Check(InfCheck check)
    {
        foreach (var group in check.Document.Sections.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            foreach (var repeat in group.Skip(1))
            {
                check.Report(1209, $"Section [{repeat.Name}] is defined multiple times (first on line {group.First().Line}).", repeat.Line, repeat.Column);
            }
        }

        foreach (var manufacturer in check.Named("Manufacturer").SelectMany(s => s.Entries))
        {
            CheckManufacturer(check, manufacturer);
        }

        foreach (var root in check.Document.Sections.Where(s => IsInstallRoot(s.Name)))
        {
            WalkInstall(check, root);
        }
    }

    public static void CheckUnreferenced(InfCheck check)
    {
        foreach (var section in check.Document.Sections.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Select(g => g.First()))
        {
            if (!IsRoot(section.Name) && !check.Reached.Contains(section.Name))
            {
                check.Report(2083, $"Section [{section.Name}] not referenced or used.", section.Line, section.Column);
            }
        }
    }

    private static void CheckManufacturer(InfCheck check, InfEntry entry)
    {
        if (entry.Values.Count == 0 || entry.Value.Length == 0)
        {
            check.Report(1011, "Missing models section name in [Manufacturer] section.", entry);
            return;
        }

        var decorations = entry.Values.Skip(1).Where(d => d.Length > 0).ToList();
        if (!decorations.Any(d => Regex.IsMatch(d, @"^NT(\$ARCH\$|x86|amd64|arm|arm64|ia64)", RegexOptions.IgnoreCase)))
        {
            check.Report(2010, $"Section [{entry.Value}] should have a '.NT<architecture>' decoration, such as NT$ARCH$.10.0...16299.", entry);
        }

        foreach (var decoration in decorations)
        {
            CheckDecoration(check, entry, decoration);
        }

        var models = decorations.Count == 0 ? new[] { entry.Value } : decorations.Select(d => entry.Value + "." + d).ToArray();
        check.Reached.Add(entry.Value);
        foreach (var name in models)
        {
            var sections = check.Named(name).ToList();
            if (sections.Count == 0)
            {
                check.Report(1203, $"Section [{name}] not found.", entry);
                continue;
            }

            check.Reached.Add(name);
            foreach (var model in sections.SelectMany(s => s.Entries))
            {
                if (model.Values.Count == 0 || model.Value.Length == 0)
                {
                    check.Report(1271, "Missing model install section name.", model);
                    continue;
                }

                var install = check.Decorated(model.Value);
                if (install.Count == 0)
                {
                    check.Report(1203, $"Section [{model.Value}] not found.", model);
                }

                foreach (var section in install)
                {
                    WalkInstall(check, section);
                }
            }
        }
    }

    private static void CheckDecoration(InfCheck check, InfEntry entry, string decoration)
    {
        var version = TargetOsVersion.Parse(decoration);
        if (version is null)
        {
            check.Report(1287, $"Invalid target OS version decoration '{decoration}' for model section name '{entry.Value}' under [Manufacturer] section.", entry);
            return;
        }

        if (version.Major == 10 && version.Build > 0 && version.Build < 14310)
        {
            check.Report(1288, $"Invalid target OS version '10.0.{version.Build}': with a build number it must be 10.0.14310 or later.", entry);
        }
    }

    /// <summary>Marks an install section, its directives' sections and its companion sections as reached.</summary>
    private static void WalkInstall(InfCheck check, InfSection install)
    {
        check.Reached.Add(install.Name);
        if (!check.Walked.Add(install))
        {
            return;
        }

        WalkDirectives(check, install);
        foreach (var companionName in InfCheck.Companions(install.Name))
        {
            foreach (var companion in check.Named(companionName))
            {
                WalkInstall(check, companion);
            }
        }
    }

    private static void WalkDirectives(InfCheck check, InfSection section)
    {
        foreach (var (entry, name, install) in References(check, section))
        {
            Require(check, entry, name, walk: install);
        }
    }

    /// <summary>
    /// The section names an install section's directives give: <c>Install</c> is true for those that have directives
    /// of their own (service, interface and component install sections, local <c>Needs</c>), false for lists
    /// (<c>AddReg</c>, <c>CopyFiles</c>, ...).
    /// </summary>
    public static IEnumerable<(InfEntry Entry, string Name, bool Install)> References(InfCheck check, InfSection section)
    {
        foreach (var (directive, index) in InstallReferences)
        {
            foreach (var entry in section.Find(directive).Where(e => e.Values.Count > index && e.Values[index].Length > 0))
            {
                yield return (entry, entry.Values[index], true);
            }
        }

        var includes = section.Find("Include").Any();
        foreach (var entry in section.Entries.Where(e => e.Key is not null))
        {
            if (SectionDirectives.Any(entry.KeyIs))
            {
                foreach (var name in entry.Values.Where(v => v.Length > 0 && !(entry.KeyIs("CopyFiles") && v.StartsWith("@", StringComparison.Ordinal))))
                {
                    yield return (entry, name, false);
                }
            }
            else if (entry.KeyIs("Needs"))
            {
                // Needed sections usually live in the included system INF; only local ones are checked.
                foreach (var name in entry.Values.Where(v => v.Length > 0 && (check.Has(v) || !includes)))
                {
                    yield return (entry, name, true);
                }
            }
        }
    }

    private static void Require(InfCheck check, InfEntry entry, string name, bool walk)
    {
        var sections = check.Named(name).ToList();
        if (sections.Count == 0)
        {
            check.Report(1203, $"Section [{name}] not found.", entry);
            return;
        }

        foreach (var section in sections)
        {
            if (walk)
            {
                WalkInstall(check, section);
            }
            else
            {
                check.Reached.Add(section.Name);
            }
        }
    }

    public static bool IsInstallRoot(string name) =>
        new[] { "DefaultInstall", "DefaultUninstall", "ClassInstall32" }.Any(root =>
            (name.Equals(root, StringComparison.OrdinalIgnoreCase) || name.StartsWith(root + ".NT", StringComparison.OrdinalIgnoreCase))
            && !InfCheck.Companions(root).Any(c => name.EndsWith(c.Substring(root.Length), StringComparison.OrdinalIgnoreCase)));

    private static bool IsRoot(string name) =>
        Roots.Any(root => name.Equals(root, StringComparison.OrdinalIgnoreCase) || name.StartsWith(root + ".", StringComparison.OrdinalIgnoreCase));
}
