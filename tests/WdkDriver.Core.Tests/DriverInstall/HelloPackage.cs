using WdkDriver.Core.DriverInstall;
using WdkDriver.Core.Installer;
using WdkDriver.Core.Inf;
using WdkDriver.Core.Packaging;

namespace WdkDriver.Core.Tests.DriverInstall;

/// <summary>
/// A driver package as the SDK lays it out, made of the PrebuiltDriver sample's real binaries (hello.sys, a WDM
/// driver, and hello-client.exe, both built with mingw-w64 and committed) and its INF stamped for amd64.
/// </summary>
internal static class HelloPackage
{
    public static readonly DateTimeOffset Time = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<PackageFile> Create(string folder, string? infText = null)
    {
        var sample = Path.Combine(RepositoryPaths.Samples, "PrebuiltDriver");
        var inf = Path.Combine(folder, "driver", "amd64", "hello.inf");
        Directory.CreateDirectory(Path.GetDirectoryName(inf)!);
        Directory.CreateDirectory(Path.Combine(folder, "client", "amd64"));
        var stamped = InfStamper.Stamp(
            InfDocument.FromText(inf, infText ?? File.ReadAllText(Path.Combine(sample, "hello.inx"))),
            new StampOptions(Architecture: "amd64", DriverVer: new DriverVer(new DateTime(2026, 11, 30), new ushort[] { 1, 0, 0, 0 })));
        File.WriteAllBytes(inf, stamped.ToBytes());
        File.Copy(Path.Combine(sample, "mingw", "hello.sys"), Path.Combine(folder, "driver", "amd64", "hello.sys"));
        File.Copy(Path.Combine(sample, "mingw", "hello-client.exe"), Path.Combine(folder, "client", "amd64", "hello-client.exe"));
        File.WriteAllText(Path.Combine(folder, "README.md"), "Not installed: the package's readme.\n");
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => new PackageFile(f, Path.GetRelativePath(folder, f).Replace('\\', '/')))
            .OrderBy(f => f.PackagePath, StringComparer.Ordinal)
            .ToList();
    }

    public static DriverInstallerSettings Settings(string version = "1.0.0", string? license = null, bool path = true) =>
        new("amd64", "Contoso Ltd.", "Hello Driver", version, NameBasedGuid.Create("upgrade|test|Hello"), @"Contoso\Hello Driver", path, license, Time);
}
