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
/// How Windows installs one INF of the package: the one decision the installer's custom actions and the install
/// scripts both carry out (the scripts read it from the package, <see cref="InstallPlanFile"/>).
/// <para>
/// A PnP INF whose models name a root-enumerated hardware ID (Root\...) needs its device made: no bus reports one, so
/// pnputil only stages such a driver. Both create the device as devcon install does and remove it on uninstall, with
/// the package's tools/RootDevice.ps1 (<see cref="RootDevices"/>).
/// </para>
/// <para>
/// A legacy INF's sections are named undecorated, as right-clicking the INF and choosing Install names them: SetupAPI
/// then takes the section for the machine, [DefaultInstall.NT&lt;arch&gt;] or the one of its
/// .NT&lt;arch&gt;.&lt;major&gt;.&lt;minor&gt;.&lt;type&gt;.&lt;suite&gt;.&lt;build&gt; decorations for the running
/// build, else [DefaultInstall.NT], else [DefaultInstall]. Which build that is is known only on the machine, and
/// Windows Installer cannot tell it (it reports Windows 8.1 on Windows 10 and 11): the services started and removed
/// are those of every section SetupAPI could take for the architecture.
/// </para>
/// </summary>
public sealed record DriverInstallPlan(DriverInstallKind Kind, string? InstallSection, string? UninstallSection, IReadOnlyList<DriverInstallService> Services, IReadOnlyList<string> RootDevices)
{
    public const string InstallSectionName = "DefaultInstall";

    public const string UninstallSectionName = "DefaultUninstall";

    /// <param name="architecture">amd64 or arm64, as INF decorations name it.</param>
    public static DriverInstallPlan For(string infPath, string architecture)
    {
        var inf = InfDocument.Load(infPath);
        var strings = new InfStrings(inf);
        if (inf.FindSection("Manufacturer") is { Entries.Count: > 0 })
        {
            return new DriverInstallPlan(DriverInstallKind.PlugAndPlay, null, null, Array.Empty<DriverInstallService>(), RootEnumeratedIds(inf, strings, architecture));
        }

        var installs = Candidates(inf, InstallSectionName, architecture);
        if (installs.Count == 0)
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.InstallPlanInvalid,
                $"{Path.GetFileName(infPath)} has no [Manufacturer] models and no [DefaultInstall.NT{architecture}] section, so Windows cannot install it on {architecture}: add one of them to the .inx.",
                infPath));
        }

        var services = installs
            .SelectMany(install => inf.FindSection(install.Name + ".Services")?.Find("AddService") ?? Enumerable.Empty<InfEntry>())
            .Where(e => e.Values.Count > 0 && strings.Resolve(e.Value).Trim().Length > 0)
            .Select(e => new DriverInstallService(strings.Resolve(e.Value).Trim(), InstalledBinary(inf, strings, e)))
            .GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
            // One service in two sections may run from two places (DIRID 13 on new builds, 12 before): name the one an installer can.
            .Select(g => g.FirstOrDefault(s => s.Binary is not null) ?? g.First())
            .ToList();
        var uninstall = Candidates(inf, UninstallSectionName, architecture).Count > 0 ? UninstallSectionName : null;
        return new DriverInstallPlan(DriverInstallKind.DefaultInstall, InstallSectionName, uninstall, services, Array.Empty<string>());
    }

    /// <summary>
    /// The Root\... hardware IDs of the models the architecture installs from: each [Manufacturer] entry's models
    /// section decorated NT&lt;arch&gt; (with any OS version), or undecorated where the entry names no decoration. A
    /// model's hardware ID is its first value after the install section.
    /// </summary>
    private static IReadOnlyList<string> RootEnumeratedIds(InfDocument inf, InfStrings strings, string architecture)
    {
        var platform = "NT" + architecture;
        var models = inf.FindSections("Manufacturer").SelectMany(s => s.Entries).Where(e => e.Values.Count > 0 && e.Value.Trim().Length > 0)
            .SelectMany(entry =>
            {
                var name = strings.Resolve(entry.Value).Trim();
                var decorations = entry.Values.Skip(1).Select(d => strings.Resolve(d).Trim()).Where(d => d.Length > 0).ToList();
                return decorations.Count == 0
                    ? new[] { name }
                    : decorations.Where(d => d.Equals(platform, StringComparison.OrdinalIgnoreCase) || d.StartsWith(platform + ".", StringComparison.OrdinalIgnoreCase)).Select(d => name + "." + d);
            });
        return models.SelectMany(inf.FindSections).SelectMany(s => s.Entries)
            .Where(e => e.Values.Count > 1)
            .Select(e => strings.Resolve(e.Values[1]).Trim())
            .Where(id => id.StartsWith("Root\\", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
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
    /// The sections SetupAPI could take for the architecture on some Windows build: Name.NT&lt;arch&gt; and its
    /// OS-version decorations (&lt;major&gt;.&lt;minor&gt;.&lt;type&gt;.&lt;suite&gt;.&lt;build&gt;), and, for a build
    /// older than all of those, Name.NT, else Name.
    /// </summary>
    private static IReadOnlyList<InfSection> Candidates(InfDocument inf, string name, string architecture)
    {
        var prefix = name + ".NT" + architecture;
        var sections = inf.Sections
            .Where(s => s.NameIs(prefix) || (s.Name.StartsWith(prefix + ".", StringComparison.OrdinalIgnoreCase) && s.Name.Substring(prefix.Length + 1).Split('.').Length == 5))
            .ToList();
        if (sections.Count == 0 || !sections.Any(s => s.NameIs(prefix)))
        {
            if ((inf.FindSection(name + ".NT") ?? inf.FindSection(name)) is { } fallback)
            {
                sections.Add(fallback);
            }
        }

        return sections;
    }
}
