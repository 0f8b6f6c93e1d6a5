using WdkDriver.Core.CompoundFiles;
using WdkDriver.Core.Installer;

namespace WdkDriver.Cli.Tests;

/// <summary><c>wdkdriver msi</c>: an installer made from a package folder, listed, extracted, signed and verified; msitools agrees.</summary>
public class MsiCommandTests : IDisposable
{
    internal const string Inf = "[Version]\r\nSignature=\"$WINDOWS NT$\"\r\nClass=System\r\nClassGuid={4D36E97D-E325-11CE-BFC1-08002BE10318}\r\nProvider=%P%\r\nDriverVer=11/30/2026,1.0.0.0\r\n\r\n" +
        "[DefaultInstall.NTamd64]\r\nCopyFiles=Files\r\n\r\n[DefaultInstall.NTamd64.Services]\r\nAddService=Hello,,Service\r\n\r\n[Files]\r\nhello.sys\r\n\r\n" +
        "[Service]\r\nServiceType=1\r\nStartType=3\r\nErrorControl=1\r\nServiceBinary=%12%\\hello.sys\r\n\r\n[Strings]\r\nP=\"Contoso\"\r\n";

    private readonly TempDirectory temp = new("cli-msi");

    public void Dispose() => temp.Dispose();

    /// <summary>
    /// The default upgrade code is a promise to every installer already shipped: it must not change, and the command
    /// derives it as the SDK does from PackageId (TaskTests pins the SDK's to the same value).
    /// </summary>
    [Fact]
    public void The_default_upgrade_code_is_the_SDKs_for_the_same_package_id()
    {
        temp.Write("pkg/driver/amd64/hello.inf", Inf);
        File.Copy(Path.Combine(RepositoryPaths.Samples, "PrebuiltDriver", "mingw", "hello.sys"), temp.Combine("pkg", "driver", "amd64", "hello.sys"));
        foreach (var (name, options) in new[] { ("a.msi", new[] { "--product", "Hello Driver", "--package-id", "Contoso.Hello" }), ("b.msi", new[] { "--product", "Contoso.Hello" }) })
        {
            var result = Wdkdriver.Run(new[] { "msi", "create", temp.Combine("pkg"), "-o", temp.Combine(name), "--manufacturer", "Contoso", "--version", "1.0.0" }.Concat(options).ToArray());
            Assert.True(result.ExitCode == 0, result.ToString());
            var upgrade = InstallerDatabaseReader.Read(temp.Combine(name)).Table("Property")!.Rows.Single(r => (string?)r[0] == "UpgradeCode")[1];
            Assert.Equal("{797DA26A-6179-55F8-AEC8-0BB493BB4CCC}", upgrade);
        }
    }

    [MsitoolsFact]
    public void Create_list_extract_sign_and_verify_an_installer_and_msitools_agrees()
    {
        var sample = Path.Combine(RepositoryPaths.Samples, "PrebuiltDriver", "mingw");
        temp.Write("pkg/driver/amd64/hello.inf", Inf);
        File.Copy(Path.Combine(sample, "hello.sys"), temp.Combine("pkg", "driver", "amd64", "hello.sys"));
        temp.Write("pkg/client/amd64/hello-client.exe", "stands in for the client");
        var msi = temp.Combine("Hello.msi");

        var created = Wdkdriver.Run("msi", "create", temp.Combine("pkg"), "-o", msi, "--manufacturer", "Contoso", "--product", "Hello", "--version", "1.2.3-beta", "--add-to-path");
        var list = Wdkdriver.Run("msi", "list", msi);
        var tables = Wdkdriver.Run("msi", "list", msi, "--tables");
        var extracted = Wdkdriver.Run("msi", "extract", msi, "-o", temp.Combine("out"));

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(
            new[] { "ProgramFiles64Folder/Contoso/Hello/driver/hello.inf\t" + Inf.Length, $"ProgramFiles64Folder/Contoso/Hello/driver/hello.sys\t{new FileInfo(temp.Combine("pkg", "driver", "amd64", "hello.sys")).Length}", "ProgramFiles64Folder/Contoso/Hello/hello-client.exe\t24" },
            list.Output.Trim().Split('\n').Order(StringComparer.Ordinal));
        // The install location; stop, delete, store removal and their partners; install, start and theirs.
        Assert.Contains("CustomAction\t10", tables.Output);
        Assert.True(extracted.ExitCode == 0, extracted.ToString());
        Assert.Equal(File.ReadAllBytes(temp.Combine("pkg", "driver", "amd64", "hello.sys")), File.ReadAllBytes(temp.Combine("out", "ProgramFiles64Folder", "Contoso", "Hello", "driver", "hello.sys")));
        var (code, output) = ToolProcess.Run(temp.Path, "msiinfo", new[] { "export", msi, "Property" });
        Assert.True(code == 0, output);
        Assert.Contains("ProductVersion\t1.2.3", output);

        Assert.Equal(0, Wdkdriver.Run("cert", "new", "--subject", "CN=Msi Signer", "-o", temp.Combine("cert")).ExitCode);
        var signed = Wdkdriver.Run("sign", msi, "--test-cert", temp.Combine("cert"));
        var verified = Wdkdriver.Run("verify", msi, "--trusted-cert", temp.Combine("cert", "Msi Signer.cer"));
        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Contains($"{msi}: valid", verified.Output);

        // Signed with the per-user test certificate and verified without trusting it: the message says where its .cer
        // is, as the installer does not hold it.
        var profile = new Dictionary<string, string> { ["XDG_DATA_HOME"] = temp.Combine("profile") };
        Assert.Equal(0, Wdkdriver.RunIn(profile, "sign", msi, "--test").ExitCode);
        var untrusted = Wdkdriver.RunIn(profile, "verify", msi);
        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains("It is the SDK's test certificate: its .cer is WdkDriverTestCert.cer at the top of the driver package the file came with (the .nupkg, the .zip or the package folder; an installer holds none)", untrusted.Output + untrusted.Error);
        Assert.Contains(temp.Combine("profile", "WdkDriver", "WdkDriverTestCert.cer"), untrusted.Output + untrusted.Error);
    }

    [Fact]
    public void A_package_with_two_architectures_needs_arch_and_a_missing_folder_is_coded()
    {
        temp.Write("pkg/driver/amd64/hello.inf", Inf);
        temp.Write("pkg/driver/arm64/hello.inf", Inf.Replace("amd64", "arm64"));

        var both = Wdkdriver.Run("msi", "create", temp.Combine("pkg"), "-o", temp.Combine("x.msi"), "--manufacturer", "Contoso", "--product", "Hello", "--version", "1.0.0");
        var arm64 = Wdkdriver.Run("msi", "create", temp.Combine("pkg"), "-o", temp.Combine("x.msi"), "--manufacturer", "Contoso", "--product", "Hello", "--version", "1.0.0", "--arch", "arm64");
        var missing = Wdkdriver.Run("msi", "create", temp.Combine("nowhere"), "-o", temp.Combine("y.msi"), "--manufacturer", "Contoso", "--product", "Hello", "--version", "1.0.0");

        Assert.Equal(1, both.ExitCode);
        Assert.Contains("error WDK5050: ", both.Error);
        Assert.Contains("has drivers for amd64 and arm64: choose one with --arch.", both.Error);
        Assert.True(arm64.ExitCode == 0, arm64.ToString());
        // The summary's Template says the platform.
        Assert.Contains("Arm64;1033", System.Text.Encoding.Latin1.GetString(CompoundFile.Read(temp.Combine("x.msi")).Streams.Single(s => s.Name == SummaryInformation.StreamName).Data));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("error WDK5051: ", missing.Error);
        Assert.False(File.Exists(temp.Combine("y.msi")));
    }

    [Fact]
    public void An_installer_that_puts_a_file_outside_the_target_extracts_nothing()
    {
        // A hand-made database whose only file is named "..": every table valid, the place hostile.
        var cab = temp.Write("cab/F", "payload");
        var cabinet = new MemoryStream();
        Core.Cabinets.CabinetWriter.Write(cabinet, new[] { new Core.Cabinets.CabinetSource("F", cab) }, Core.Cabinets.CabinetCompression.None, new DateTime(2026, 1, 1));
        var msi = temp.Combine("evil.msi");
        File.WriteAllBytes(msi, InstallerDatabase.Write(
            new[]
            {
                new InstallerTable("Directory", StandardTables.Directory, new[] { new object?[] { "TARGETDIR", null, "SourceDir" }, new object?[] { "UP", "TARGETDIR", ".." } }),
                new InstallerTable("Component", StandardTables.Component, new[] { new object?[] { "C", "{11111111-1111-1111-1111-111111111111}", "UP", 0, null, "F" } }),
                new InstallerTable("File", StandardTables.File, new[] { new object?[] { "F", "C", "evil.txt", 7, null, null, 0, 1 } }),
                new InstallerTable("Media", StandardTables.Media, new[] { new object?[] { 1, 1, null, "#cab1.cab", null, null } }),
            },
            new[] { new CompoundFileStream(InstallerStreamName.Encode("cab1.cab"), cabinet.ToArray()) },
            new SummaryInformation("Evil", "Evil", "x64;1033", Guid.Empty, DateTimeOffset.UnixEpoch)));

        var result = Wdkdriver.Run("msi", "extract", msi, "-o", temp.Combine("out", "inner"));
        var bogus = Wdkdriver.Run("msi", "list", temp.Write("bogus.msi", "not an installer"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{msi}: error WDK5025: The installer puts a file at '../evil.txt'", result.Error);
        Assert.False(File.Exists(temp.Combine("out", "evil.txt")));
        Assert.Equal(1, bogus.ExitCode);
        Assert.Contains("error WDK5041:", bogus.Error);
    }
}
