using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;
using WdkDriver.Core.Inf.Validation;

namespace WdkDriver.Core.Tests.Inf;

/// <summary>Each rule family on a small INF broken in one place: the code, its severity per mode, and the line.</summary>
public class InfValidatorRuleTests
{
    private const string Valid = """
        [Version]
        Signature="$WINDOWS NT$"
        Class=System
        ClassGuid={4D36E97D-E325-11CE-BFC1-08002BE10318}
        Provider=%Provider%
        DriverVer=11/24/2026,1.0.0.0
        CatalogFile=good.cat
        PnpLockdown=1

        [Manufacturer]
        %Mfg%=Standard,NTamd64.10.0...16299

        [Standard.NTamd64.10.0...16299]
        %Desc%=Good_Install, Root\Good

        [DestinationDirs]
        DefaultDestDir = 13

        [SourceDisksNames]
        1 = %Disk%,,,""

        [SourceDisksFiles]
        good.sys = 1

        [Good_Install.NT]
        CopyFiles=Good.Files

        [Good_Install.NT.Services]
        AddService=Good,0x00000002,Good.Service

        [Good.Files]
        good.sys

        [Good.Service]
        ServiceType=1
        StartType=3
        ErrorControl=1
        ServiceBinary=%13%\good.sys

        [Strings]
        Provider="Contoso"
        Mfg="Contoso"
        Desc="Good device"
        Disk="Good disk"
        """;

    private static IReadOnlyList<Diagnostic> Validate(string text, InfVerifMode mode = InfVerifMode.Universal, bool stampInf = false, IReadOnlyCollection<int>? suppress = null, bool warningsAsErrors = false) =>
        InfValidator.Validate(InfDocument.FromText("t.inf", text), new InfVerifOptions(mode, stampInf, suppress, warningsAsErrors));

    private static string Change(string find, string replace)
    {
        Assert.Contains(find, Valid);
        return Valid.Replace(find, replace);
    }

    private static int LineOf(string text, string content) => text.Split('\n').ToList().FindIndex(l => l.Contains(content)) + 1;

    /// <summary>The last line that is exactly <paramref name="at"/>, else the last line that starts with it.</summary>
    private static int LineAt(string text, string at)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        var exact = lines.FindLastIndex(l => l == at);
        return (exact >= 0 ? exact : lines.FindLastIndex(l => l.StartsWith(at, StringComparison.Ordinal))) + 1;
    }

    [Theory]
    [InlineData(InfVerifMode.Universal)]
    [InlineData(InfVerifMode.Desktop)]
    [InlineData(InfVerifMode.WindowsDriver)]
    [InlineData(InfVerifMode.Whql)]
    public void The_base_INF_is_valid_in_every_mode(InfVerifMode mode) => Assert.Empty(Validate(Valid, mode));

    [Theory]
    [InlineData("Signature=\"$WINDOWS NT$\"", "Signature=\"$Windows 95$\"", "INF1001", "Signature")]
    [InlineData("Class=System", "Class=Sample", "INF1284", "Class=Sample")]
    [InlineData("ClassGuid={4D36E97D-E325-11CE-BFC1-08002BE10318}", "ClassGuid={4D36E97D}", "INF1010", "ClassGuid")]
    [InlineData("Class=System", "Class=Net", "INF1281", "ClassGuid")]
    [InlineData("Class=System", "Class=", "INF1234", "Class=")]
    [InlineData("Provider=%Provider%", "Provider=\"Microsoft\"", "INF1204", "Provider=\"Microsoft\"")]
    [InlineData("DriverVer=11/24/2026,1.0.0.0", "DriverVer=13/45/2026,1.0.0.0", "INF1218", "DriverVer")]
    [InlineData("DriverVer=11/24/2026,1.0.0.0", "DriverVer=11/24/2026,1.0.0.70000", "INF1217", "DriverVer")]
    [InlineData("DriverVer=11/24/2026,1.0.0.0", "", "INF1233", "[Version]")]
    [InlineData("CatalogFile=good.cat", "CatalogFile=dir\\good.cat", "INF1214", "CatalogFile")]
    [InlineData("Desc=\"Good device\"", "Description=\"Good device\"", "INF1235", "%Desc%=")]
    [InlineData("[Good_Install.NT]", "[Good_Install.NT$ARCH$]", "INF1274", "[Good_Install.NT$ARCH$]")]
    [InlineData("NTamd64.10.0...16299", "NTamd64.10.0...9999", "INF1288", "%Mfg%")]
    [InlineData("%Mfg%=Standard,NTamd64.10.0...16299", "%Mfg%=Standard,NTamd64.ten", "INF1287", "%Mfg%")]
    [InlineData("%Mfg%=Standard,NTamd64.10.0...16299", "%Mfg%=", "INF1011", "%Mfg%")]
    [InlineData("%Desc%=Good_Install, Root\\Good", "%Desc%=Other_Install, Root\\Good", "INF1203", "%Desc%=")]
    [InlineData("CopyFiles=Good.Files", "CopyFiles=Good.Files,Other.Files", "INF1203", "CopyFiles")]
    [InlineData("good.sys = 1", "other.sys = 1", "INF1230", "good.sys")]
    [InlineData("good.sys = 1", "good.sys = 2", "INF1273", "good.sys = 2")]
    [InlineData("good.sys = 1", "good.sys = 1\ngood.cat = 1", "INF1213", "good.cat = 1")]
    [InlineData("good.sys = 1", "good.sys = one", "INF1008", "good.sys = one")]
    [InlineData("StartType=3\n", "", "INF1013", "[Good.Service]")]
    [InlineData("StartType=3", "StartType=demand", "INF1014", "StartType")]
    [InlineData("ServiceBinary=%13%\\good.sys", "ServiceBinary=good.sys", "INF2085", "ServiceBinary")]
    [InlineData("AddService=Good,0x00000002,Good.Service", "AddService=,0x00000002,Good.Service", "INF1253", "AddService")]
    [InlineData("[Strings]", "[Good.Files]\nother.sys\n\n[Strings]", "INF1209", "[Good.Files]")]
    [InlineData("[Strings]", "[Orphan]\nKey=1\n\n[Strings]", "INF2083", "[Orphan]")]
    [InlineData("PnpLockdown=1", "PnpLockdown=0", "INF1324", "PnpLockdown")]
    [InlineData("CopyFiles=Good.Files", "CopyFiles=Good.Files\nAddReg=Good.Reg\n[Good.Reg]\nHKZZ,Software\\Good,Value,,1", "INF1224", "HKZZ")]
    public void Each_rule_reports_its_code_at_the_line_that_is_wrong(string find, string replace, string code, string at)
    {
        var text = Change(find, replace);

        var findings = Validate(text);

        var finding = Assert.Single(findings, f => f.Code == code);
        Assert.Equal(LineAt(text, at), finding.Line);
        Assert.Equal("t.inf", finding.File);
    }

    [Fact]
    public void Registry_writes_outside_HKR_are_errors_only_where_the_mode_requires_isolation()
    {
        var text = Change("CopyFiles=Good.Files", "CopyFiles=Good.Files\nAddReg=Good.Reg\n[Good.Reg]\nHKLM,Software\\Good,Value,,1");

        Assert.DoesNotContain(Validate(text, InfVerifMode.Universal), f => f.Code == "INF1320");
        Assert.DoesNotContain(Validate(text, InfVerifMode.Desktop), f => f.Code == "INF1320");
        Assert.Equal(Severity.Error, Assert.Single(Validate(text, InfVerifMode.WindowsDriver), f => f.Code == "INF1320").Severity);
        Assert.Equal(Severity.Error, Assert.Single(Validate(text, InfVerifMode.Whql), f => f.Code == "INF1320").Severity);
    }

    [Theory]
    [InlineData("12", InfVerifMode.Universal, false)]
    [InlineData("12", InfVerifMode.Desktop, false)]
    [InlineData("12", InfVerifMode.WindowsDriver, true)]
    [InlineData("16", InfVerifMode.Desktop, false)]
    [InlineData("12", InfVerifMode.Whql, false)]
    [InlineData("16", InfVerifMode.Whql, true)]
    public void File_destinations_follow_each_modes_DIRID_rules(string dirid, InfVerifMode mode, bool reported)
    {
        var text = Change("DefaultDestDir = 13", $"DefaultDestDir = {dirid}");

        Assert.Equal(reported, Validate(text, mode).Any(f => f.Code == "INF1322"));
    }

    [Fact]
    public void PnpLockdown_is_a_warning_in_universal_and_an_error_for_windows_drivers()
    {
        var text = Change("PnpLockdown=1\n", "");

        Assert.Equal(Severity.Warning, Assert.Single(Validate(text, InfVerifMode.Universal)).Severity);
        Assert.Equal(Severity.Error, Assert.Single(Validate(text, InfVerifMode.WindowsDriver)).Severity);
    }

    [Fact]
    public void Suppression_silences_a_code_whatever_its_severity_and_warnings_can_be_made_errors()
    {
        var text = Change("[Strings]", "[Orphan]\nKey=1\n\n[Strings]").Replace("Class=System", "Class=Sample");

        Assert.Equal(new[] { "INF1284", "INF2083" }, Validate(text).Select(f => f.Code).Order());
        Assert.Equal(new[] { "INF2083" }, Validate(text, suppress: new[] { 1284 }).Select(f => f.Code));
        Assert.Empty(Validate(text, suppress: new[] { 2083, 1284 }));
        Assert.Equal(Severity.Error, Validate(text, warningsAsErrors: true).Single(f => f.Code == "INF2083").Severity);
    }

    [Fact]
    public void Samples_silences_exactly_the_codes_Microsofts_samples_are_allowed()
    {
        var text = Change("[Strings]", "[Orphan]\nKey=1\n\n[Strings]").Replace("Class=System", "Class=Sample").Replace("PnpLockdown=1\n", "");
        var options = new InfVerifOptions(Samples: true, WarningsAsErrors: true);

        var findings = InfValidator.Validate(InfDocument.FromText("t.inf", text), options);

        Assert.Equal(new[] { 1284, 1285, 1293, 2083, 2086 }, InfVerifOptions.SamplesCodes);
        Assert.Equal("INF1324", Assert.Single(findings).Code);
    }

    [Fact]
    public void Stampinf_mode_accepts_tokens_and_an_empty_DriverVer()
    {
        var text = Change("DriverVer=11/24/2026,1.0.0.0", "DriverVer=").Replace("NTamd64", "NT$ARCH$").Replace("CatalogFile=good.cat\n", "");

        Assert.Empty(Validate(text, stampInf: true));
        Assert.Contains(Validate(text), f => f.Code == "INF1274");
        Assert.Contains(Validate(text), f => f.Code == "INF1233");
    }

    [Fact]
    public void A_parse_error_stops_validation_after_saying_so()
    {
        var findings = Validate(Valid.Replace("[Good.Files]", "[Good.Files"));

        Assert.Equal(new[] { "INF1299", "INF1002" }, findings.Select(f => f.Code));
        Assert.Equal(LineOf(Valid, "[Good.Files]"), findings[1].Line);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x5B })]
    [InlineData(new byte[] { 0x00, 0x01, 0x02, 0xFF, 0x00 })]
    public void Undecodable_files_are_one_INF1003_finding(byte[] bytes)
    {
        using var temp = new TempDirectory("inf-bad");
        var file = temp.Write("bad.inf", "");
        File.WriteAllBytes(file, bytes);

        var finding = Assert.Single(InfValidator.Validate(file, new InfVerifOptions()));

        Assert.Equal("INF1003", finding.Code);
    }

    [Fact]
    public void Binary_garbage_without_NUL_bytes_is_judged_not_crashed_on()
    {
        var random = new Random(1234);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 2000)];
            random.NextBytes(bytes);
            for (var j = 0; j < bytes.Length; j++)
            {
                bytes[j] = bytes[j] == 0 ? (byte)'[' : bytes[j];
            }

            var findings = InfValidator.Validate(InfDocument.FromBytes("garbage.inf", bytes), new InfVerifOptions());

            Assert.Contains(findings, f => f.Severity == Severity.Error);
        }
    }
}
