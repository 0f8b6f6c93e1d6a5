using WdkDriver.Core.Catalogs;

namespace WdkDriver.Core.Tests.Catalogs;

/// <summary>osslsigncode, which knows nothing of this project, signs our catalogs and checks files against them.</summary>
public class CatalogOracleTests : IDisposable
{
    private const string Inf = """
        [Version]
        Signature="$WINDOWS NT$"
        Class=System
        ClassGuid={4D36E97D-E325-11CE-BFC1-08002BE10318}
        Provider=%Provider%
        DriverVer=01/02/2025,1.0.0.0
        CatalogFile=oracle.cat
        PnpLockdown=1

        [DestinationDirs]
        DefaultDestDir = 13

        [SourceDisksNames]
        1 = %Disk%,,,""

        [SourceDisksFiles]
        tool.exe = 1

        [DefaultInstall.NTamd64]
        CopyFiles = Files

        [Files]
        tool.exe

        [Strings]
        Provider = "Contoso"
        Disk = "Disk"
        """;

    private readonly TempDirectory temp = new("cat-oracle");

    public void Dispose() => temp.Dispose();

    [OsslsigncodeTheory]
    [InlineData(1)]
    [InlineData(2)]
    public void Osslsigncode_signs_our_catalog_and_accepts_the_file_against_it_but_not_a_tampered_copy(int version)
    {
        temp.Write("package/oracle.inf", Inf);
        File.Copy(Path.Combine(RepositoryPaths.Corpus, "catalogs", "osslsigncode-makecat", "tests", "files", "unsigned.exe"), temp.Combine("package", "tool.exe"));
        CatalogBuilder.Create(CatalogContents.FolderFiles(temp.Combine("package")), temp.Combine("unsigned.cat"), false, new CatalogOptions("10_X64", version), DateTimeOffset.UtcNow);
        ToolProcess.Succeed(temp.Path, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "test.key", "-out", "test.crt", "-days", "30", "-sha256", "-subj", "/CN=WdkDriver test");
        ToolProcess.Succeed(temp.Path, "osslsigncode", "sign", "-certs", "test.crt", "-key", "test.key", "-h", "sha256", "-in", "unsigned.cat", "-out", "signed.cat");

        ToolProcess.Succeed(temp.Path, "osslsigncode", "verify", "-catalog", "signed.cat", "-CAfile", "test.crt", "-in", temp.Combine("package", "tool.exe"));

        var tampered = File.ReadAllBytes(temp.Combine("package", "tool.exe"));
        tampered[0x1000] ^= 0x01;
        File.WriteAllBytes(temp.Combine("tampered.exe"), tampered);
        Assert.NotEqual(0, ToolProcess.Run(temp.Path, "osslsigncode", new[] { "verify", "-catalog", "signed.cat", "-CAfile", "test.crt", "-in", temp.Combine("tampered.exe") }).ExitCode);
        Assert.Equal(version, CatalogReader.Read(temp.Combine("signed.cat")).Version);
    }
}
