using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.CompoundFiles;
using WdkDriver.Core.Installer;

namespace WdkDriver.Core.Tests.Installer;

/// <summary>
/// The installer database this project writes, read by msitools (<c>msiinfo</c>, Debian's): the tables and rows meant,
/// the binary stream, the summary information; stream names encoded as Windows Installer encodes them.
/// </summary>
public sealed class InstallerDatabaseTests : IDisposable
{
    private readonly TempDirectory temp = new("msi-db");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("_Tables", "\u4840\u3F7F\u4164\u422F\u4836")]
    [InlineData("cab1.cab", "\u4126\u3865\u41BE\u4164")]
    public void Stream_names_are_encoded_as_Windows_Installer_encodes_them(string name, string encoded)
    {
        // The doc's examples, checked against wixl's output there.
        Assert.Equal(encoded, name == "_Tables" ? InstallerStreamName.Table(name) : InstallerStreamName.Encode(name));
        Assert.Equal((name, name == "_Tables"), InstallerStreamName.Decode(encoded));
    }

    private static byte[] Database() =>
        InstallerDatabase.Write(
            new[]
            {
                new InstallerTable("Property", new[] { InstallerColumn.S("Property", 72, key: true), InstallerColumn.L("Value", 0) }, new[]
                {
                    new object?[] { "ProductName", "Ping Driver" },
                    new object?[] { "Manufacturer", "Contoso" },
                    new object?[] { "ProductVersion", "1.2.3" },
                    new object?[] { "ALLUSERS", "1" },
                }),
                new InstallerTable("Directory", new[] { InstallerColumn.S("Directory", 72, key: true), InstallerColumn.SNull("Directory_Parent", 72), InstallerColumn.L("DefaultDir", 255) }, new[]
                {
                    new object?[] { "TARGETDIR", null, "SourceDir" },
                    new object?[] { "ProgramFiles64Folder", "TARGETDIR", "." },
                }),
                new InstallerTable("Media", new[] { InstallerColumn.I2("DiskId", key: true), InstallerColumn.I2("LastSequence"), InstallerColumn.L("DiskPrompt", 64, nullable: true), InstallerColumn.SNull("Cabinet", 255), InstallerColumn.SNull("VolumeLabel", 32), InstallerColumn.SNull("Source", 72) }, new[]
                {
                    new object?[] { 1, 3, null, "#cab1.cab", null, null },
                }),
                new InstallerTable("Binary", new[] { InstallerColumn.S("Name", 72, key: true), InstallerColumn.V("Data") }, new[]
                {
                    new object?[] { "Recorder", new byte[] { 1, 2, 3, 4, 5 } },
                }),
                new InstallerTable("Upgrade", new[] { InstallerColumn.S("UpgradeCode", 38, key: true), InstallerColumn.SNull("VersionMin", 20), InstallerColumn.SNull("VersionMax", 20), InstallerColumn.SNull("Language", 255), InstallerColumn.I4("Attributes"), InstallerColumn.SNull("Remove", 255), InstallerColumn.S("ActionProperty", 72) }, Array.Empty<object?[]>()),
            },
            new[] { new CompoundFileStream(InstallerStreamName.Encode("cab1.cab"), new byte[] { 0x4D, 0x53, 0x43, 0x46 }) },
            new SummaryInformation("Ping Driver", "Contoso", "x64;1033", new Guid("12345678-9ABC-DEF0-1234-56789ABCDEF0"), new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)));

    [MsitoolsFact]
    public void Msiinfo_lists_the_tables_and_exports_the_rows_and_summary_that_were_meant()
    {
        var msi = temp.Combine("ping.msi");
        File.WriteAllBytes(msi, Database());

        var tables = ToolProcess.Run(temp.Path, "msiinfo", new[] { "tables", msi });
        var property = ToolProcess.Run(temp.Path, "msiinfo", new[] { "export", msi, "Property" });
        var directory = ToolProcess.Run(temp.Path, "msiinfo", new[] { "export", msi, "Directory" });
        var media = ToolProcess.Run(temp.Path, "msiinfo", new[] { "export", msi, "Media" });
        var streams = ToolProcess.Run(temp.Path, "msiinfo", new[] { "streams", msi });
        var summary = ToolProcess.Run(temp.Path, "msiinfo", new[] { "suminfo", msi });

        Assert.True(tables.ExitCode == 0, tables.Output);
        // msiinfo lists the virtual tables too.
        Assert.Equal(new[] { "Binary", "Directory", "Media", "Property", "Upgrade", "_ForceCodepage", "_SummaryInformation" }, tables.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
        Assert.True(property.ExitCode == 0, property.Output);
        Assert.Equal(new[] { "ALLUSERS\t1", "Manufacturer\tContoso", "ProductName\tPing Driver", "ProductVersion\t1.2.3" }, Rows(property.Output));
        Assert.StartsWith("Property\tValue\ns72\tl0\nProperty\tProperty", property.Output.Replace("\r\n", "\n"));
        Assert.Equal(new[] { "ProgramFiles64Folder\tTARGETDIR\t.", "TARGETDIR\t\tSourceDir" }, Rows(directory.Output));
        Assert.Equal(new[] { "1\t3\t\t#cab1.cab\t\t" }, Rows(media.Output));
        Assert.Contains("Binary.Recorder", streams.Output);
        Assert.Contains("cab1.cab", streams.Output);
        Assert.True(summary.ExitCode == 0, summary.Output);
        Assert.Contains("Template: x64;1033", summary.Output);
        Assert.Contains("Revision number (UUID): {12345678-9ABC-DEF0-1234-56789ABCDEF0}", summary.Output);
        Assert.Contains("Author: Contoso", summary.Output);
    }

    [MsitoolsFact]
    public void A_string_of_64_KiB_and_more_is_read_as_msitools_writes_it_and_written_as_msitools_reads_it()
    {
        var value = new string('x', 70000) + "!";
        temp.Write("Property.idt", $"Property\tValue\ns72\tl0\nProperty\tProperty\nAfter\tafter\nLong\t{value}\nShort\tabc\n");
        var theirs = temp.Combine("theirs.msi");
        ToolProcess.Succeed(temp.Path, "msibuild", theirs, "-i", temp.Combine("Property.idt"));

        var read = InstallerDatabaseReader.Read(theirs).Table("Property")!.Rows.ToDictionary(r => (string)r[0]!, r => (string?)r[1]);
        Assert.Equal(value, read["Long"]);
        Assert.Equal("abc", read["Short"]);
        Assert.Equal("after", read["After"]);

        var ours = temp.Combine("ours.msi");
        File.WriteAllBytes(ours, InstallerDatabase.Write(
            new[] { new InstallerTable("Property", new[] { InstallerColumn.S("Property", 72, key: true), InstallerColumn.L("Value", 0) }, new[] { new object?[] { "After", "after" }, new object?[] { "Long", value }, new object?[] { "Short", "abc" } }) },
            Array.Empty<CompoundFileStream>(),
            new SummaryInformation("Long", "Contoso", "x64;1033", Guid.Empty, new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero))));
        var exported = ToolProcess.Run(temp.Path, "msiinfo", new[] { "export", ours, "Property" });
        Assert.True(exported.ExitCode == 0, exported.Output);
        Assert.Equal(new[] { "After\tafter", "Long\t" + value, "Short\tabc" }, Rows(exported.Output));
    }

    [Fact]
    public void A_sound_compound_file_holding_a_broken_database_is_the_installers_WDK5055()
    {
        var broken = CompoundFileWriter.Write(new[] { new CompoundFileStream(InstallerStreamName.Table("_StringPool"), new byte[] { 0xE4, 0x04, 0x00 }) }, InstallerDatabase.ClassId);

        var error = Assert.Throws<WdkException>(() => InstallerDatabaseReader.Read(CompoundFile.Read(broken, "broken.msi"), "broken.msi"));

        Assert.Equal("WDK5055", error.Diagnostic.Code);
        Assert.Contains("its string pool is not whole 4-byte slots", error.Message);
    }

    [Fact]
    public void The_same_database_is_the_same_bytes()
    {
        Assert.Equal(Database(), Database());
    }

    /// <summary>The rows of an IDT export (after its three header lines), sorted.</summary>
    private static string[] Rows(string idt) =>
        idt.Replace("\r\n", "\n").Split('\n').Skip(3).Where(l => l.Length > 0).Order(StringComparer.Ordinal).ToArray();
}
