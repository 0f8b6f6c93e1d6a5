using WdkDriver.Core.CompoundFiles;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.DriverInstall;
using WdkDriver.Core.Installer;

namespace WdkDriver.Core.Tests.DriverInstall;

/// <summary>
/// The installer made from a driver package, read by msitools (Debian's msiinfo and msiextract, not ours): the tables
/// and rows meant, the summary, every file extracted byte for byte; the same input gives the same bytes.
/// </summary>
public sealed class DriverInstallerTests : IDisposable
{
    private readonly TempDirectory temp = new("msi-driver");

    public void Dispose() => temp.Dispose();

    [MsitoolsFact]
    public void Msitools_reads_the_tables_summary_and_files_that_were_meant()
    {
        var package = HelloPackage.Create(temp.Combine("package"));
        var license = temp.Write("LICENSE.txt", "Permission is granted.\n");
        var msi = temp.Combine("hello.msi");
        DriverInstallerBuilder.Write(msi, package, HelloPackage.Settings(license: license));

        var tables = Msiinfo("tables", msi);
        Assert.Equal(
            new[] { "Component", "CustomAction", "Directory", "Environment", "Feature", "FeatureComponents", "File", "InstallExecuteSequence", "InstallUISequence", "LaunchCondition", "Media", "Property", "Upgrade", "_ForceCodepage", "_SummaryInformation", "_Validation" },
            Lines(tables).Order(StringComparer.Ordinal));

        var files = Rows(Msiinfo("export", msi, "File"));
        Assert.Equal(4, files.Length);
        Assert.Contains(files, r => r.StartsWith("_hello_client_exe\t_hello_client_exe\tHELL", StringComparison.Ordinal) && r.Contains("|hello-client.exe\t"));
        Assert.Contains(files, r => r.StartsWith("_driver_hello_inf\t_driver_hello_inf\thello.inf\t", StringComparison.Ordinal));
        Assert.Contains(files, r => r.Contains("\tLICENSE.txt\t23\t\t\t512\t"));

        var properties = Rows(Msiinfo("export", msi, "Property"));
        Assert.Contains("Manufacturer\tContoso Ltd.", properties);
        Assert.Contains("ProductVersion\t1.0.0", properties);
        Assert.Contains("ALLUSERS\t1", properties);

        var directories = Rows(Msiinfo("export", msi, "Directory"));
        Assert.Contains(directories, r => r.StartsWith("INSTALLDIR1\tProgramFiles64Folder\t", StringComparison.Ordinal) && r.EndsWith("|Contoso", StringComparison.Ordinal) is false);
        Assert.Contains(directories, r => r.StartsWith("INSTALLDIR\tINSTALLDIR1\t", StringComparison.Ordinal) && r.EndsWith("|Hello Driver", StringComparison.Ordinal));
        Assert.Contains("_dir_driver\tINSTALLDIR\tdriver", directories);

        // The legacy INF: stop the service and run [DefaultUninstall.NTamd64] on removal, [DefaultInstall.NTamd64] then
        // sc start on install, with rollback actions undoing the install.
        var actions = Rows(Msiinfo("export", msi, "CustomAction"));
        Assert.Contains("WdkStopService1_1\t3170\tSystem64Folder\t\"[System64Folder]sc.exe\" stop Hello\t", actions);
        Assert.Contains("WdkUninstallDriver1\t3170\t_dir_driver\t\"[System64Folder]rundll32.exe\" setupapi.dll,InstallHinfSection DefaultUninstall.NTamd64 128 [#_driver_hello_inf]\t", actions);
        Assert.Contains("WdkInstallDriver1\t3106\t_dir_driver\t\"[System64Folder]rundll32.exe\" setupapi.dll,InstallHinfSection DefaultInstall.NTamd64 128 [#_driver_hello_inf]\t", actions);
        Assert.Contains("WdkStartService1_1\t3106\tSystem64Folder\t\"[System64Folder]cmd.exe\" /d /c \"sc.exe start Hello & if errorlevel 1057 (exit 1) else if errorlevel 1056 (exit 0) else if errorlevel 1 (exit 1) else if errorlevel 0 (exit 0) else exit 1\"\t", actions);
        Assert.Contains(actions, r => r.StartsWith("WdkUndoUninstallDriver1\t3426\t", StringComparison.Ordinal));
        var sequence = Rows(Msiinfo("export", msi, "InstallExecuteSequence"));
        Assert.Contains("WdkStopService1_1\t$_driver_hello_inf=2\t3400", sequence);
        Assert.Contains("WdkInstallDriver1\t$_driver_hello_inf=3\t4003", sequence);
        Assert.Contains("RemoveExistingProducts\t\t1401", sequence);
        Assert.Contains("WdkClientPath\t=-*PATH\t[~];[INSTALLDIR]\t_hello_client_exe", Rows(Msiinfo("export", msi, "Environment")));

        // Every column of every table has its validation rule, keys and categories as the Windows Installer SDK's schema.
        var validation = Rows(Msiinfo("export", msi, "_Validation"));
        var columns = Rows(Msiinfo("export", msi, "_Columns"));
        Assert.Equal(columns.Length, validation.Length);
        Assert.Contains("File\tComponent_\tN\t\t\tComponent\t1\tIdentifier\t\t", validation);
        Assert.Contains("Component\tComponentId\tY\t\t\t\t\tGuid\t\t", validation);
        Assert.Contains("File\tSequence\tN\t1\t32767\t\t\t\t\t", validation);
        Assert.Contains("CustomAction\tTarget\tY\t\t\t\t\tFormatted\t\t", validation);

        var summary = Msiinfo("suminfo", msi);
        Assert.Contains("Template: x64;1033", summary);
        Assert.Contains("Author: Contoso Ltd.", summary);
        Assert.Contains("Subject: Hello Driver", summary);

        // Every installed file, byte for byte, where it belongs; the package's readme is not installed.
        var extracted = temp.Combine("extracted");
        Directory.CreateDirectory(extracted);
        ToolProcess.Succeed(temp.Path, "msiextract", "-C", extracted, msi);
        // msiextract puts Program Files (ProgramFiles64Folder, ".") at its root.
        var installed = Path.Combine(extracted, "Contoso", "Hello Driver");
        Assert.Equal(File.ReadAllBytes(package.Single(f => f.PackagePath == "driver/amd64/hello.sys").Source), File.ReadAllBytes(Path.Combine(installed, "driver", "hello.sys")));
        Assert.Equal(File.ReadAllBytes(package.Single(f => f.PackagePath == "driver/amd64/hello.inf").Source), File.ReadAllBytes(Path.Combine(installed, "driver", "hello.inf")));
        Assert.Equal(File.ReadAllBytes(package.Single(f => f.PackagePath == "client/amd64/hello-client.exe").Source), File.ReadAllBytes(Path.Combine(installed, "hello-client.exe")));
        Assert.Equal(File.ReadAllBytes(license), File.ReadAllBytes(Path.Combine(installed, "LICENSE.txt")));
        Assert.Equal(4, Directory.EnumerateFiles(extracted, "*", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public void The_same_package_gives_the_same_bytes_and_a_new_version_new_product_and_package_codes()
    {
        var package = HelloPackage.Create(temp.Combine("package"));
        var first = DriverInstallerBuilder.Build(package, HelloPackage.Settings());
        var again = DriverInstallerBuilder.Build(package, HelloPackage.Settings());
        var next = DriverInstallerBuilder.Build(package, HelloPackage.Settings(version: "1.1.0"));

        Assert.Equal(first, again);
        var (firstProduct, firstComponents) = Codes(first);
        var (nextProduct, nextComponents) = Codes(next);
        Assert.NotEqual(firstProduct, nextProduct);
        Assert.Equal(firstComponents, nextComponents);
        Assert.NotEqual(Summary(first), Summary(next));
    }

    [Theory]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("0.1.12-g3f2a1b", "0.1.12")]
    [InlineData("2.0", "2.0.0")]
    [InlineData("1.2.3.4", "1.2.3")]
    [InlineData("4.5.6+abcdef", "4.5.6")]
    public void Versions_keep_the_three_numbers_Windows_Installer_compares(string version, string expected) =>
        Assert.Equal(expected, DriverInstallerBuilder.ProductVersion(version));

    [Theory]
    [InlineData("256.0.0")]
    [InlineData("1.2.70000")]
    [InlineData("one")]
    [InlineData("")]
    public void Versions_Windows_Installer_cannot_hold_are_refused(string version)
    {
        var error = Assert.Throws<WdkException>(() => DriverInstallerBuilder.ProductVersion(version));
        Assert.Equal(ErrorCodes.InstallerSettingsInvalid, error.Diagnostic.Code);
    }

    [Fact]
    public void A_package_without_a_driver_for_the_architecture_is_refused_naming_it()
    {
        var package = HelloPackage.Create(temp.Combine("package"));
        var error = Assert.Throws<WdkException>(() => DriverInstallerBuilder.Build(package, HelloPackage.Settings() with { Architecture = "arm64" }));
        Assert.Equal(ErrorCodes.InstallerSettingsInvalid, error.Diagnostic.Code);
        Assert.Contains("no driver for arm64", error.Message);
    }

    [Fact]
    public void An_INF_Windows_cannot_install_is_refused_at_the_INF()
    {
        var package = HelloPackage.Create(temp.Combine("package"), "[Version]\nSignature=\"$WINDOWS NT$\"\nDriverVer=\n\n[Strings]\n");
        var error = Assert.Throws<WdkException>(() => DriverInstallerBuilder.Build(package, HelloPackage.Settings()));
        Assert.Equal(ErrorCodes.InstallerPackageInvalid, error.Diagnostic.Code);
        Assert.EndsWith("hello.inf", error.Diagnostic.File);
    }

    [Theory]
    [InlineData("Contoso", "Ping", "Contoso\\Ping")]
    [InlineData("Ping", "Ping", "Ping")]
    [InlineData("ping ", "Ping", "Ping")]
    public void The_install_folder_is_the_manufacturers_and_the_products_and_one_name_once(string manufacturer, string product, string folder) =>
        Assert.Equal(folder, DriverInstallerSettings.DefaultInstallFolder(manufacturer, product));

    [Fact]
    public void Name_based_codes_follow_RFC_9562()
    {
        // RFC 9562's version 5 example: the DNS namespace and "www.example.com".
        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), NameBasedGuid.Create(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com"));
    }

    private static (string Product, string[] Components) Codes(byte[] msi)
    {
        var reader = InstallerDatabaseReader.Read(CompoundFile.Read(msi, "test.msi"), "test.msi");
        var product = (string)reader.Table("Property")!.Rows.Single(r => (string?)r[0] == "ProductCode")[1]!;
        return (product, reader.Table("Component")!.Rows.Select(r => (string)r[1]!).Order(StringComparer.Ordinal).ToArray());
    }

    private static byte[] Summary(byte[] msi) =>
        CompoundFile.Read(msi, "test.msi").Streams.Single(s => s.Name == SummaryInformation.StreamName).Data;

    private string Msiinfo(params string[] arguments)
    {
        var (code, output) = ToolProcess.Run(temp.Path, "msiinfo", arguments);
        Assert.True(code == 0, $"msiinfo {string.Join(" ", arguments)}: {output}");
        return output.Replace("\r\n", "\n");
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>An IDT export's rows: after the column names, types and key lines.</summary>
    private static string[] Rows(string export) => export.Split('\n').Skip(3).Where(l => l.Length > 0).ToArray();
}
