using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>[Version]: signature, class and its GUID, provider, DriverVer, CatalogFile, PnpLockdown, ExtensionId.</summary>
internal static class VersionRules
{
    private static readonly Regex GuidPattern = new(@"^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$");
    private static readonly Regex CatalogPattern = new(@"^[^\\/:*?""<>|]+\.cat$", RegexOptions.IgnoreCase);

    /// <returns>false when there is no valid [Version] and nothing else is worth checking.</returns>
    public static bool Check(InfCheck check)
    {
        var version = check.Document.FindSection("Version");
        var signature = version?.First("Signature");
        if (version is null || signature is null ||
            !(signature.Value.Equals("$Windows NT$", StringComparison.OrdinalIgnoreCase) || signature.Value.Equals("$Chicago$", StringComparison.OrdinalIgnoreCase)))
        {
            check.Report(1001, "Invalid INF: it must have a [Version] section with Signature=\"$Windows NT$\".", signature?.Line ?? version?.Line ?? 0, signature?.Column ?? version?.Column ?? 0);
            return false;
        }

        var entries = check.Named("Version").SelectMany(s => s.Entries).ToList();
        InfEntry? Directive(string key) => entries.FirstOrDefault(e => e.KeyIs(key));

        var className = Directive("Class");
        var classGuid = Directive("ClassGuid");
        var isExtension = className is not null && check.Resolve(className.Value).Equals("Extension", StringComparison.OrdinalIgnoreCase);
        RequireNonEmpty(check, version, className, "Class");
        RequireNonEmpty(check, version, classGuid, "ClassGuid");
        CheckClass(check, className, classGuid);

        var provider = Directive("Provider");
        if (RequireNonEmpty(check, version, provider, "Provider") && check.Resolve(provider!.Value).Trim().Equals("Microsoft", StringComparison.OrdinalIgnoreCase))
        {
            check.Report(1204, "Provider cannot be \"Microsoft\": name the organization that wrote the INF.", provider);
        }

        CheckDriverVer(check, version, Directive("DriverVer"));
        CheckCatalogFiles(check, version, entries);

        var lockdown = Directive("PnpLockdown");
        if (lockdown is null || lockdown.Value.Trim() != "1")
        {
            check.Report(1324, "[Version] should specify PnpLockdown=1 so that other programs cannot change the driver's installed files.", lockdown?.Line ?? version.Line, lockdown?.Column ?? version.Column);
        }

        if (isExtension)
        {
            var extensionId = Directive("ExtensionId");
            if (extensionId is null)
            {
                check.Report(1381, "An extension INF needs an ExtensionId directive in [Version].", version.Line, version.Column);
            }
            else if (!GuidPattern.IsMatch(check.Resolve(extensionId.Value).Trim()))
            {
                check.Report(1380, $"ExtensionId \"{extensionId.Value}\" in [Version] is not a GUID in braces.", extensionId);
            }
        }

        return true;
    }

    private static bool RequireNonEmpty(InfCheck check, InfSection version, InfEntry? entry, string key)
    {
        if (entry is null || check.Resolve(entry.Value).Trim().Length == 0)
        {
            check.Report(1234, $"Required directive {key} missing, empty, or invalid in [Version] section.", entry?.Line ?? version.Line, entry?.Column ?? version.Column);
            return false;
        }

        return true;
    }

    private static void CheckClass(InfCheck check, InfEntry? className, InfEntry? classGuid)
    {
        var name = className is null ? null : check.Resolve(className.Value).Trim();
        Guid? guid = null;
        if (classGuid is not null && classGuid.Value.Trim().Length > 0)
        {
            var text = check.Resolve(classGuid.Value).Trim();
            if (GuidPattern.IsMatch(text))
            {
                guid = Guid.Parse(text);
            }
            else
            {
                check.Report(1010, $"Invalid ClassGuid \"{text}\": write it as {{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}}.", classGuid);
            }
        }

        if (string.Equals(name, "Sample", StringComparison.OrdinalIgnoreCase) || guid == KnownClasses.Sample)
        {
            check.Report(1284, "Class \"Sample\" is reserved for use by Microsoft: choose the setup class of the device (System for a driver without hardware).", className ?? classGuid!);
            return;
        }

        if (!string.IsNullOrEmpty(name) && guid is { } actual)
        {
            if (KnownClasses.GuidOf(name!) is { } expected && expected != actual)
            {
                check.Report(1281, $"Class name and ClassGuid do not match: Class \"{name}\" has ClassGuid \"{{{expected}}}\".", classGuid!);
            }
            else if (KnownClasses.NameOf(actual) is { } owner && !owner.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                check.Report(1280, $"Class name and ClassGuid do not match: ClassGuid \"{{{actual}}}\" belongs to Class \"{owner}\".", className!);
            }
        }

        if (!string.IsNullOrEmpty(name) && KnownClasses.GuidOf(name!) is not null)
        {
            foreach (var classInstall in check.Document.Sections.Where(s => s.Name.StartsWith("ClassInstall32", StringComparison.OrdinalIgnoreCase)))
            {
                check.Report(1285, $"[{classInstall.Name}] installs a class, but \"{name}\" is defined by Windows.", classInstall.Line, classInstall.Column);
            }
        }
    }

    private static void CheckDriverVer(InfCheck check, InfSection version, InfEntry? driverVer)
    {
        if (driverVer is null || driverVer.Values.Count == 0 || driverVer.Value.Length == 0)
        {
            if (!check.Options.StampInf)
            {
                check.Report(1233, "Missing directive DriverVer required for digital signature.", driverVer?.Line ?? version.Line, driverVer?.Column ?? version.Column);
            }

            return;
        }

        var date = check.Resolve(driverVer.Values[0]);
        if (!DriverVer.TryParseDate(date, out var parsed) || parsed.Year < 1980)
        {
            check.Report(1218, $"Invalid driver date value {date} in DriverVer: write MM/DD/YYYY.", driverVer.Line, driverVer.ValueColumn);
        }

        if (driverVer.Values.Count > 1 && DriverVer.TryParseVersion(check.Resolve(driverVer.Values[1])) is null)
        {
            check.Report(1217, $"Invalid version '{driverVer.Values[1]}' in DriverVer: write w.x.y.z, each part from 0 to 65535.", driverVer.Line, driverVer.ValueColumn);
        }
    }

    private static void CheckCatalogFiles(InfCheck check, InfSection version, System.Collections.Generic.List<InfEntry> entries)
    {
        var catalogs = entries.Where(e => e.Key is not null && (e.KeyIs("CatalogFile") || e.Key.StartsWith("CatalogFile.", StringComparison.OrdinalIgnoreCase))).ToList();
        if (catalogs.Count == 0 && !check.Options.StampInf)
        {
            check.Report(1233, "Missing directive CatalogFile required for digital signature.", version.Line, version.Column);
        }

        foreach (var catalog in catalogs.Where(c => !CatalogPattern.IsMatch(check.Resolve(c.Value).Trim())))
        {
            check.Report(1214, $"Invalid catalog file '{catalog.Value}': write a file name ending in .cat, without a folder.", catalog);
        }
    }
}
