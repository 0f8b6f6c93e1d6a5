using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Installer;

namespace WdkDriver.Core.DriverInstall;

/// <summary>An installed file: its key (File, Component and cabinet entry), folder key, name and source.</summary>
internal sealed record InstalledFile(string Key, string Directory, string FileName, string InstallPath, string Source, long Size);

/// <summary>The Directory table and the files placed in it.</summary>
internal sealed class InstallerLayout
{
    private readonly string upgradeCode;
    private readonly string architecture;
    private readonly Dictionary<string, string> directoryKeys = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ISet<string>> shortNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> keys = new(StringComparer.Ordinal);

    public InstallerLayout(string upgradeCode, string architecture, string installFolder)
    {
        this.upgradeCode = upgradeCode;
        this.architecture = architecture;
        Directories.Add(new object?[] { "TARGETDIR", null, "SourceDir" });
        Directories.Add(new object?[] { "ProgramFiles64Folder", "TARGETDIR", "." });
        Directories.Add(new object?[] { DriverInstallActions.NativeSystemFolder, "TARGETDIR", "." });
        var segments = installFolder.Replace('/', '\\').Split('\\').Where(s => s.Length > 0).ToList();
        if (segments.Count == 0 || segments.Any(s => s is "." or ".." || s.IndexOfAny(Path.GetInvalidFileNameChars().Concat(new[] { '|', ':', '*', '?', '"', '<', '>' }).ToArray()) >= 0))
        {
            throw DriverInstallerSettings.Invalid($"The install folder '{installFolder}' must be a relative folder under Program Files, such as 'Contoso\\Ping'.");
        }

        if (CodePage1252.FirstUnrepresentable(installFolder) is { } c)
        {
            throw DriverInstallerSettings.Invalid($"The install folder '{installFolder}' has '{c}', which the installer database's code page (1252, Western European) cannot hold: use another character there.");
        }

        if (installFolder.Contains('!'))
        {
            throw DriverInstallerSettings.Invalid($"The install folder '{installFolder}' has '!', which the driver's install steps would lose (cmd reads pnputil's exit code with delayed expansion, where '!' marks a variable): use another character there.");
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

        if (installPath.EndsWith(".inf", StringComparison.OrdinalIgnoreCase) && installPath.Contains('!'))
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.InstallerPackageInvalid,
                $"The INF '{installPath}' has '!' in its name, which the driver's install steps would lose (cmd reads pnputil's exit code with delayed expansion, where '!' marks a variable): rename it.",
                source));
        }

        if (Files.Any(f => string.Equals(f.InstallPath, installPath, StringComparison.OrdinalIgnoreCase)))
        {
            throw DriverInstallerSettings.Invalid($"Two files want the same place '{installPath}' in the install folder.");
        }

        var slash = installPath.LastIndexOf('/');
        var folder = slash < 0 ? string.Empty : installPath.Substring(0, slash);
        var name = installPath.Substring(slash + 1);
        var directory = Directory(folder);
        var size = new FileInfo(source).Length;
        if (size > int.MaxValue)
        {
            throw DriverInstallerSettings.Invalid($"'{source}' is {size} bytes; an installer's files are at most 2 GiB each.");
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

    /// <summary>
    /// An identifier (letters, digits, _ and .; not starting with a digit or .) readable from the path, unique: at most
    /// 46 characters, so the longest custom action that names a file ([#key]) still fits Target's 255.
    /// </summary>
    private string Key(string path)
    {
        const int Readable = 36;
        var readable = new string(path.Select(c => char.IsLetterOrDigit(c) && c < 0x80 ? c : '_').ToArray());
        var key = "_" + (readable.Length > Readable ? readable.Substring(readable.Length - Readable) : readable);
        if (readable.Length > Readable || keys.Contains(key))
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(path.ToLowerInvariant()));
            key += "_" + string.Concat(hash.Take(4).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }

        keys.Add(key);
        return key;
    }
}
