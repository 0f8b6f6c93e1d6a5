using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;

namespace WdkDriver.Core.DriverTesting;

/// <summary>
/// How a test session installs and loads the driver: through the INF's [DefaultInstall] section where the emulator
/// can follow it, else by copying the binary to the drivers folder and creating the kernel service by hand.
/// </summary>
/// <param name="ServiceName">The kernel service to start and stop.</param>
/// <param name="InstallSection">The DefaultInstall section to run; null: create the service with sc.</param>
/// <param name="DriverFile">The driver binary, in the package.</param>
/// <param name="ServiceBinary">The file the followed install's service runs (its ServiceBinary's name), and where the INF says so.</param>
public sealed record DriverLoadPlan(string ServiceName, string? InstallSection, string DriverFile, (string Name, int Line, int Column)? ServiceBinary = null)
{
    /// <summary>The drivers folder (DIRID 12) is where wine 8 follows a DefaultInstall; it resolves DIRID 13 wrongly.</summary>
    private static readonly string[] FollowableDirectoryIds = { "12" };

    public static DriverLoadPlan For(string infPath, string architecture, string driverFile)
    {
        var inf = InfDocument.Load(infPath);
        var strings = new InfStrings(inf);
        var install = inf.FindSection("DefaultInstall.NT" + architecture) ?? inf.FindSection("DefaultInstall");
        var services = install is null ? null : inf.FindSection(install.Name + ".Services");
        var addService = services?.Find("AddService").FirstOrDefault(e => e.Values.Count > 0);
        var serviceName = addService is null ? Path.GetFileNameWithoutExtension(driverFile) : strings.Resolve(addService.Value.Trim());
        if (serviceName.Length == 0)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.DriverTestInstallFailed, "The INF's AddService names no service.", infPath, services!.Line));
        }

        var followable = install is not null && addService is not null && CopyDestinations(inf, install).All(d => FollowableDirectoryIds.Contains(d));
        var binary = followable ? InfService.All(inf, strings).FirstOrDefault(s => s.AddService == addService && s.Binary is not null) : null;
        return new DriverLoadPlan(serviceName, followable ? install!.Name : null, driverFile, binary is null ? null : (binary.FileName, binary.Binary!.Line, binary.Binary.ValueColumn));
    }

    /// <summary>The DIRIDs the install section's CopyFiles write to.</summary>
    private static IEnumerable<string> CopyDestinations(InfDocument inf, InfSection install)
    {
        var destinations = inf.FindSection("DestinationDirs");
        var fallback = destinations?.First("DefaultDestDir")?.Value.Trim() ?? string.Empty;
        foreach (var list in install.Find("CopyFiles").SelectMany(e => e.Values).Select(v => v.Trim()).Where(v => v.Length > 0))
        {
            // "@file" copies one file to DefaultDestDir; otherwise the value names a file-list section.
            yield return list.StartsWith("@", StringComparison.Ordinal)
                ? fallback
                : destinations?.First(list)?.Value.Trim() ?? fallback;
        }
    }
}
