using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;

namespace WdkDriver.Core.DriverInstall;

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
public sealed record DriverInstallPlan(DriverInstallKind Kind, string? InstallSection, string? UninstallSection, IReadOnlyList<string> Services)
{
    /// <param name="architecture">amd64 or arm64, as INF decorations name it.</param>
    public static DriverInstallPlan For(string infPath, string architecture)
    {
        var inf = InfDocument.Load(infPath);
        if (inf.FindSection("Manufacturer") is { Entries.Count: > 0 })
        {
            return new DriverInstallPlan(DriverInstallKind.PlugAndPlay, null, null, Array.Empty<string>());
        }

        var install = Decorated(inf, "DefaultInstall", architecture)
            ?? throw new WdkException(Diagnostic.Error(
                ErrorCodes.InstallerPackageInvalid,
                $"{Path.GetFileName(infPath)} has no [Manufacturer] models and no [DefaultInstall.NT{architecture}] section, so Windows cannot install it on {architecture}: add one of them to the .inx.",
                infPath));
        var strings = new InfStrings(inf);
        var services = inf.FindSection(install.Name + ".Services")?.Find("AddService")
            .Where(e => e.Values.Count > 0)
            .Select(e => strings.Resolve(e.Value.Trim()))
            .Where(s => s.Length > 0)
            .ToList() ?? new List<string>();
        return new DriverInstallPlan(DriverInstallKind.DefaultInstall, install.Name, Decorated(inf, "DefaultUninstall", architecture)?.Name, services);
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
