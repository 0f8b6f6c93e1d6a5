using System.Globalization;
using System.Security;
using System.Text;
using WdkDriver.Core.Installer;
using WdkDriver.Core.DriverInstall;
using WdkDriver.Core.Packaging;

namespace WdkDriver.Bench;

/// <summary>
/// Writing a driver package's installer against wixl (msitools' WiX subset) building the same install from an
/// equivalent .wxs: 50 MB of real Windows PE files as the client (wine's 64-bit DLLs, every fifth by size), a driver
/// folder (INF and driver), one component per file, one feature, a major upgrade, an embedded MSZIP cabinet and three
/// deferred custom actions.
/// </summary>
public static class Installer
{
    private const string WineDlls = "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows";

    public static void Run(Report report, string work, int rounds, string nativeCli)
    {
        if (!Tools.Exists("wixl"))
        {
            report.Line("### 8. The installer: skipped, wixl is not installed (eng/install-prerequisites.sh installs it).");
            report.Line();
            return;
        }

        var folder = Path.Combine(work, "msi");
        var client = Path.Combine(folder, "package", "client", "amd64");
        var driver = Path.Combine(folder, "package", "driver", "amd64");
        Directory.CreateDirectory(client);
        Directory.CreateDirectory(driver);
        long total = 0;
        foreach (var dll in Directory.GetFiles(WineDlls, "*.dll").OrderByDescending(f => new FileInfo(f).Length).ThenBy(f => f, StringComparer.Ordinal).Where((_, i) => i % 5 == 4))
        {
            var size = new FileInfo(dll).Length;
            if (total + size <= 50L << 20)
            {
                File.Copy(dll, Path.Combine(client, Path.GetFileName(dll)));
                total += size;
            }
        }

        File.WriteAllText(Path.Combine(driver, "booster.inf"), File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "Booster", "booster.inx")).Replace("$ARCH$", "amd64"));
        File.Copy(Path.Combine(RepositoryPaths.Root, "samples", "PrebuiltDriver", "mingw", "hello.sys"), Path.Combine(driver, "booster.sys"));
        var root = Path.Combine(folder, "package");
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => new PackageFile(f, Path.GetRelativePath(root, f))).ToList();
        var settings = new DriverInstallerSettings("amd64", "Contoso", "Booster", "1.2.3", NameBasedGuid.Create("bench"), @"Contoso\Booster", false, null, new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        var wxs = Path.Combine(folder, "booster.wxs");
        File.WriteAllText(wxs, Wxs(folder, client, driver));
        var (ours, native, theirs) = (Path.Combine(folder, "ours.msi"), Path.Combine(folder, "native.msi"), Path.Combine(folder, "wixl.msi"));

        var timings = Measure.Interleaved(
            rounds,
            new Contender("wixl -a x64", () => Tools.Run(folder, "wixl", "-a", "x64", "-o", theirs, wxs), () => File.Delete(theirs)),
            new Contender("WdkDriver in-process (DriverInstallerBuilder)", () => DriverInstallerBuilder.Write(ours, files, settings), () => File.Delete(ours)),
            new Contender("wdkdriver msi create, native build (a process)", () => Tools.Run(folder, nativeCli, "msi", "create", root, "-o", native, "--manufacturer", "Contoso", "--product", "Booster", "--version", "1.2.3"), () => File.Delete(native)));
        var sizes = timings.ToDictionary(t => t.Name, t => new FileInfo(t == timings[0] ? theirs : t == timings[1] ? ours : native).Length);
        report.Table(
            $"8. The installer: {total / 1e6:0} MB in {files.Count} files (a driver package and {files.Count - 2} client files), one component each, embedded MSZIP cabinet",
            timings,
            "time vs wixl",
            t => $"{sizes[t.Name] / 1e6:0.00} MB ({((double)sizes[t.Name] / sizes[timings[0].Name]).ToString("0.000", CultureInfo.InvariantCulture)}×)",
            "size (vs wixl)");
        report.Target("in-process installer time vs wixl", timings[1].Median / timings[0].Median, 1.0, atMost: true);
        report.Target("wdkdriver msi create (native) time vs wixl", timings[2].Median / timings[0].Median, 1.0, atMost: true);
        report.Target("installer size vs wixl", (double)sizes[timings[1].Name] / sizes[timings[0].Name], 1.03, atMost: true);
        report.Line("- Both write one compound file with the tables and one embedded MSZIP cabinet. wixl's cabinet is gcab's (zlib's default level, one core); " +
                    "WdkDriver's is its own cabinet writer's (level 9, blocks compressed on all cores, the bytes the same on any core count). wixl also writes MsiFileHash rows for unversioned files.");
        report.Line();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The same install in wixl's WiX 3 subset: directories, a component per file, a feature, a major upgrade, deferred actions.</summary>
    /// <remarks>wixl takes sources relative to its working folder.</remarks>
    private static string Wxs(string folder, string client, string driver)
    {
        var text = new StringBuilder();
        var index = 0;
        string Components(string directory) => string.Concat(Directory.GetFiles(directory).Order(StringComparer.Ordinal).Select(f =>
        {
            index++;
            return $"<Component Id=\"C{index}\" Guid=\"{NameBasedGuid.Create("wixl|" + index).ToString().ToUpperInvariant()}\" Win64=\"yes\"><File Id=\"F{index}\" Source=\"{SecurityElement.Escape(Path.GetRelativePath(folder, f))}\" KeyPath=\"yes\"/></Component>\n";
        }));
        var clientComponents = Components(client);
        var driverComponents = Components(driver);
        text.Append($"""
            <?xml version="1.0" encoding="utf-8"?>
            <Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
              <Product Id="{NameBasedGuid.Create("wixl-product").ToString().ToUpperInvariant()}" Name="Booster" Language="1033" Version="1.2.3" Manufacturer="Contoso" UpgradeCode="{NameBasedGuid.Create("bench").ToString().ToUpperInvariant()}">
                <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine"/>
                <MajorUpgrade DowngradeErrorMessage="A newer version is already installed."/>
                <Media Id="1" Cabinet="cab1.cab" EmbedCab="yes"/>
                <Directory Id="TARGETDIR" Name="SourceDir">
                  <Directory Id="ProgramFiles64Folder">
                    <Directory Id="ContosoDir" Name="Contoso">
                      <Directory Id="INSTALLDIR" Name="Booster">
            {clientComponents}
                        <Directory Id="DriverDir" Name="driver">
            {driverComponents}
                        </Directory>
                      </Directory>
                    </Directory>
                  </Directory>
                </Directory>
                <Feature Id="Main" Level="1">{string.Concat(Enumerable.Range(1, index).Select(i => $"<ComponentRef Id=\"C{i}\"/>"))}</Feature>
                <CustomAction Id="StopService" FileKey="F{index}" ExeCommand="stop Booster" Execute="deferred" Impersonate="no" Return="ignore"/>
                <CustomAction Id="InstallDriver" FileKey="F{index}" ExeCommand="DefaultInstall.NTamd64 128" Execute="deferred" Impersonate="no" Return="check"/>
                <CustomAction Id="StartService" FileKey="F{index}" ExeCommand="start Booster" Execute="deferred" Impersonate="no" Return="check"/>
                <InstallExecuteSequence>
                  <Custom Action="StopService" Before="RemoveFiles">REMOVE="ALL"</Custom>
                  <Custom Action="InstallDriver" After="InstallFiles">NOT REMOVE</Custom>
                  <Custom Action="StartService" After="InstallDriver">NOT REMOVE</Custom>
                </InstallExecuteSequence>
              </Product>
            </Wix>
            """);
        return text.ToString();
    }
}
