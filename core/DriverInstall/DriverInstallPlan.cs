using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;

namespace WdkDriver.Core.DriverInstall;

/// <summary>A service a [DefaultInstall] adds, and the file it runs where an installer can name it (null otherwise).</summary>
public sealed record DriverInstallService(string Name, string? Binary);

public enum DriverInstallKind
{
    /// <summary>Models under [Manufacturer]: pnputil adds the package to the driver store and installs it on matching devices.</summary>
    PlugAndPlay,

    /// <summary>A primitive or legacy INF: its [DefaultInstall] section runs, then the services it adds are started.</summary>
    DefaultInstall,
}

/// <summary>
/// How Windows installs one INF of the package, decided as the package's install scripts decide it: the same INF,
/// the same architecture, the same sections and services.
/// </summary>
public sealed record DriverInstallPlan(DriverInstallKind Kind, string? InstallSection, string? UninstallSection, IReadOnlyList<DriverInstallService> Services)
{
    /// <param name="architecture">amd64 or arm64, as INF decorations name it.</param>
    public static DriverInstallPlan For(string infPath, string architecture)
    {
        var inf = InfDocument.Load(infPath);
        if (inf.FindSection("Manufacturer") is { Entries.Count: > 0 })
        {
            return new DriverInstallPlan(DriverInstallKind.PlugAndPlay, null, null, Array.Empty<DriverInstallService>());
        }

        var install = Decorated(inf, "DefaultInstall", architecture)
            ?? throw new WdkException(Diagnostic.Error(
                ErrorCodes.InstallerPackageInvalid,
                $"{Path.GetFileName(infPath)} has no [Manufacturer] models and no [DefaultInstall.NT{architecture}] section, so Windows cannot install it on {architecture}: add one of them to the .inx.",
                infPath));
        var strings = new InfStrings(inf);
        var services = inf.FindSection(install.Name + ".Services")?.Find("AddService")
            .Where(e => e.Values.Count > 0 && strings.Resolve(e.Value).Trim().Length > 0)
            .Select(e => new DriverInstallService(strings.Resolve(e.Value).Trim(), InstalledBinary(inf, strings, e)))
            .ToList() ?? new List<DriverInstallService>();
        return new DriverInstallPlan(DriverInstallKind.DefaultInstall, install.Name, Decorated(inf, "DefaultUninstall", architecture)?.Name, services);
    }

    /// <summary>
    /// Where the service's ServiceBinary lands, as a Windows Installer formatted path, when it is in a folder an
    /// installer names (DIRID 10, 11, 12); null for any other (the driver store's DIRID 13 is the store's to clean).
    /// </summary>
    private static string? InstalledBinary(InfDocument inf, InfStrings strings, InfEntry addService)
    {
        var section = addService.Values.Count > 2 ? inf.FindSection(strings.Resolve(addService.Values[2]).Trim()) : null;
        var binary = section?.First("ServiceBinary") is { } entry ? strings.Resolve(entry.Value).Trim() : null;
        var match = binary is null ? null : System.Text.RegularExpressions.Regex.Match(binary, @"^%(\d+)%\\([^\\/:*?""<>|%\[\]]+)$");
        if (match is not { Success: true })
        {
            return null;
        }

        var folder = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) switch
        {
            10 => "[WindowsFolder]",
            11 => $"[{DriverInstallActions.NativeSystemFolder}]",
            12 => $"[{DriverInstallActions.NativeSystemFolder}]drivers\\",
            _ => null,
        };
        return folder is null ? null : folder + match.Groups[2].Value;
    }

    /// <summary>
    /// The section Windows takes for the architecture: Name.NT&lt;arch&gt;, else the one for the oldest Windows build
    /// among Name.NT&lt;arch&gt;.&lt;major&gt;.&lt;minor&gt;.&lt;type&gt;.&lt;suite&gt;.&lt;build&gt;, else Name.NT, else Name.
    /// </summary>
    private static InfSection? Decorated(InfDocument inf, string name, string architecture)
    {
        var prefix = name + ".NT" + architecture;
        return inf.FindSection(prefix)
            ?? inf.Sections
                .Where(s => s.Name.StartsWith(prefix + ".", StringComparison.OrdinalIgnoreCase) && s.Name.Substring(prefix.Length + 1).Split('.').Length == 5)
                .OrderBy(s => int.TryParse(s.Name.Split('.').Last(), out var build) ? build : 0)
                .ThenBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
                .FirstOrDefault()
            ?? inf.FindSection(name + ".NT")
            ?? inf.FindSection(name);
    }
}
