using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Inf;
using WdkDriver.Core.Signing;
using WdkDriver.Core.Verification;

namespace WdkDriver.Core.Packaging;

/// <summary>
/// The readme of a driver's NuGet package, from what the package holds: the driver, its INF's class, hardware ids or
/// services, the architectures, how it is signed (read from its catalog's signature, never from a setting), and how to
/// install and uninstall it with the scripts in tools/. The same package gives the same text.
/// </summary>
public static class PackageReadme
{
    /// <param name="files">The package tree: path in the package (driver/&lt;arch&gt;/..., client/..., tools/...) → file.</param>
    public static string Write(string packageId, string version, string? description, IReadOnlyDictionary<string, string> files)
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
        var signer = CatalogSigner(driver);
        var testCertificate = files.FirstOrDefault(f => string.Equals(f.Key.Replace('\\', '/'), "WdkDriverTestCert.cer", StringComparison.OrdinalIgnoreCase)).Value;
        var testSigned = signer is not null && testCertificate is not null && signer.Thumbprint == CertificateFile.Load(testCertificate).Thumbprint;

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
            signer is null ? "none: Windows does not load it."
            : Has(signer, MicrosoftRoots.AttestationUsage) ? "Microsoft's (attestation): Windows 10 and 11 load it as it is."
            : Has(signer, MicrosoftRoots.WhqlUsage) ? "Microsoft's (WHQL): Windows loads it as it is."
            : testSigned ? "test-signed: Windows loads it only in test mode (`bcdedit /set testsigning on`, then restart), trusting `WdkDriverTestCert.cer`."
            : $"the vendor's ({Escape(signer.GetNameInfo(X509NameType.SimpleName, false))}): a kernel driver needs Microsoft's signature (attestation) to load outside test mode.").Append(" |\n\n");

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

    /// <summary>The signer of the driver package's first catalog (by name); null when it has none or it is not signed.</summary>
    private static X509Certificate2? CatalogSigner(IReadOnlyDictionary<string, string> driver)
    {
        var catalog = driver.Where(f => f.Key.EndsWith(".cat", StringComparison.OrdinalIgnoreCase) && !f.Key.Contains('/')).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value).FirstOrDefault();
        if (catalog is null)
        {
            return null;
        }

        try
        {
            var cms = new SignedCms();
            cms.Decode(File.ReadAllBytes(catalog));
            return cms.SignerInfos.Count == 1 ? cms.SignerInfos[0].Certificate : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static bool Has(X509Certificate2 certificate, string usage) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == usage));

    /// <summary>A name in a Markdown table cell.</summary>
    private static string Escape(string text) => text.Replace("|", "\\|");

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
