using System.Security.Cryptography;
using WdkDriver.Core.Authenticode;
using WdkDriver.Core.Catalogs;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Tests.Catalogs;

public class CatalogBuilderTests : IDisposable
{
    private const string Inf = """
        [Version]
        Signature="$WINDOWS NT$"
        Class=System
        ClassGuid={4D36E97D-E325-11CE-BFC1-08002BE10318}
        Provider="Contoso"
        DriverVer=01/02/2025,1.0.0.0
        CatalogFile=one.cat

        [Manufacturer]
        "Contoso"=Models,NTamd64,NTarm64

        [Models.NTamd64]
        "Device"=Install,ROOT\One,PCI\VEN_1234
        [Models.NTarm64]
        "Device"=Install,Root\ONE

        [SourceDisksNames]
        1 = "Disk",,,""
        2 = "Disk",,,"bin"

        [SourceDisksFiles]
        one.sys = 1
        [SourceDisksFiles.arm64]
        helper_arm64.dll = 2,sub

        [Files]
        helper.dll, helper_arm64.dll
        """;

    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory temp = new("catalog");

    public void Dispose() => temp.Dispose();

    private IReadOnlyDictionary<string, string> Package(string inf = Inf)
    {
        temp.Write("pkg/one.inf", inf);
        temp.Write("pkg/one.sys", "not a PE, hashed flat");
        temp.Write("pkg/bin/sub/helper_arm64.dll", "arm64 helper");
        temp.Write("pkg/readme.txt", "not referenced");
        return CatalogContents.FolderFiles(temp.Combine("pkg"));
    }

    [Fact]
    public void Members_are_the_INF_and_the_files_it_copies_for_the_targets_under_their_installed_names()
    {
        var files = Package();

        var x64 = CatalogContents.Resolve(files, OsTarget.ParseList("10_X64"), Now.UtcDateTime);
        var both = CatalogContents.Resolve(files, OsTarget.ParseList("10_X64,Server10_ARM64"), Now.UtcDateTime);

        Assert.Equal(new[] { "one.inf", "one.sys" }, x64.Files.Select(f => f.Name));
        Assert.Equal(new[] { "one.inf", "one.sys", "helper.dll" }, both.Files.Select(f => f.Name));
        Assert.Equal(temp.Combine("pkg", "bin", "sub", "helper_arm64.dll"), both.Files[2].Path);
        Assert.Equal(new[] { "root\\one", "pci\\ven_1234" }, both.HardwareIds);
    }

    [Fact]
    public void The_same_package_gives_the_same_bytes_and_v2_is_the_default_for_Windows_10()
    {
        var files = Package();
        var options = new CatalogOptions("10_X64", Time: Now);

        var first = CatalogBuilder.Build(files, options, DateTimeOffset.UtcNow);
        var second = CatalogBuilder.Build(files, options, DateTimeOffset.UtcNow.AddHours(1));

        Assert.Equal(first, second);
        Assert.Equal(2, CatalogReader.Read(first, "x.cat").Version);
        Assert.Equal(1, CatalogReader.Read(CatalogBuilder.Build(files, options with { OsList = "8_X64,10_X64" }, Now), "x.cat").Version);
        Assert.Equal(new[] { "2:6.2,2:10.0" }, CatalogReader.Read(CatalogBuilder.Build(files, options with { OsList = "10_X64,8_X64" }, Now), "x.cat").Members.Select(m => m.NameValues["OSAttr"]).Distinct());
    }

    [Fact]
    public void Hashing_on_one_core_or_on_all_gives_the_same_catalog_as_hashing_each_member_alone()
    {
        var files = CatalogContents.FolderFiles(Path.Combine(RepositoryPaths.Corpus, "catalogs", "px4_drv"));
        var options = new CatalogOptions("10_X64,Server10_ARM64", Time: Now);
        var contents = CatalogContents.Resolve(files, OsTarget.ParseList(options.OsList), Now.UtcDateTime);

        var parallel = CatalogBuilder.Build(files, options, Now);
        var sequential = CatalogBuilder.Build(files, options with { MaxParallelism = 1 }, Now);
        // Without precomputed digests the writer hashes the members itself.
        var listIdentifier = CatalogWriter.DeriveListIdentifier(contents.Files, OsTarget.ParseList(options.OsList), contents.HardwareIds, 2, CatalogDigests.ComputeAll(contents.Files, 1));
        var alone = CatalogWriter.Write(new CatalogRequest(contents.Files, OsTarget.ParseList(options.OsList), contents.HardwareIds, listIdentifier, Now, 2));

        Assert.True(contents.Files.Count > 5);
        Assert.Equal(sequential, parallel);
        Assert.Equal(alone, parallel);
    }

    [Fact]
    public void A_copied_file_missing_from_the_package_is_WDK3005_at_its_INF_line_and_no_catalog_is_written()
    {
        var files = Package();
        File.Delete(temp.Combine("pkg", "one.sys"));

        var error = Assert.Throws<WdkException>(() => CatalogBuilder.Create(CatalogContents.FolderFiles(temp.Combine("pkg")), temp.Combine("out.cat"), false, new CatalogOptions("10_X64"), Now));

        Assert.Equal("WDK3005", error.Diagnostic.Code);
        Assert.Equal(temp.Combine("pkg", "one.inf"), error.Diagnostic.File);
        Assert.Equal(Inf.Split('\n').ToList().FindIndex(l => l.StartsWith("one.sys")) + 1, error.Diagnostic.Line);
        // It says how to add the file, in a project and by hand.
        Assert.Contains("a DriverPackageFile item with PackagePath 'one.sys'", error.Diagnostic.Message);
        Assert.False(File.Exists(temp.Combine("out.cat")));
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Theory]
    [InlineData("DriverVer=01/02/2025,1.0.0.0", "DriverVer=01/02/2027,1.0.0.0")]
    [InlineData("DriverVer=01/02/2025,1.0.0.0", "DriverVer=")]
    [InlineData("DriverVer=01/02/2025,1.0.0.0", "DriverVer=01/02/2025,1.0.0.99999")]
    public void A_DriverVer_that_is_missing_malformed_or_in_the_future_is_WDK3006(string find, string replace)
    {
        var files = Package(Inf.Replace(find, replace));

        var error = Assert.Throws<WdkException>(() => CatalogBuilder.Build(files, new CatalogOptions("10_X64"), Now));

        Assert.Equal("WDK3006", error.Diagnostic.Code);
        Assert.Equal(6, error.Diagnostic.Line);
    }

    [Fact]
    public void An_unknown_OS_id_is_WDK3004_listing_the_valid_ones()
    {
        var error = Assert.Throws<WdkException>(() => OsTarget.ParseList("10_X64,10_ARM64"));

        Assert.Equal("WDK3004", error.Diagnostic.Code);
        Assert.Contains("'10_ARM64'", error.Diagnostic.Message);
        Assert.Contains("Server10_ARM64", error.Diagnostic.Message);
    }

    [Theory]
    [InlineData("10_GE_X64", "amd64", "_v100_X64_24H2")]
    [InlineData("10_vb_arm64", "arm64", "_v100_ARM64_Vb")]
    [InlineData("10_RS5_X86", "x86", "_v100_RS5")]
    [InlineData("ServerFE_X64", "amd64", "Server_v100_X64_21H2")]
    public void OS_ids_map_to_architecture_and_catalog_token(string id, string architecture, string token)
    {
        var target = Assert.Single(OsTarget.ParseList(id));

        Assert.Equal((architecture, "10.0", token), (target.Architecture, target.NtVersion, target.Token));
    }

    [Fact]
    public void INFs_naming_different_catalogs_need_a_folder_and_then_get_one_catalog_each()
    {
        Package();
        temp.Write("pkg/two.inf", Inf.Replace("CatalogFile=one.cat", "CatalogFile=two.cat"));
        var files = CatalogContents.FolderFiles(temp.Combine("pkg"));
        Directory.CreateDirectory(temp.Combine("out"));

        Assert.Equal("WDK3011", Assert.Throws<WdkException>(() => CatalogBuilder.Create(files, temp.Combine("x.cat"), false, new CatalogOptions("10_X64"), Now)).Diagnostic.Code);
        var written = CatalogBuilder.Create(files, temp.Combine("out"), true, new CatalogOptions("10_X64"), Now);

        Assert.Equal(new[] { "one.cat", "two.cat" }, written.Select(Path.GetFileName).Order());
        Assert.Contains(CatalogReader.Read(temp.Combine("out", "two.cat")).Members, m => m.FileName == "two.inf");
        Assert.DoesNotContain(CatalogReader.Read(temp.Combine("out", "two.cat")).Members, m => m.FileName == "one.inf");
    }

    [Fact]
    public void A_file_that_vanishes_before_it_is_hashed_is_WDK3002()
    {
        var error = Assert.Throws<WdkException>(() => FileDigest.Compute(temp.Combine("gone.sys"), HashAlgorithmName.SHA256));

        Assert.Equal("WDK3002", error.Diagnostic.Code);
    }
}
