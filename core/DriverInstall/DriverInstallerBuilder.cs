using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
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
/// version of the same upgrade code (the old product removed first, its driver with it), a refusal to downgrade, the
/// Programs and Features entry, optionally the client's folder on PATH, and the custom actions that install and remove
/// each INF (<see cref="DriverInstallActions"/>). Codes are name-based, times the given one: same input, same bytes.
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

    public static void Write(string destination, IReadOnlyList<PackageFile> package, DriverInstallerSettings settings) =>
        AtomicFile.Write(destination, Build(package, settings), ErrorCodes.InstallerWriteFailed);

    public static byte[] Build(IReadOnlyList<PackageFile> package, DriverInstallerSettings settings)
    {
        if (!Platforms.TryGetValue(settings.Architecture, out var platform))
        {
            throw Invalid($"There is no installer for architecture '{settings.Architecture}': amd64 and arm64 are.");
        }

        var architecture = settings.Architecture.ToLowerInvariant();
        var version = ProductVersion(settings.Version);
        // ProductName at most 63 (ICE16: Programs and Features); the manufacturer is a folder name too.
        CheckText("manufacturer", settings.Manufacturer, 255);
        CheckText("product name", settings.ProductName, 63);
        var upgradeCode = NameBasedGuid.Braced(settings.UpgradeCode);

        var layout = new Layout(upgradeCode, architecture, settings.InstallFolder);
        foreach (var file in package)
        {
            var path = file.PackagePath.Replace('\\', '/');
            if (path.StartsWith($"client/{architecture}/", StringComparison.OrdinalIgnoreCase))
            {
                layout.Add(file.Source, path.Substring($"client/{architecture}/".Length));
            }
            else if (path.StartsWith($"driver/{architecture}/", StringComparison.OrdinalIgnoreCase))
            {
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
        for (var i = 0; i < infs.Count; i++)
        {
            var plan = DriverInstallPlan.For(infs[i].Source, architecture);
            actions.AddRange(DriverInstallActions.For(plan, i + 1, infs[i].Key, ref removal, ref install));
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
            new("InstallExecuteSequence", StandardTables.Sequence, ExecuteSequence.Select(s => new object?[] { s.Action, null, s.Sequence })
                .Concat(actions.Select(a => new object?[] { a.Name, a.Condition.Length > 0 ? a.Condition : null, a.Sequence })).ToList()),
            new("InstallUISequence", StandardTables.Sequence, UiSequence.Select(s => new object?[] { s.Action, null, s.Sequence }).ToList()),
            // An administrative image (msiexec /a: the files unpacked under TARGETDIR) and advertising, as WiX sequences them.
            new("AdminExecuteSequence", StandardTables.Sequence, AdminExecuteSequence.Select(s => new object?[] { s.Action, null, s.Sequence }).ToList()),
            new("AdminUISequence", StandardTables.Sequence, AdminUiSequence.Select(s => new object?[] { s.Action, null, s.Sequence }).ToList()),
            new("AdvtExecuteSequence", StandardTables.Sequence, AdvertiseSequence.Select(s => new object?[] { s.Action, null, s.Sequence }).ToList()),
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
    /// The standard actions of a per-machine install (the Windows Installer SDK's sequence numbers). RemoveExistingProducts
    /// right after InstallInitialize, before any action writes to the script: the old product's removal is then part of
    /// this install's transaction, and a failure of the new version rolls it back with the rest (its files restored,
    /// its driver installed and started again by the removal's rollback partners). Before InstallInitialize, WiX's
    /// default, a failed upgrade leaves neither version.
    /// </summary>
    private static readonly (string Action, int Sequence)[] ExecuteSequence =
    {
        ("FindRelatedProducts", 25), ("LaunchConditions", 100), ("ValidateProductID", 700), ("CostInitialize", 800), ("FileCost", 900),
        ("CostFinalize", 1000), ("MigrateFeatureStates", 1200), ("InstallValidate", 1400),
        ("InstallInitialize", 1500), ("RemoveExistingProducts", 1501), ("ProcessComponents", 1600), ("UnpublishFeatures", 1800), ("RemoveEnvironmentStrings", 3300),
        ("RemoveFiles", 3500), ("RemoveFolders", 3600), ("CreateFolders", 3700), ("InstallFiles", 4000), ("WriteEnvironmentStrings", 5200),
        ("RegisterUser", 6000), ("RegisterProduct", 6100), ("PublishFeatures", 6300), ("PublishProduct", 6400), ("InstallFinalize", 6600),
    };

    private static readonly (string Action, int Sequence)[] UiSequence =
    {
        ("FindRelatedProducts", 25), ("LaunchConditions", 100), ("ValidateProductID", 700), ("CostInitialize", 800), ("FileCost", 900),
        ("CostFinalize", 1000), ("MigrateFeatureStates", 1200), ("ExecuteAction", 1300),
    };

    private static readonly (string Action, int Sequence)[] AdminExecuteSequence =
    {
        ("CostInitialize", 800), ("FileCost", 900), ("CostFinalize", 1000), ("InstallValidate", 1400), ("InstallInitialize", 1500),
        ("InstallAdminPackage", 3900), ("InstallFiles", 4000), ("InstallFinalize", 6600),
    };

    private static readonly (string Action, int Sequence)[] AdminUiSequence =
    {
        ("CostInitialize", 800), ("FileCost", 900), ("CostFinalize", 1000), ("ExecuteAction", 1300),
    };

    private static readonly (string Action, int Sequence)[] AdvertiseSequence =
    {
        ("CostInitialize", 800), ("CostFinalize", 1000), ("InstallValidate", 1400), ("InstallInitialize", 1500),
        ("PublishFeatures", 6300), ("PublishProduct", 6400), ("InstallFinalize", 6600),
    };

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

    /// <summary>
    /// ProductVersion: the first three numbers (Windows Installer compares only those), each within its range.
    /// </summary>
    public static string ProductVersion(string version)
    {
        var match = Regex.Match(version ?? string.Empty, @"^\s*v?(\d+)\.(\d+)(?:\.(\d+))?(?:\.\d+)?(?:[-+].*)?\s*$");
        var limits = new long[] { 255, 255, 65535 };
        if (!match.Success)
        {
            throw Invalid($"The installer's version '{version}' is not major.minor.patch: Windows Installer compares three numbers.");
        }

        var parts = new long[3];
        for (var i = 0; i < 3; i++)
        {
            var text = match.Groups[i + 1].Success ? match.Groups[i + 1].Value : "0";
            if (!long.TryParse(text, out parts[i]) || parts[i] > limits[i])
            {
                throw Invalid($"The installer's version '{version}' is out of range: Windows Installer versions go up to 255.255.65535.");
            }
        }

        return string.Join(".", parts);
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

    private static void CheckText(string what, string value, int longest)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsControl))
        {
            throw Invalid($"The installer's {what} must be given, on one line.");
        }

        if (CodePage1252.FirstUnrepresentable(value) is { } c)
        {
            throw Invalid($"The installer's {what} '{value}' has '{c}', which the installer database's code page (1252, Western European) cannot hold: use another character there.");
        }

        if (value.Length > longest)
        {
            throw Invalid($"The installer's {what} '{value}' is {value.Length} characters; Windows Installer takes at most {longest}: shorten it.");
        }
    }

    private static WdkException Invalid(string message) => new(Diagnostic.Error(ErrorCodes.InstallerSettingsInvalid, message));

    /// <summary>An installed file: its key (File, Component and cabinet entry), folder key, name and source.</summary>
    private sealed record InstalledFile(string Key, string Directory, string FileName, string InstallPath, string Source, long Size);

    /// <summary>The Directory table and the files placed in it.</summary>
    private sealed class Layout
    {
        private readonly string upgradeCode;
        private readonly string architecture;
        private readonly Dictionary<string, string> directoryKeys = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, ISet<string>> shortNames = new(StringComparer.Ordinal);
        private readonly HashSet<string> keys = new(StringComparer.Ordinal);

        public Layout(string upgradeCode, string architecture, string installFolder)
        {
            this.upgradeCode = upgradeCode;
            this.architecture = architecture;
            Directories.Add(new object?[] { "TARGETDIR", null, "SourceDir" });
            Directories.Add(new object?[] { "ProgramFiles64Folder", "TARGETDIR", "." });
            Directories.Add(new object?[] { DriverInstallActions.NativeSystemFolder, "TARGETDIR", "." });
            var segments = installFolder.Replace('/', '\\').Split('\\').Where(s => s.Length > 0).ToList();
            if (segments.Count == 0 || segments.Any(s => s is "." or ".." || s.IndexOfAny(Path.GetInvalidFileNameChars().Concat(new[] { '|', ':', '*', '?', '"', '<', '>' }).ToArray()) >= 0))
            {
                throw Invalid($"The install folder '{installFolder}' must be a relative folder under Program Files, such as 'Contoso\\Ping'.");
            }

            if (CodePage1252.FirstUnrepresentable(installFolder) is { } c)
            {
                throw Invalid($"The install folder '{installFolder}' has '{c}', which the installer database's code page (1252, Western European) cannot hold: use another character there.");
            }

            var parent = "ProgramFiles64Folder";
            for (var i = 0; i < segments.Count; i++)
            {
                var key = i == segments.Count - 1 ? "INSTALLDIR" : "INSTALLDIR" + (i + 1);
                Directories.Add(new object?[] { key, parent, ShortFileName.For(segments[i], Names(parent)) });
                parent = key;
            }

            directoryKeys[string.Empty] = "INSTALLDIR";
        }

        public List<object?[]> Directories { get; } = new();

        public List<InstalledFile> Files { get; } = new();

        /// <param name="installPath">Relative to the install folder, with slashes.</param>
        public void Add(string source, string installPath)
        {
            if (CodePage1252.FirstUnrepresentable(installPath) is { } c)
            {
                throw new WdkException(Diagnostic.Error(
                    ErrorCodes.InstallerPackageInvalid,
                    $"The package's file '{installPath}' has '{c}' in its name, which the installer database's code page (1252, Western European) cannot hold: rename it.",
                    source));
            }

            if (Files.Any(f => string.Equals(f.InstallPath, installPath, StringComparison.OrdinalIgnoreCase)))
            {
                throw Invalid($"Two files want the same place '{installPath}' in the install folder.");
            }

            var slash = installPath.LastIndexOf('/');
            var folder = slash < 0 ? string.Empty : installPath.Substring(0, slash);
            var name = installPath.Substring(slash + 1);
            var directory = Directory(folder);
            var size = new FileInfo(source).Length;
            if (size > int.MaxValue)
            {
                throw Invalid($"'{source}' is {size} bytes; an installer's files are at most 2 GiB each.");
            }

            Files.Add(new InstalledFile(Key(installPath), directory, ShortFileName.For(name, Names(directory)), installPath, source, size));
        }

        /// <summary>A component's GUID stays while its file's place does, in every build of the product line.</summary>
        public string ComponentId(InstalledFile file) =>
            NameBasedGuid.Braced(NameBasedGuid.Create($"component|{upgradeCode}|{architecture}|{file.InstallPath.ToLowerInvariant()}"));

        private string Directory(string folder)
        {
            if (directoryKeys.TryGetValue(folder, out var key))
            {
                return key;
            }

            var slash = folder.LastIndexOf('/');
            var parent = Directory(slash < 0 ? string.Empty : folder.Substring(0, slash));
            key = Key("dir/" + folder);
            Directories.Add(new object?[] { key, parent, ShortFileName.For(folder.Substring(slash + 1), Names(parent)) });
            directoryKeys[folder] = key;
            return key;
        }

        private ISet<string> Names(string directory) =>
            shortNames.TryGetValue(directory, out var names) ? names : shortNames[directory] = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>An identifier (letters, digits, _ and .; not starting with a digit or .) readable from the path, unique.</summary>
        private string Key(string path)
        {
            var readable = new string(path.Select(c => char.IsLetterOrDigit(c) && c < 0x80 ? c : '_').ToArray());
            var key = "_" + (readable.Length > 48 ? readable.Substring(readable.Length - 48) : readable);
            if (readable.Length > 48 || keys.Contains(key))
            {
                using var sha = SHA256.Create();
                var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(path.ToLowerInvariant()));
                key += "_" + string.Concat(hash.Take(4).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
            }

            keys.Add(key);
            return key;
        }
    }
}
