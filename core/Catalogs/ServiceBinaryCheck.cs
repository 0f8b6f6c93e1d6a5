using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;

namespace WdkDriver.Core.Catalogs;

/// <summary>
/// A service whose ServiceBinary names a file the INF does not install: Windows installs the package and the service
/// without a word, and the service then fails to start on the customer's machine (error 2). Neither InfVerif nor
/// inf2cat looks; the catalog stage does, before anything is signed. A service may run a file Windows ships (an inbox
/// driver such as usbser.sys): that is taken as meant when the INF installs no file of that kind (extension) at all,
/// and as a mistake (a misspelt or renamed driver) when it installs others of that kind but not this one.
/// </summary>
public static class ServiceBinaryCheck
{
    /// <param name="installedNames">The names the INF's copy lists install its files under.</param>
    public static void Check(InfDocument inf, InfStrings strings, IReadOnlyCollection<string> installedNames)
    {
        var installed = new HashSet<string>(installedNames, StringComparer.OrdinalIgnoreCase);
        foreach (var service in InfService.All(inf, strings))
        {
            var name = service.FileName;
            if (service.Binary is not { } entry || name.Length == 0 || installed.Contains(name))
            {
                continue;
            }

            var extension = Path.GetExtension(name);
            var sameKind = installed.Where(n => string.Equals(Path.GetExtension(n), extension, StringComparison.OrdinalIgnoreCase)).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
            if (sameKind.Count > 0)
            {
                throw new WdkException(Diagnostic.Error(
                    ErrorCodes.ServiceBinaryNotInstalled,
                    $"ServiceBinary names {name}, which {Path.GetFileName(inf.Path)} does not install ({string.Join(", ", sameKind)} is what it installs): the service would fail to start on every machine. Name the installed file here, or add {name} to the INF's copy list and the package.",
                    inf.Path,
                    entry.Line,
                    entry.ValueColumn));
            }
        }
    }
}
