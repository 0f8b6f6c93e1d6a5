using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.CompoundFiles;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Installer;
using WdkDriver.Core.IO;
using WdkDriver.Core.Packaging;

namespace WdkDriver.Core.DriverInstall;

/// <summary>
/// Maps a driver package to a per-machine Windows Installer package for one architecture: the client's files into
/// Program Files\&lt;install folder&gt;, the driver package (INF, catalog, binaries) into its driver\ folder beside
/// them, one feature, a component per file, the files in one embedded MSZIP cabinet, a major upgrade of any older
/// version of the same upgrade code (the old product removed inside the same transaction, its driver with it), a
/// refusal to downgrade, the Programs and Features entry, optionally the client's folder on PATH, and the custom actions
/// that install and remove each INF (<see cref="DriverInstallActions"/>). Where the files go is
/// <see cref="InstallerLayout"/>'s, the standard actions <see cref="InstallerSequences"/>', the settings' checks
/// <see cref="DriverInstallerSettings"/>'; every row is checked as ICE03 checks (<see cref="InstallerTableCheck"/>).
/// Codes are name-based, times the given one: same input, same bytes.
/// </summary>
public static class DriverInstallerBuilder
{
    private const string CabinetStream = "cab1.cab";

    /// <summary>msidbComponentAttributes64bit: the components live in the 64-bit Program Files and registry.</summary>
    private const int Component64Bit = 256;

    /// <summary>msidbFileAttributesVital.</summary>
    private const int FileVital = 512;

    /// <summary>The architectures a package can be for, as the package's folders name them, and as the summary's Template does.</summary>
    public static readonly IReadOnlyDictionary<string, string> Platforms = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["amd64"] = "x64",
        ["arm64"] = "Arm64",
    };

    /// <summary>The architectures a package tree holds drivers for (its driver/&lt;arch&gt;/ folders), in order.</summary>
    public static IReadOnlyList<string> Architectures(IEnumerable<PackageFile> package) =>
        package.Select(f => f.PackagePath.Replace('\\', '/').Split('/'))
            .Where(p => p.Length > 2 && p[0] == "driver")
            .Select(p => p[1].ToLowerInvariant())
            .Distinct()
            .OrderBy(a => a, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The upgrade code of a product line, when none is given: the same for every version, and the same from the SDK
    /// (its PackageId) and the command (its --package-id, else --product).
    /// </summary>
    public static Guid UpgradeCodeFor(string name) => NameBasedGuid.Create("upgrade|" + name.ToLowerInvariant());

    /// <summary>The package's tools/RootDevice.ps1, installed beside the driver for the custom actions that make root-enumerated devices; its File key.</summary>
    private static string AddRootDeviceScript(InstallerLayout layout, IReadOnlyList<PackageFile> package, string inf, string hardwareId)
    {
        const string path = "tools/RootDevice.ps1";
        var script = package.FirstOrDefault(f => string.Equals(f.PackagePath.Replace('\\', '/'), path, StringComparison.OrdinalIgnoreCase))
            ?? throw new WdkException(Diagnostic.Error(
                ErrorCodes.InstallerPackageInvalid,
                $"{Path.GetFileName(inf)} installs on the root-enumerated device {hardwareId}, which the installer creates with the package's {path}, and the package has none: lay it out with the install scripts (IncludeDriverInstallScripts, on by default).",
                inf));
        layout.Add(script.Source, path);
        return layout.Files.Single(f => f.InstallPath == path).Key;
    }

    public static void Write(string destination, IReadOnlyList<PackageFile> package, DriverInstallerSettings settings) =>
        AtomicFile.Write(destination, Build(package, settings), ErrorCodes.InstallerWriteFailed);

    public static byte[] Build(IReadOnlyList<PackageFile> package, DriverInstallerSettings settings)
    {
        if (!Platforms.TryGetValue(settings.Architecture, out var platform))
        {
            throw Invalid($"There is no installer for architecture '{settings.Architecture}': amd64 and arm64 are.");
        }

        var architecture = settings.Architecture.ToLowerInvariant();
        var version = DriverInstallerSettings.ProductVersion(settings.Version);
        // ProductName at most 63 (ICE16: Programs and Features); the manufacturer is a folder name too.
        DriverInstallerSettings.CheckText("manufacturer", settings.Manufacturer, 255);
        DriverInstallerSettings.CheckText("product name", settings.ProductName, 63);
        var upgradeCode = NameBasedGuid.Braced(settings.UpgradeCode);

        var layout = new InstallerLayout(upgradeCode, architecture, settings.InstallFolder);
        foreach (var file in package)
        {
            var path = file.PackagePath.Replace('\\', '/');
            if (path.StartsWith($"client/{architecture}/", StringComparison.OrdinalIgnoreCase))
            {
                layout.Add(file.Source, path.Substring($"client/{architecture}/".Length));
            }
            else if (path.StartsWith($"driver/{architecture}/", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase))
            {
                // Symbols are for debuggers, which take them from a symbol store (dotnet pack writes one), not from machines.
                layout.Add(file.Source, "driver/" + path.Substring($"driver/{architecture}/".Length));
            }
        }

        if (settings.LicenseFile is not null)
        {
            layout.Add(settings.LicenseFile, Path.GetFileName(settings.LicenseFile));
        }

        var infs = layout.Files.Where(f => f.InstallPath.StartsWith("driver/", StringComparison.Ordinal) && f.InstallPath.EndsWith(".inf", StringComparison.OrdinalIgnoreCase)).ToList();
        if (infs.Count == 0)
        {
            throw Invalid($"The package has no driver for {architecture} (no .inf under driver/{architecture}/): build that platform first, or make the installer for another.");
        }

        // The whole version, fourth number and label included: 0.1.12-g3f2a1b and 0.1.12 are two products of one
        // ProductVersion, and the second replaces the first (VersionMax inclusive) instead of failing with 1638.
        var productCode = NameBasedGuid.Braced(NameBasedGuid.Create($"product|{upgradeCode}|{architecture}|{settings.Version.Trim()}"));
        var actions = new List<InstallerAction>
        {
            // Programs and Features shows where the product is.
            new("WdkSetInstallLocation", 51, "ARPINSTALLLOCATION", "[INSTALLDIR]", string.Empty, 1001),
        };
        var removal = DriverInstallActions.RemovalSequence;
        var install = DriverInstallActions.InstallSequence;
        var plugAndPlay = false;
        var deviceProperties = new List<object?[]>();
        string? rootDeviceScript = null;
        for (var i = 0; i < infs.Count; i++)
        {
            var plan = DriverInstallPlan.For(infs[i].Source, architecture);
            plugAndPlay |= plan.Kind == DriverInstallKind.PlugAndPlay;
            if (plan.RootDevices.Count > 0)
            {
                rootDeviceScript ??= AddRootDeviceScript(layout, package, infs[i].Source, plan.RootDevices[0]);
                deviceProperties.AddRange(plan.RootDevices.Select((id, j) => new object?[] { DriverInstallActions.RootDeviceProperty(i + 1, j + 1), id }));
            }

            actions.AddRange(DriverInstallActions.For(plan, i + 1, infs[i].Key, rootDeviceScript, ref removal, ref install));
        }

        if (plugAndPlay)
        {
            // Right after InstallFinalize (6600): a restart pnputil asked for reaches msiexec's exit code.
            actions.Add(DriverInstallActions.RequestRestart(6601));
        }

        if (removal >= 3500)
        {
            throw Invalid($"The package's {infs.Count} INFs need {removal - DriverInstallActions.RemovalSequence} removal steps; an installer has room for {3500 - DriverInstallActions.RemovalSequence} before RemoveFiles.");
        }

        if (install >= 5000)
        {
            throw Invalid($"The package's {infs.Count} INFs need {install - DriverInstallActions.InstallSequence} install steps; an installer has room for {5000 - DriverInstallActions.InstallSequence} after InstallFiles.");
        }

        // The cabinet holds the files by their File keys, in ordinal order: that order is their sequence.
        var files = layout.Files.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        if (files.Count > short.MaxValue)
        {
            throw Invalid($"The package has {files.Count} files; an installer holds at most {short.MaxValue}.");
        }

        var cabinet = new MemoryStream();
        CabinetWriter.Write(cabinet, files.Select(f => new CabinetSource(f.Key, f.Source)).ToList(), CabinetCompression.MsZip, settings.Time.UtcDateTime);

        var properties = new List<object?[]>
        {
            new object?[] { "ProductCode", productCode },
            new object?[] { "ProductName", settings.ProductName },
            new object?[] { "ProductVersion", version },
            new object?[] { "ProductLanguage", "1033" },
            new object?[] { "Manufacturer", settings.Manufacturer },
            new object?[] { "UpgradeCode", upgradeCode },
            new object?[] { "ALLUSERS", "1" },
            new object?[] { "ARPNOMODIFY", "1" },
            // A repair would run the driver's install again over a running driver; a reinstall of the package does it cleanly.
            new object?[] { "ARPNOREPAIR", "1" },
            new object?[] { "SecureCustomProperties", "WDK_DOWNGRADE_DETECTED;WDK_UPGRADE_DETECTED" },
        };
        properties.AddRange(deviceProperties);

        var tables = new List<InstallerTable>
        {
            new("Property", StandardTables.Property, properties),
            new("Directory", StandardTables.Directory, layout.Directories),
            new("Component", StandardTables.Component, files.Select(f => new object?[] { f.Key, layout.ComponentId(f), f.Directory, Component64Bit, null, f.Key }).ToList()),
            // A PE image's version and language from its version resource, as WiX writes them: Windows Installer's
            // versioning rules then decide what replaces what; any other file is unversioned.
            new("File", StandardTables.File, files.Select((f, i) => PeFileVersion.Read(f.Source) is var (fileVersion, language)
                ? new object?[] { f.Key, f.Key, f.FileName, (int)f.Size, fileVersion, language, FileVital, i + 1 }
                : new object?[] { f.Key, f.Key, f.FileName, (int)f.Size, null, null, FileVital, i + 1 }).ToList()),
            new("Feature", StandardTables.Feature, new[] { new object?[] { "Main", null, settings.ProductName, null, 1, 1, "INSTALLDIR", 0 } }),
            new("FeatureComponents", StandardTables.FeatureComponents, files.Select(f => new object?[] { "Main", f.Key }).ToList()),
            new("Media", StandardTables.Media, new[] { new object?[] { 1, files.Count, null, "#" + CabinetStream, null, null } }),
            new("Upgrade", StandardTables.Upgrade, new[]
            {
                // Any older or same version of another build is removed (its features' states carried over:
                // MigrateFeatures 1, VersionMaxInclusive 0x200); a newer one only detected.
                new object?[] { upgradeCode, null, version, null, 1 | 0x200, null, "WDK_UPGRADE_DETECTED" },
                new object?[] { upgradeCode, version, null, null, 2, null, "WDK_DOWNGRADE_DETECTED" },
            }),
            new("LaunchCondition", StandardTables.LaunchCondition, new[]
            {
                new object?[] { "NOT WDK_DOWNGRADE_DETECTED", "A newer version of [ProductName] is already installed: uninstall it first to install this one." },
                ArchitectureCondition(architecture),
            }),
            new("CustomAction", StandardTables.CustomAction, actions.Select(a => new object?[] { a.Name, a.Type, a.Source, a.Target, null }).ToList()),
            new("InstallExecuteSequence", StandardTables.Sequence, InstallerSequences.Execute.Select(s => new object?[] { s.Action, null, s.Sequence })
                .Concat(actions.Select(a => new object?[] { a.Name, a.Condition.Length > 0 ? a.Condition : null, a.Sequence })).ToList()),
            new("InstallUISequence", StandardTables.Sequence, InstallerSequences.Ui.Select(s => new object?[] { s.Action, null, s.Sequence }).ToList()),
            // An administrative image (msiexec /a: the files unpacked under TARGETDIR) and advertising, as WiX sequences them.
            new("AdminExecuteSequence", StandardTables.Sequence, InstallerSequences.AdminExecute.Select(s => new object?[] { s.Action, null, s.Sequence }).ToList()),
            new("AdminUISequence", StandardTables.Sequence, InstallerSequences.AdminUi.Select(s => new object?[] { s.Action, null, s.Sequence }).ToList()),
            new("AdvtExecuteSequence", StandardTables.Sequence, InstallerSequences.Advertise.Select(s => new object?[] { s.Action, null, s.Sequence }).ToList()),
        };

        var clientFile = files.FirstOrDefault(f => !f.InstallPath.Contains('/') && f.Source != settings.LicenseFile);
        if (settings.AddToPath && clientFile is not null)
        {
            // System variable (*), set at install (=), its part removed at uninstall (-), appended ([~];).
            tables.Add(new InstallerTable("Environment", StandardTables.Environment, new[] { new object?[] { "WdkClientPath", "=-*PATH", "[~];[INSTALLDIR]", clientFile.Key } }));
        }

        // What validation tools check the rows against, and the rows checked against it as ICE03 does.
        tables.Add(ValidationTable.For(tables));
        if (InstallerTableCheck.Check(tables) is { Count: > 0 } findings)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.InstallerTableInvalid, $"The installer's tables would not hold what their columns declare: {string.Join("; ", findings.Take(5))}."));
        }

        var cabinetBytes = cabinet.ToArray();
        var summary = new SummaryInformation(settings.ProductName, settings.Manufacturer, platform + ";1033", PackageCode(tables, cabinetBytes), settings.Time);
        return InstallerDatabase.Write(tables, new[] { new CompoundFileStream(InstallerStreamName.Encode(CabinetStream), cabinetBytes) }, summary);
    }

    /// <summary>
    /// ARM64 Windows runs x64 programs but loads only ARM64 drivers; x64 Windows refuses an Arm64 package by its
    /// Template, and the condition says which installer to take in either case. The native msiexec's environment
    /// names the processor (PROCESSOR_ARCHITEW6432 where it runs emulated).
    /// </summary>
    private static object?[] ArchitectureCondition(string architecture)
    {
        const string Arm64 = "(%PROCESSOR_ARCHITECTURE~=\"ARM64\" OR %PROCESSOR_ARCHITEW6432~=\"ARM64\")";
        return architecture == "arm64"
            ? new object?[] { Arm64, "This installer of [ProductName] is for ARM64 Windows, and this Windows is not: install the x64 installer (its name ends in .amd64.msi)." }
            : new object?[] { "NOT " + Arm64, "This installer of [ProductName] is for x64 Windows; an x64 driver does not load on ARM64 Windows: install the ARM64 installer (its name ends in .arm64.msi)." };
    }

    /// <summary>The package code: new for every different package, the same for the same one (a hash of everything but itself).</summary>
    private static Guid PackageCode(IEnumerable<InstallerTable> tables, byte[] cabinet)
    {
        using var sha = SHA256.Create();
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            text.Append(table.Name).Append('\n');
            foreach (var row in table.Rows)
            {
                text.Append(string.Join("\t", row.Select(c => Convert.ToString(c, System.Globalization.CultureInfo.InvariantCulture)))).Append('\n');
            }
        }

        var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()).Concat(sha.ComputeHash(cabinet)).ToArray());
        return NameBasedGuid.Create("package|" + string.Concat(digest.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))));
    }

    private static WdkException Invalid(string message) => DriverInstallerSettings.Invalid(message);
}
