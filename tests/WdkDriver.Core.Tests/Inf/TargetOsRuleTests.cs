using WdkDriver.Core.Inf;
using WdkDriver.Core.Inf.Validation;

namespace WdkDriver.Core.Tests.Inf;

/// <summary>
/// INF1199 for DIRID 13 (Windows 10 1709, build 16299): reported at each use that an install path reaches from a
/// models section decorated below that build, never for uses only newer decorations reach, and never from [DefaultInstall]
/// (the undecorated [DefaultInstall.NTAMD64] that copies to DIRID 13 passes InfVerif /u in Microsoft's samples CI).
/// </summary>
public class TargetOsRuleTests
{
    private const string Head = """
        [Version]
        Signature="$WINDOWS NT$"
        Class=System
        ClassGuid={4D36E97D-E325-11CE-BFC1-08002BE10318}
        Provider=%Provider%
        DriverVer=11/24/2026,1.0.0.0
        CatalogFile=t.cat
        PnpLockdown=1

        [SourceDisksNames]
        1 = %Disk%,,,""

        [SourceDisksFiles]
        t.sys = 1

        [Strings]
        Provider="Contoso"
        Mfg="Contoso"
        Desc="Device"
        Disk="Disk"

        [Old.Files]
        t.sys

        [New.Files]
        t.sys

        [DestinationDirs]
        Old.Files = 12
        New.Files = 13

        [Old.Service]
        ServiceType=1
        StartType=3
        ErrorControl=1
        ServiceBinary=%12%\t.sys

        [New.Service]
        ServiceType=1
        StartType=3
        ErrorControl=1
        ServiceBinary=%13%\t.sys

        """;

    /// <summary>Two install sections: Old copies to DIRID 12, New to DIRID 13, each with its service.</summary>
    private const string Installs = """
        [Old_Install.NT]
        CopyFiles=Old.Files

        [Old_Install.NT.Services]
        AddService=T,0x00000002,Old.Service

        [New_Install.NT]
        CopyFiles=New.Files

        [New_Install.NT.Services]
        AddService=T,0x00000002,New.Service

        """;

    private static List<(string Code, int Line)> Findings(string text) =>
        InfValidator.Validate(InfDocument.FromText("t.inf", text), new InfVerifOptions(Suppress: new[] { 2083 }))
            .Select(f => (f.Code, f.Line)).ToList();

    private static int Line(string text, string content, int occurrence = 1) =>
        text.Split('\n').Select((l, i) => (l.Trim(), i + 1)).Where(x => x.Item1 == content).Skip(occurrence - 1).First().Item2;

    [Fact]
    public void DIRID_13_reached_only_from_a_decoration_of_build_16299_or_later_passes()
    {
        var text = Head + Installs + """
            [Manufacturer]
            %Mfg%=Standard,NTamd64,NTamd64.10.0...16299

            [Standard.NTamd64]
            %Desc%=Old_Install, Root\T

            [Standard.NTamd64.10.0...16299]
            %Desc%=New_Install, Root\T
            """;

        Assert.Empty(Findings(text));
    }

    [Theory]
    [InlineData("NTamd64")]
    [InlineData("NTamd64.10.0")]
    [InlineData("NTamd64.10.0...14393")]
    [InlineData("NTamd64.6.3")]
    public void DIRID_13_reached_from_an_undecorated_or_older_models_section_is_reported_at_each_use(string decoration)
    {
        var text = Head + Installs + $"""
            [Manufacturer]
            %Mfg%=Standard,{decoration}

            [Standard.{decoration}]
            %Desc%=New_Install, Root\T
            """;

        var findings = Findings(text);

        Assert.Equal(
            new[] { ("INF1199", Line(text, "ServiceBinary=%13%\\t.sys")), ("INF1199", Line(text, "CopyFiles=New.Files")) }.Order(),
            findings.Order());
    }

    [Fact]
    public void A_section_reached_from_both_an_old_and_a_new_decoration_is_reported()
    {
        var text = Head + Installs + """
            [Manufacturer]
            %Mfg%=Standard,NTamd64,NTamd64.10.0...16299

            [Standard.NTamd64]
            %Desc%=New_Install, Root\T

            [Standard.NTamd64.10.0...16299]
            %Desc%=New_Install, Root\T
            """;

        Assert.Equal(2, Findings(text).Count(f => f.Code == "INF1199"));
    }

    [Fact]
    public void Windows_picks_the_architectures_DDInstall_section_so_only_that_one_counts()
    {
        var text = Head + """
            [Manufacturer]
            %Mfg%=Standard,NTamd64,NTarm64.10.0...16299

            [Standard.NTamd64]
            %Desc%=Device_Install, Root\T

            [Standard.NTarm64.10.0...16299]
            %Desc%=Device_Install, Root\T

            [Device_Install.NTamd64]
            CopyFiles=Old.Files

            [Device_Install.NTarm64]
            CopyFiles=New.Files
            """;

        Assert.Empty(Findings(text));
        Assert.Single(Findings(text.Replace("NTarm64.10.0...16299", "NTarm64")), f => f.Code == "INF1199");
    }

    [Fact]
    public void A_percent_13_path_in_a_registry_section_counts_as_a_use()
    {
        var text = Head + """
            [Manufacturer]
            %Mfg%=Standard,NTamd64

            [Standard.NTamd64]
            %Desc%=Device_Install, Root\T

            [Device_Install.NT]
            CopyFiles=Old.Files
            AddReg=Device.Reg

            [Device.Reg]
            HKR,,Library,,%13%\t.dll
            """;

        Assert.Equal(new[] { ("INF1199", Line(text, "HKR,,Library,,%13%\\t.dll")) }, Findings(text).Where(f => f.Code == "INF1199"));
    }

    [Fact]
    public void DefaultInstall_sections_are_not_held_to_the_models_decoration()
    {
        // As Microsoft's samples CI passes with InfVerif /u: an undecorated [DefaultInstall.NTamd64] copying to DIRID 13.
        var text = Head + """
            [DefaultInstall.NTamd64]
            CopyFiles=New.Files

            [DefaultInstall.NTamd64.Services]
            AddService=T,,New.Service
            """;

        Assert.DoesNotContain(Findings(text), f => f.Code == "INF1199");
    }

    [Fact]
    public void The_finding_names_the_section_the_models_and_the_decoration_to_use()
    {
        var text = Head + Installs + """
            [Manufacturer]
            %Mfg%=Standard,NTamd64

            [Standard.NTamd64]
            %Desc%=New_Install, Root\T
            """;

        var finding = InfValidator.Validate(InfDocument.FromText("t.inf", text), new InfVerifOptions(Suppress: new[] { 2083 })).First();

        Assert.Contains("[New_Install.NT]", finding.Message);
        Assert.Contains("[Standard.NTamd64]", finding.Message);
        Assert.Contains("NT$ARCH$.10.0...16299", finding.Message);
    }
}
