namespace WdkDriver.Cli.Tests;

/// <summary>
/// The command as a Windows process: a self-contained win-x64 build run under wine (drive letters, '\', Windows' file
/// APIs, CRLF) says and writes what the Linux build does, byte for byte, for every step that needs no RSA: wine 8's
/// BCrypt fails RSA with 0xc1000002, public keys too, so signing and verifying cannot run there (docs/windows.md).
/// </summary>
[Trait(LaneExclusion.Trait, LaneExclusion.LinuxPrograms)]
[Collection(CommandPublish.Name)]
public sealed class WindowsProcessTests : IDisposable
{
    private static readonly Lazy<string> Windows = new(Publish);
    private readonly TempDirectory temp = new("cli-windows");

    public void Dispose() => temp.Dispose();

    private static string Publish()
    {
        var output = Path.Combine(Path.GetTempPath(), "wdkdriver-win-x64-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        // Framework-dependent builds need a Windows .NET; Native AOT does not cross-compile: self-contained, JIT.
        ToolProcess.Succeed(RepositoryPaths.Root, "dotnet", "publish", Path.Combine(RepositoryPaths.Root, "cli", "WdkDriver.Cli.csproj"), "-c", "Release", "-r", "win-x64", "--self-contained", "-p:PublishAot=false", "-o", output, "-v:q", "-nologo");
        return Path.Combine(output, "wdkdriver.exe");
    }

    [WineFact]
    public void The_command_under_wine_stamps_checks_catalogs_and_packs_byte_for_byte_as_on_Linux()
    {
        var inf = Path.Combine(RepositoryPaths.Corpus, "catalogs", "px4_drv", "PX-W3U4.inf");
        var exe = Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe");
        var inx = Path.Combine(RepositoryPaths.Corpus, "inf", "windows-drivers-rs", "crates", "cargo-wdk", "tests", "kmdf-driver", "kmdf_driver.inx");
        var environment = new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "1764547200" };
        foreach (var build in new[] { "linux", "windows" })
        {
            temp.Write($"{build}/package/Driver Files/placeholder.txt", "a folder name with a space\r\n");
            File.Copy(exe, temp.Combine(build, "package", "tool.exe"));
            File.Copy(inf, temp.Combine(build, "package", "PX-W3U4.inf"));
            temp.Write($"{build}/pkg/driver/amd64/hello.inf", MsiCommandTests.Inf);
            File.Copy(Path.Combine(RepositoryPaths.Samples, "PrebuiltDriver", "mingw", "hello.sys"), temp.Combine(build, "pkg", "driver", "amd64", "hello.sys"));
        }

        using var wine = new WinePrefix();
        string Local(string build, string path) => build == "windows" ? WinePrefix.WindowsPath(path) : path;
        (int ExitCode, string Output, string Error) Run(string build, params string[] arguments)
        {
            if (build == "linux")
            {
                var linux = Wdkdriver.RunIn(environment, arguments);
                return (linux.ExitCode, linux.Output, linux.Error);
            }

            var windows = wine.Program(Windows.Value, environment, arguments);
            // Windows writes its lines with CRLF and names files by drive letter: the same text otherwise.
            return (windows.ExitCode, windows.Output.Replace("\r\n", "\n"), windows.Error.Replace("\r\n", "\n"));
        }

        var said = new Dictionary<string, List<string>>();
        foreach (var build in new[] { "linux", "windows" })
        {
            string P(params string[] parts) => Local(build, temp.Combine(new[] { build }.Concat(parts).ToArray()));
            string Shared(string path) => Local(build, path);
            var steps = new List<(string Name, string[] Arguments)>
            {
                ("stamp", new[] { "stamp", Shared(inf), "-o", P("stamped.inf"), "--arch", "amd64", "--driver-ver", "01/02/2025,1.2.3.4" }),
                ("check-inf", new[] { "check-inf", Shared(inx) }),
                ("catalog", new[] { "catalog", "create", P("package"), "-o", P("package", "px4_drv_winusb.cat"), "--os", "10_X64", "--list-id", "0123456789ABCDEF0123456789ABCDEF", "--time", "250102030405Z" }),
                ("cab create", new[] { "cab", "create", P("package"), "-o", P("package.cab") }),
                ("cab list", new[] { "cab", "list", P("package.cab") }),
                ("cab extract", new[] { "cab", "extract", P("package.cab"), "-o", P("from cab") }),
                ("msi create", new[] { "msi", "create", P("pkg"), "-o", P("hello.msi"), "--manufacturer", "Contoso", "--product", "Hello", "--version", "1.0.0" }),
                ("msi list", new[] { "msi", "list", P("hello.msi") }),
                ("msi extract", new[] { "msi", "extract", P("hello.msi"), "-o", P("from msi") }),
            };
            said[build] = new List<string>();
            foreach (var (name, arguments) in steps)
            {
                var (exitCode, output, error) = Run(build, arguments);
                var text = $"{name}: exit {exitCode}\n{output}{error}".Replace(Local(build, temp.Combine(build)), "<out>").Replace(Local(build, temp.Path), "<temp>").Replace(Local(build, RepositoryPaths.Corpus), "<corpus>").Replace('\\', '/');
                said[build].Add(text);
            }
        }

        for (var i = 0; i < said["linux"].Count; i++)
        {
            Assert.True(said["linux"][i] == said["windows"][i], $"Linux:\n{said["linux"][i]}\nWindows:\n{said["windows"][i]}");
        }

        Assert.All(said["windows"], step => Assert.Contains(": exit 0\n", step));
        foreach (var file in Directory.EnumerateFiles(temp.Combine("linux"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(temp.Combine("linux"), file);
            var theirs = temp.Combine("windows", relative);
            Assert.True(File.Exists(theirs), relative);
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(theirs)), $"{relative} differs");
        }
    }
}
