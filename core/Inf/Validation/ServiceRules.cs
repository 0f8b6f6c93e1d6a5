using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>AddService: a name, an existing service-install section with ServiceType, StartType, ErrorControl and a ServiceBinary under a DIRID that the INF copies.</summary>
internal static class ServiceRules
{
    private static readonly string[] Required = { "ServiceType", "StartType", "ErrorControl", "ServiceBinary" };

    public static void Check(InfCheck check)
    {
        var copied = new HashSet<string>(check.CopiedFiles().Select(f => f.Name), StringComparer.OrdinalIgnoreCase);
        var shipped = new HashSet<string>(
            check.Document.Sections.Where(s => s.Name.StartsWith("SourceDisksFiles", StringComparison.OrdinalIgnoreCase))
                .SelectMany(s => s.Entries).Where(e => e.Key is not null).Select(e => check.Resolve(e.Key!).Trim()),
            StringComparer.OrdinalIgnoreCase);
        foreach (var addService in check.Document.Sections.Where(s => check.Reached.Contains(s.Name)).SelectMany(s => s.Find("AddService")))
        {
            // "AddService = , 2" without an install section is the documented null service of a raw device.
            if (addService.Values.Count < 3 || addService.Values[2].Length == 0)
            {
                continue;
            }

            if (addService.Value.Length == 0)
            {
                check.Report(1253, $"Skipping directive 'AddService' without a service name in section [{addService.Values[2]}].", addService);
                continue;
            }

            foreach (var install in check.Named(addService.Values[2]))
            {
                CheckServiceInstall(check, install, copied, shipped);
            }
        }
    }

    private static void CheckServiceInstall(InfCheck check, InfSection install, HashSet<string> copied, HashSet<string> shipped)
    {
        foreach (var key in Required.Where(k => install.First(k) is null))
        {
            check.Report(1013, $"Missing AddService {key} key in section [{install.Name}].", install.Line, install.Column);
        }

        foreach (var key in Required.Take(3))
        {
            if (install.First(key) is { } entry && !IsNumber(check.Resolve(entry.Value)))
            {
                check.Report(1014, $"Invalid AddService {key} key in section [{install.Name}]: '{entry.Value}' is not a number.", entry);
            }
        }

        if (install.First("ServiceBinary") is not { } binary)
        {
            return;
        }

        var path = binary.Value.Trim();
        if (!Regex.IsMatch(path, @"^%\d+%\\"))
        {
            check.Report(2085, $"Service binary '{path}' should be specified as a path under a DIRID, such as %13%\\driver.sys.", binary);
        }
        else if (Path.GetFileName(check.Resolve(path).Replace('\\', '/')) is var file && shipped.Contains(file) && !copied.Contains(file))
        {
            // A binary the package does not ship is the system's own (WUDFRd.sys); one it ships must be copied.
            check.Report(2084, $"Service binary '{path}' should reference a CopyFiles destination file.", binary);
        }
    }

    private static bool IsNumber(string text)
    {
        text = text.Trim();
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }
}
