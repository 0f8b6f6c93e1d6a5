using System.Globalization;
using System.Text.RegularExpressions;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Images;

namespace WdkDriver.Core.Tests.Images;

/// <summary>
/// Images and PDBs linked by lld-link for x64 and ARM64, read by this project and by LLVM's llvm-readobj and
/// llvm-pdbutil: the same identities, the same symbol store keys, a stale PDB told apart, memory integrity's rules.
/// </summary>
public sealed class SymbolTests : IDisposable
{
    private readonly TempDirectory temp = new("symbols");

    public void Dispose() => temp.Dispose();

    [LlvmTheory]
    [InlineData("x64", 0x8664)]
    [InlineData("arm64", 0xAA64)]
    public void Image_and_PDB_identities_are_what_LLVM_reads(string machine, int machineCode)
    {
        var (image, pdb) = LldDriver.Link(temp.Combine(machine), "contoso", machine);
        var readobj = LlvmReading.Run("llvm-readobj", "--file-headers", "--coff-debug-directory", image);

        var headers = PeHeaders.TryRead(image)!;
        var record = headers.CodeView(image)!;
        Assert.Equal(machineCode, headers.Machine);
        Assert.Equal(1, headers.Subsystem);
        Assert.Equal(LlvmReading.Hex(readobj, @"TimeDateStamp: .*\(0x([0-9A-F]+)\)"), headers.TimeDateStamp);
        Assert.Equal(uint.Parse(LlvmReading.Match(readobj, @"SizeOfImage: (\d+)"), CultureInfo.InvariantCulture), headers.SizeOfImage);
        // llvm-readobj prints the RSDS record's 16 bytes as stored; llvm-pdbutil the PDB's GUID in its usual form.
        Assert.Equal(LlvmReading.Match(readobj, @"PDBGUID: \(([0-9A-F ]+)\)").Replace(" ", string.Empty), Convert.ToHexString(record.Guid.ToByteArray()));
        Assert.Equal(LlvmReading.Match(readobj, @"PDBAge: (\d+)"), record.Age.ToString(CultureInfo.InvariantCulture));
        Assert.EndsWith("contoso.pdb", record.PdbPath, StringComparison.Ordinal);
        var database = ProgramDatabase.Read(pdb);
        Assert.Equal(LlvmReading.PdbIdentity(pdb), (database.Guid, (int)database.Age));
        Assert.Empty(ProgramDatabase.CheckPair(image, pdb));
        Assert.Empty(MemoryIntegrity.Check(image));
    }

    [LlvmFact]
    public void A_PDB_from_another_build_is_stale_at_the_PDB_and_an_image_linked_without_debug_information_has_none()
    {
        var (image, _) = LldDriver.Link(temp.Combine("new"), "contoso", message: "new");
        var (_, oldPdb) = LldDriver.Link(temp.Combine("old"), "contoso", message: "old");

        var finding = Assert.Single(ProgramDatabase.CheckPair(image, oldPdb));
        Assert.Equal(ErrorCodes.SymbolsStale, finding.Code);
        Assert.Equal(oldPdb, finding.File);
        Assert.Contains("contoso.pdb (", finding.Message);
        Assert.Contains("is not the PDB of contoso.sys, which was linked with PDB ", finding.Message);

        var (bare, _) = LldDriver.Link(temp.Combine("bare"), "bare", "x64", "bare", "/DEBUG:NONE");
        Assert.Null(PeHeaders.TryRead(bare)!.CodeView(bare));
        Assert.Contains("names no PDB", Assert.Single(ProgramDatabase.CheckPair(bare, oldPdb)).Message);

        // A package's verification finds it beside its image, whatever folder each came from.
        var verified = WdkDriver.Core.Verification.PackageVerifier.VerifyPackage(new Dictionary<string, string> { ["driver/amd64/contoso.sys"] = image, ["driver/amd64/contoso.pdb"] = oldPdb }, new WdkDriver.Core.Verification.TrustOptions(Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>()));
        Assert.Contains(verified, f => f.Code == ErrorCodes.SymbolsStale && f.File == oldPdb);
        var matching = WdkDriver.Core.Verification.PackageVerifier.VerifyPackage(new Dictionary<string, string> { ["driver/amd64/contoso.sys"] = image, ["driver/amd64/contoso.pdb"] = Path.ChangeExtension(image, ".pdb") }, new WdkDriver.Core.Verification.TrustOptions(Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>()));
        Assert.DoesNotContain(matching, f => f.Code == ErrorCodes.SymbolsStale);

        var notPdb = temp.Write("contoso-notes.pdb", "not a program database");
        Assert.Equal(ErrorCodes.ImageUnreadable, Assert.Throws<WdkException>(() => ProgramDatabase.Read(notPdb)).Diagnostic.Code);
    }

    [LlvmFact]
    public void A_writable_and_executable_section_and_sections_off_page_boundaries_break_memory_integrity()
    {
        var (wx, _) = LldDriver.Link(temp.Combine("wx"), "wx", "x64", "wx", "/SECTION:.text,RWE");
        Assert.Contains("IMAGE_SCN_MEM_WRITE", Sections(wx, ".text"));
        var writable = Assert.Single(MemoryIntegrity.Check(wx));
        Assert.Equal(ErrorCodes.WritableExecutableSection, writable.Code);
        Assert.Equal(wx, writable.File);
        Assert.Contains("section '.text' is both writable and executable", writable.Message);

        // A package's verification (the SDK's VerifyDriverPackage, wdkdriver verify) reports it at the image.
        var verified = WdkDriver.Core.Verification.PackageVerifier.VerifyPackage(new Dictionary<string, string> { ["wx.sys"] = wx }, new WdkDriver.Core.Verification.TrustOptions(Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>()));
        Assert.Contains(verified, f => f.Code == ErrorCodes.WritableExecutableSection && f.File == wx);

        var (packed, _) = LldDriver.Link(temp.Combine("packed"), "packed", "x64", "packed", "/ALIGN:512", "/FILEALIGN:512");
        Assert.Contains("SectionAlignment: 512", LlvmReading.Run("llvm-readobj", "--file-headers", packed));
        Assert.Equal(ErrorCodes.SectionsNotPageAligned, Assert.Single(MemoryIntegrity.Check(packed)).Code);
    }

    [Fact]
    public void A_Windows_7_driver_of_Microsoft_s_has_the_writable_and_executable_INIT_section_memory_integrity_refuses()
    {
        // pciide.sys of July 2009, from before memory integrity: its INIT section (discardable code run once at load)
        // is writable and executable, as linkers then made it; today's WDK makes it read-only.
        var pciide = Path.Combine(RepositoryPaths.Corpus, "catalogs", "signify", "pciide.sys");

        var finding = Assert.Single(MemoryIntegrity.Check(pciide));
        Assert.Equal(ErrorCodes.WritableExecutableSection, finding.Code);
        Assert.Contains("section 'INIT' is both writable and executable", finding.Message);
        Assert.EndsWith("pciide.pdb", PeHeaders.TryRead(pciide)!.CodeView(pciide)!.PdbPath, StringComparison.OrdinalIgnoreCase);
        // Not an image, or a user-mode one: nothing to check.
        Assert.Empty(MemoryIntegrity.Check(Path.Combine(RepositoryPaths.Corpus, "catalogs", "signify", "oem89.cat")));
        Assert.Empty(MemoryIntegrity.Check(Path.Combine(RepositoryPaths.Samples, "PrebuiltDriver", "mingw", "hello-client.exe")));
        // The drivers of today meet it: the Mullvad driver Microsoft attested in 2022, and the sample's mingw-built one.
        Assert.Empty(MemoryIntegrity.Check(Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel", "mullvad-split-tunnel.sys")));
        Assert.Empty(MemoryIntegrity.Check(Path.Combine(RepositoryPaths.Samples, "PrebuiltDriver", "mingw", "hello.sys")));
    }

    [LlvmFact]
    public void A_symbol_store_files_images_and_PDBs_under_the_keys_LLVM_reads_them_by()
    {
        var (image, pdb) = LldDriver.Link(temp.Combine("build"), "contoso");
        var store = temp.Combine("store");

        var written = SymbolStore.Add(new[] { image, pdb }, store);

        Assert.Equal(new[] { Path.Combine(store, "contoso.sys", LlvmReading.ImageKey(image), "contoso.sys"), Path.Combine(store, "contoso.pdb", LlvmReading.PdbKey(pdb), "contoso.pdb") }, written);
        Assert.Equal(File.ReadAllBytes(image), File.ReadAllBytes(written[0]));
        Assert.Equal(File.ReadAllBytes(pdb), File.ReadAllBytes(written[1]));

        // Adding again changes nothing; a text file is no symbol.
        SymbolStore.Add(new[] { image, pdb }, store);
        Assert.Equal(2, Directory.GetFiles(store, "*", SearchOption.AllDirectories).Length);
        Assert.Equal(ErrorCodes.ImageUnreadable, Assert.Throws<WdkException>(() => SymbolStore.Add(new[] { temp.Write("readme.txt", "hello") }, store)).Diagnostic.Code);
    }

    private static string Sections(string image, string name) =>
        Regex.Match(LlvmReading.Run("llvm-readobj", "--sections", image), $@"Name: {Regex.Escape(name)} .*?\}}", RegexOptions.Singleline).Value;
}
