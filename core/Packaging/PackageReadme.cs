using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Inf;

namespace WdkDriver.Core.Packaging;

/// <summary>
/// The readme of a driver's NuGet package, from what the package holds: the driver, its INF's class, hardware ids or
/// services, the architectures, how it is signed, and how to install and uninstall it with the scripts in tools/.
/// The same package gives the same text.
/// </summary>
public static class PackageReadme
{
    /// <param name="files">The package tree: path in the package (driver/&lt;arch&gt;/..., client/..., tools/...) → file.</param>
    /// <param name="attested">Whether the driver packages are the ones Microsoft signed.</param>
    public static string Write(string packageId, string version, string? description, IReadOnlyDictionary<string, string> files, string signMode, bool attested)
    {
        var paths = files.Keys.Select(k => k.Replace('\\', '/')).ToList();
        var architectures = paths.Where(p => p.StartsWith("driver/", StringComparison.OrdinalIgnoreCase)).Select(p => p.Split('/')[1]).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(a => a, StringComparer.Ordinal).ToList();
        var first = architectures.FirstOrDefault();
        var driver = files.Where(f => first is not null && f.Key.Replace('\\', '/').StartsWith($"driver/{first}/", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(f => f.Key.Replace('\\', '/').Substring($"driver/{first}/".Length), f => f.Value, StringComparer.OrdinalIgnoreCase);
        var infs = driver.Keys.Where(k => k.EndsWith(".inf", StringComparison.OrdinalIgnoreCase) && !k.Contains('/')).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var documents = infs.Select(i => InfDocument.Load(driver[i])).ToList();
        var classes = documents.SelectMany(d => d.FindSections("Version")).SelectMany(s => s.Find("Class")).Select(e => e.Value).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var services = documents.SelectMany(d => d.Sections).SelectMany(s => s.Find("AddService")).Select(e => e.Value).Where(v => v.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(s => s, StringComparer.Ordinal).ToList();
        var hardwareIds = HardwareIds(driver);
        var testSigned = paths.Contains("WdkDriverTestCert.cer", StringComparer.OrdinalIgnoreCase);

        var text = new StringBuilder();
        text.Append("# ").Append(packageId).Append(' ').Append(version).Append("\n\n");
        if (!string.IsNullOrWhiteSpace(description))
        {
            text.Append(description!.Trim()).Append("\n\n");
        }

        text.Append("A Windows driver package, built with WdkDriver.Sdk.\n\n");
        text.Append("| | |\n|---|---|\n");
        text.Append("| Driver | ").Append(infs.Count == 0 ? "-" : string.Join(", ", infs.Select(i => $"`{i}`"))).Append(classes.Count == 0 ? string.Empty : $" (class {string.Join(", ", classes)})").Append(" |\n");
        text.Append("| Architectures | ").Append(architectures.Count == 0 ? "-" : string.Join(", ", architectures)).Append(" |\n");
        if (hardwareIds.Count > 0)
        {
            text.Append("| Hardware ids | ").Append(string.Join(", ", hardwareIds.Select(h => $"`{h}`"))).Append(" |\n");
        }

        if (services.Count > 0)
        {
            text.Append("| Services | ").Append(string.Join(", ", services.Select(s => $"`{s}`"))).Append(" |\n");
        }

        text.Append("| Signature | ").Append(
            attested ? "Microsoft's (attestation): Windows 10 and 11 load it as it is."
            : testSigned ? "test-signed: Windows loads it only in test mode (`bcdedit /set testsigning on`, then restart), trusting `WdkDriverTestCert.cer`."
            : string.Equals(signMode, "Off", StringComparison.OrdinalIgnoreCase) ? "none."
            : "the vendor's: a kernel driver needs Microsoft's signature (attestation) to load outside test mode.").Append(" |\n\n");

        text.Append("## Install\n\nUnpack the package (a `.nupkg` is a zip) on the Windows machine and run, from an elevated prompt:\n\n```bat\n");
        text.Append(testSigned ? "tools\\Install-Driver.cmd -TrustTestCertificate\n" : "tools\\Install-Driver.cmd\n");
        text.Append("```\n\nThe script picks `driver\\<arch>\\` by the machine's architecture (`-Architecture` overrides).");
        if (paths.Any(p => p.StartsWith("client/", StringComparison.OrdinalIgnoreCase)))
        {
            text.Append(" The driver's client is in `client\\<arch>\\`.");
        }

        text.Append("\n\n## Uninstall\n\n```bat\n");
        text.Append(testSigned ? "tools\\Uninstall-Driver.cmd -RemoveTestCertificate\n" : "tools\\Uninstall-Driver.cmd\n");
        text.Append("```\n");
        return text.ToString();
    }

    /// <summary>The hardware ids of the INFs' models, as the catalog lists them (no date check: the readme only lists them); none for an INF that cannot be read so.</summary>
    private static List<string> HardwareIds(IReadOnlyDictionary<string, string> driver)
    {
        try
        {
            return driver.Count == 0 ? new List<string>() : CatalogContents.Resolve(driver, OsTarget.ParseList("10_X64"), DateTime.MaxValue.Date).HardwareIds.ToList();
        }
        catch (Diagnostics.WdkException)
        {
            return new List<string>();
        }
    }
}
