using System.Text.RegularExpressions;

namespace WdkDriver.Cli.Tests;

public class StampAndCheckInfTests : IDisposable
{
    private readonly TempDirectory temp = new("cli");

    public void Dispose() => temp.Dispose();

    /// <summary>A corpus file by its path with '/', as this host writes paths (the command prints them full and native).</summary>
    private static string Corpus(string relativePath) => Path.Combine(RepositoryPaths.Corpus, "inf", relativePath.Replace('/', Path.DirectorySeparatorChar));

    private const string KernelBookBooster = "kernel-book-rust/chapter_05/booster/booster.inx";

    [Fact]
    public void Stamp_writes_the_stamped_inf_and_prints_its_path()
    {
        var output = temp.Combine("out", "booster.inf");

        var result = Wdkdriver.Run("stamp", Corpus(KernelBookBooster), "-o", output, "--arch", "amd64", "--driver-ver", "01/02/2025,1.2.3.4", "--catalog", "booster.cat");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(output, result.Output.Trim());
        Assert.Empty(result.Error);
        var lines = File.ReadAllLines(output);
        Assert.Contains("DriverVer = 01/02/2025,1.2.3.4", lines);
        Assert.Contains("[DefaultInstall.NTamd64]", lines);

        var check = Wdkdriver.Run("check-inf", output);
        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public void An_argument_with_spaces_quotes_cmd_metacharacters_and_other_scripts_reaches_the_command_and_its_message_unchanged()
    {
        // In the Windows lane this is wdkdriver.exe as a Windows process: the argument crosses CreateProcess's single
        // command line (quoted by .NET as the C runtime splits it), where none of cmd's syntax may act on it, and the
        // message comes back through a pipe in the console's encoding.
        var argument = Path.Combine(temp.Path, "a b", "q \"x\" & | ^ % !v! < > é ß 中 😀.inf");

        var result = Wdkdriver.Run("check-inf", argument);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"{argument}: error WDK2001: ", result.Output + result.Error);
    }

    [Fact]
    public void Stamp_without_a_DriverVer_for_an_empty_one_is_exit_1_with_a_located_error_and_no_file()
    {
        var output = temp.Combine("booster.inf");

        var result = Wdkdriver.Run("stamp", Corpus(KernelBookBooster), "-o", output, "--arch", "amd64");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(new Regex(@"^.*booster\.inx\(10,1\): error WDK2005: .*--driver-ver", RegexOptions.Multiline), result.Error);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Check_inf_reports_findings_on_stderr_in_canonical_form_and_exits_1()
    {
        var file = Corpus("windows-driver-samples/general/echo/kmdf/driver/AutoSync/echo.inx");

        var result = Wdkdriver.Run("check-inf", "--stampinf", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{file}(21,1): error INF1284: Class \"Sample\" is reserved", result.Error);
        Assert.Contains("NOT VALID", result.Output);
    }

    [Fact]
    public void An_inx_is_validated_as_before_stamping_and_the_output_says_so()
    {
        var file = Corpus("windows-drivers-rs/crates/cargo-wdk/tests/umdf-driver/umdf_driver.inx");

        var plain = Wdkdriver.Run("check-inf", file);

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("validated as before stamping (--stampinf)", plain.Output);
        Assert.DoesNotContain("error", plain.Error);
    }

    [Fact]
    public void Warnings_pass_unless_made_errors_and_can_be_suppressed()
    {
        var file = Corpus("windows-drivers-rs/crates/cargo-wdk/tests/umdf-driver/umdf_driver.inx");

        var plain = Wdkdriver.Run("check-inf", "--stampinf", file);
        var strict = Wdkdriver.Run("check-inf", "--stampinf", "--warnaserror", file);
        var quiet = Wdkdriver.Run("check-inf", "--stampinf", "--suppress", "2083", file);

        Assert.Equal(0, plain.ExitCode);
        Assert.Contains("warning INF2083", plain.Error);
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("error INF2083", strict.Error);
        Assert.Equal(0, quiet.ExitCode);
        Assert.Empty(quiet.Error);
    }

    [Fact]
    public void The_mode_changes_what_is_an_error()
    {
        var file = Corpus("windows-driver-samples/storage/class/disk/src/diskdev.inf");

        Assert.Equal(0, Wdkdriver.Run("check-inf", "--stampinf", "--mode", "universal", file).ExitCode);
        var windows = Wdkdriver.Run("check-inf", "--stampinf", "--mode", "windows", file);
        Assert.Equal(1, windows.ExitCode);
        Assert.Contains("error INF1322", windows.Error);
    }

    [Fact]
    public void Samples_and_suppress_silence_the_reserved_class_error_as_InfVerif_does()
    {
        var file = Corpus("windows-driver-samples/usb/wdf_osrfx2_lab/kmdf/step1/osrusbfx2.inx");

        var samples = Wdkdriver.Run("check-inf", "--stampinf", "--samples", "--warnaserror", file);
        var suppressed = Wdkdriver.Run("check-inf", "--stampinf", "--suppress", "1284", "--warnaserror", file);

        Assert.True(samples.ExitCode == 0, samples.ToString());
        Assert.Empty(samples.Error);
        Assert.True(suppressed.ExitCode == 0, suppressed.ToString());
        Assert.Empty(suppressed.Error);
    }

    [Fact]
    public void Desktop_has_no_isolation_rules_and_whql_has_its_own_destinations()
    {
        var file = Corpus("windows-driver-samples/general/SimpleMediaSource/SimpleMediaSourceDriver/SimpleMediaSourceDriver.inf");

        var desktop = Wdkdriver.Run("check-inf", "--stampinf", "--mode", "desktop", "--warnaserror", file);
        var whql = Wdkdriver.Run("check-inf", "--stampinf", "--mode", "whql", file);

        Assert.True(desktop.ExitCode == 0, desktop.ToString());
        Assert.Equal(1, whql.ExitCode);
        Assert.Contains("error INF1320", whql.Error);
    }

    [Fact]
    public void Malformed_and_missing_files_are_exit_1_never_a_crash()
    {
        var garbage = temp.Write("garbage.inf", "");
        File.WriteAllBytes(garbage, new byte[] { 0xFF, 0xFE, 0x41 });

        var bad = Wdkdriver.Run("check-inf", garbage);
        var missing = Wdkdriver.Run("check-inf", temp.Combine("missing.inf"));

        Assert.Equal(1, bad.ExitCode);
        Assert.Contains($"{garbage}: error INF1003:", bad.Error);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("error WDK2001", missing.Error);
        Assert.DoesNotContain("Exception", bad.Error + missing.Error);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("stamp", "x.inx", "-o", "y.inf")]
    [InlineData("check-inf", "--mode", "bogus", "x.inf")]
    [InlineData("check-inf")]
    public void Bad_usage_is_exit_2(params string[] arguments)
    {
        var result = Wdkdriver.Run(arguments);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error", result.Error);
    }

    [Fact]
    public void No_arguments_prints_the_list_of_commands()
    {
        var result = Wdkdriver.Run();

        Assert.Equal(2, result.ExitCode);
        foreach (var command in new[] { "stamp", "check-inf", "catalog", "sign", "verify", "cab", "submit" })
        {
            Assert.Contains(command, result.Output);
        }

        Assert.DoesNotContain("Required command was not provided", result.Output + result.Error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("stamp", "--help")]
    [InlineData("check-inf", "--help")]
    public void Help_is_exit_0(params string[] arguments)
    {
        var result = Wdkdriver.Run(arguments);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage", result.Output);
    }

    [Fact]
    public void Hash_prints_the_digest_a_Microsoft_catalog_holds_for_the_file()
    {
        var driver = Path.Combine(RepositoryPaths.Corpus, "catalogs", "arduino-gemma", "amd64", "libusb0.sys");
        var catalog = File.ReadAllBytes(Path.Combine(RepositoryPaths.Corpus, "catalogs", "arduino-gemma", "arduino_gemma.cat"));

        var result = Wdkdriver.Run("hash", "--alg", "sha1", driver);

        Assert.True(result.ExitCode == 0, result.ToString());
        var (hex, file) = (result.Output.Split("  ")[0], result.Output.Split("  ")[1].Trim());
        Assert.Equal(driver, file);
        Assert.Matches("^[0-9A-F]{40}$", hex);
        // A v1 catalog names each member by the upper-case hex of its digest, in UTF-16.
        var identifier = System.Text.Encoding.Unicode.GetBytes(hex);
        Assert.True(catalog.AsSpan().IndexOf(identifier) >= 0, $"{hex} is not a member of the catalog");
    }

    [Fact]
    public void Hash_of_a_missing_file_is_exit_1_with_a_coded_error()
    {
        var result = Wdkdriver.Run("hash", temp.Combine("missing.sys"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error WDK3002", result.Error);
    }
}
