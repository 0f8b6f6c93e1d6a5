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
            new[] { "AdminExecuteSequence", "AdminUISequence", "AdvtExecuteSequence", "Component", "CustomAction", "Directory", "Environment", "Feature", "FeatureComponents", "File", "InstallExecuteSequence", "InstallUISequence", "LaunchCondition", "Media", "Property", "Upgrade", "_ForceCodepage", "_SummaryInformation", "_Validation" },
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

        // The legacy INF: stop the service and run [DefaultUninstall] on removal, [DefaultInstall] then
        // sc start on install, each step preceded by its rollback partner; every action works from System32.
        var actions = Rows(Msiinfo("export", msi, "CustomAction"));
        Assert.Contains("WdkStopService1_1\t3170\tSystem64Folder\t\"[System64Folder]sc.exe\" stop \"Hello\"\t", actions);
        Assert.Contains("WdkUninstallDriver1\t3170\tSystem64Folder\t\"[System64Folder]rundll32.exe\" setupapi.dll,InstallHinfSection DefaultUninstall 128 [#_driver_hello_inf]\t", actions);
        Assert.Contains("WdkInstallDriver1\t3106\tSystem64Folder\t\"[System64Folder]rundll32.exe\" setupapi.dll,InstallHinfSection DefaultInstall 128 [#_driver_hello_inf]\t", actions);
        Assert.Contains("WdkStartService1_1\t3106\tSystem64Folder\t\"[System64Folder]cmd.exe\" /d /v:on /c \"sc.exe start \"Hello\"&set e=!errorlevel!&(if !e!==1056 set e=0)&exit !e!\"\t", actions);
        // Rolling the install back works without the INF: the service stopped and deleted, its binary deleted.
        Assert.Contains("WdkUndoService1_1\t3426\tSystem64Folder\t\"[System64Folder]cmd.exe\" /d /c \"sc.exe stop \"Hello\"&sc.exe delete \"Hello\"&del /f /q \"[System64Folder]drivers\\hello.sys\"\"\t", actions);
        Assert.Contains("WdkReinstallDriver1\t3426\tSystem64Folder\t\"[System64Folder]rundll32.exe\" setupapi.dll,InstallHinfSection DefaultInstall 128 [#_driver_hello_inf]\t", actions);
        var sequence = Rows(Msiinfo("export", msi, "InstallExecuteSequence"));
        Assert.Contains("WdkStopService1_1\t$_driver_hello_inf=2\t3401", sequence);
        Assert.Contains("WdkInstallDriver1\t$_driver_hello_inf=3\t4004", sequence);
        Assert.Contains("RemoveExistingProducts\t\t1501", sequence);
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

    [MsitoolsFact]
    public void Every_row_fits_its_column_as_the_database_declares_and_a_row_that_does_not_is_named()
    {
        // A PnP INF with a long name (the longest File key) for a root-enumerated device, and a legacy one: every
        // custom action fits Target's 255.
        var package = HelloPackage.Create(temp.Combine("package")).ToList();
        var pnp = temp.Combine("package", "driver", "amd64", "contoso_split_tunnel_filter_for_every_network_adapter.inf");
        File.Copy(Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel"), "*.inf").Single(), pnp);
        package.Add(new WdkDriver.Core.Packaging.PackageFile(pnp, "driver/amd64/" + Path.GetFileName(pnp)));
        package.Add(new WdkDriver.Core.Packaging.PackageFile(Path.Combine(RepositoryPaths.Root, "sdk", "install", "RootDevice.ps1"), "tools/RootDevice.ps1"));
        var msi = temp.Combine("hello.msi");
        DriverInstallerBuilder.Write(msi, package, HelloPackage.Settings() with { ProductName = new string('P', 63) });
        var database = InstallerDatabaseReader.Read(msi);
        Assert.Empty(InstallerTableCheck.Check(database.Tables));
        Assert.Contains(database.Table("CustomAction")!.Rows, r => ((string)r[3]!).Contains("/add-driver", StringComparison.Ordinal) && ((string)r[3]!).Length > 200);
        Assert.Contains(database.Table("CustomAction")!.Rows, r => ((string)r[0]!) == "WdkAddRootDevice2_1");

        // msitools' msibuild writes rows that do not fit: each is named with its table, row, column and rule.
        ToolProcess.Succeed(temp.Path, "msibuild", msi, "-q", $"UPDATE `CustomAction` SET `Target` = '{new string('x', 300)}' WHERE `Action` = 'WdkSetInstallLocation'");
        ToolProcess.Succeed(temp.Path, "msibuild", msi, "-q", $"UPDATE `Feature` SET `Title` = '{new string('t', 70)}' WHERE `Feature` = 'Main'");
        ToolProcess.Succeed(temp.Path, "msibuild", msi, "-q", "UPDATE `Component` SET `ComponentId` = '{abc}' WHERE `Component` = '_hello_client_exe'");
        ToolProcess.Succeed(temp.Path, "msibuild", msi, "-q", "UPDATE `File` SET `Component_` = 'Nowhere' WHERE `File` = '_driver_hello_sys'");
        var findings = InstallerTableCheck.Check(InstallerDatabaseReader.Read(msi).Tables);
        Assert.Equal(
            new[]
            {
                "Component row '_hello_client_exe', column ComponentId: '{abc}' is not a GUID in braces and upper case",
                "CustomAction row 'WdkSetInstallLocation', column Target: 300 characters, in a column of 255",
                "Feature row 'Main', column Title: 70 characters, in a column of 64",
                "File row '_driver_hello_sys', column Component_: 'Nowhere' is not a key of Component",
            },
            findings.Order(StringComparer.Ordinal));
    }

    [MsitoolsFact]
    public void A_PE_files_version_resource_gives_its_File_version_and_language_as_WiX_writes_them()
    {
        // A client with a version resource, made by mingw-w64's windres and gcc; the driver and INF have none.
        var package = HelloPackage.Create(temp.Combine("package")).ToList();
        temp.Write("tool/version.rc", "1 VERSIONINFO\nFILEVERSION 1,2,3,4\nPRODUCTVERSION 1,2,3,4\nBEGIN\n BLOCK \"StringFileInfo\"\n BEGIN\n  BLOCK \"040904B0\"\n  BEGIN\n   VALUE \"FileVersion\", \"1.2.3.4\"\n  END\n END\n BLOCK \"VarFileInfo\"\n BEGIN\n  VALUE \"Translation\", 0x409, 1200\n END\nEND\n");
        temp.Write("tool/main.c", "int main(void) { return 0; }\n");
        ToolProcess.Succeed(temp.Combine("tool"), "x86_64-w64-mingw32-windres", "version.rc", "-O", "coff", "-o", "version.o");
        var tool = temp.Combine("package", "client", "amd64", "versioned.exe");
        ToolProcess.Succeed(temp.Combine("tool"), "x86_64-w64-mingw32-gcc", "-o", tool, "main.c", "version.o");
        package.Add(new WdkDriver.Core.Packaging.PackageFile(tool, "client/amd64/versioned.exe"));
        var msi = temp.Combine("hello.msi");
        DriverInstallerBuilder.Write(msi, package, HelloPackage.Settings());

        var files = Rows(Msiinfo("export", msi, "File"));
        Assert.Contains(files, r => r.StartsWith("_versioned_exe\t", StringComparison.Ordinal) && r.Contains("\t1.2.3.4\t1033\t512\t", StringComparison.Ordinal));
        Assert.Contains(files, r => r.StartsWith("_driver_hello_inf\t", StringComparison.Ordinal) && r.Contains("\t\t\t512\t", StringComparison.Ordinal));
    }

    [Fact]
    public void A_product_name_Programs_and_Features_cannot_show_is_refused()
    {
        var error = Assert.Throws<WdkException>(() => DriverInstallerBuilder.Build(HelloPackage.Create(temp.Combine("package")), HelloPackage.Settings() with { ProductName = new string('P', 64) }));
        Assert.Equal(ErrorCodes.InstallerSettingsInvalid, error.Diagnostic.Code);
        Assert.Contains("is 64 characters; Windows Installer takes at most 63", error.Message);
    }

    [MsitoolsFact]
    public void Names_are_written_in_code_page_1252_and_a_name_it_cannot_hold_is_refused_at_the_file()
    {
        var package = HelloPackage.Create(temp.Combine("package")).ToList();
        var typographic = temp.Write("package/client/amd64/Contoso’s €uro guide.txt", "A name with a quote and a euro sign.\n");
        package.Add(new WdkDriver.Core.Packaging.PackageFile(typographic, "client/amd64/Contoso’s €uro guide.txt"));
        var msi = temp.Combine("hello.msi");
        DriverInstallerBuilder.Write(msi, package, HelloPackage.Settings() with { Manufacturer = "Contoso’s" });

        // msitools reads the database in the code page it declares.
        Assert.Contains(Rows(Msiinfo("export", msi, "File")), r => r.Contains("|Contoso’s €uro guide.txt\t", StringComparison.Ordinal));
        Assert.Contains("Manufacturer\tContoso’s", Rows(Msiinfo("export", msi, "Property")));
        Assert.Contains(InstallerDatabaseReader.Read(msi).Table("File")!.Rows, r => ((string)r[2]!).EndsWith("|Contoso’s €uro guide.txt", StringComparison.Ordinal));

        var polish = temp.Write("package/client/amd64/Łódź.txt", "A name 1252 cannot hold.\n");
        package.Add(new WdkDriver.Core.Packaging.PackageFile(polish, "client/amd64/Łódź.txt"));
        var error = Assert.Throws<WdkException>(() => DriverInstallerBuilder.Build(package, HelloPackage.Settings()));
        Assert.Equal(ErrorCodes.InstallerPackageInvalid, error.Diagnostic.Code);
        Assert.Equal(polish, error.Diagnostic.File);
        Assert.Contains("has 'Ł' in its name, which the installer database's code page (1252, Western European) cannot hold: rename it", error.Message);
    }

    [Fact]
    public void Two_builds_of_one_three_number_version_are_two_products_and_the_later_replaces_the_earlier()
    {
        var package = HelloPackage.Create(temp.Combine("package"));
        var build = InstallerDatabaseReader.Read(CompoundFile.Read(DriverInstallerBuilder.Build(package, HelloPackage.Settings("1.0.0-g3f2a1b")), "a.msi"), "a.msi");
        var release = InstallerDatabaseReader.Read(CompoundFile.Read(DriverInstallerBuilder.Build(package, HelloPackage.Settings("1.0.0")), "b.msi"), "b.msi");
        string Property(InstallerDatabaseReader database, string name) => (string)database.Table("Property")!.Rows.Single(r => (string?)r[0] == name)[1]!;

        Assert.Equal(Property(build, "ProductVersion"), Property(release, "ProductVersion"));
        Assert.NotEqual(Property(build, "ProductCode"), Property(release, "ProductCode"));
        // Older and same versions are found and removed (VersionMaxInclusive), so installing one over the other upgrades.
        var upgrade = release.Table("Upgrade")!.Rows.Single(r => (string?)r[6] == "WDK_UPGRADE_DETECTED");
        Assert.Equal("1.0.0", upgrade[2]);
        Assert.Equal(0x201, Convert.ToInt32(upgrade[4], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(true, "R:WdkRestartService1_1 WdkStopService1_1 R:WdkReinstallDriver1 WdkUninstallDriver1 WdkRemoveStoreCopy1", "R:WdkUndoStoreCopy1 R:WdkUndoService1_1 R:WdkUndoInstallDriver1 WdkInstallDriver1 WdkStartService1_1")]
    [InlineData(false, "R:WdkRestartService1_1 WdkStopService1_1 R:WdkReinstallDriver1 WdkDeleteService1_1 WdkRemoveStoreCopy1", "R:WdkUndoStoreCopy1 R:WdkUndoService1_1 WdkInstallDriver1 WdkStartService1_1")]
    public void Every_step_that_changes_the_machine_has_a_rollback_partner_before_it_and_the_old_version_goes_inside_the_transaction(bool uninstallSection, string removal, string install)
    {
        var inx = File.ReadAllText(Path.Combine(RepositoryPaths.Samples, "PrebuiltDriver", "hello.inx"));
        if (!uninstallSection)
        {
            inx = inx.Replace("[DefaultUninstall.NT$ARCH$]\nDelFiles = Hello.Files\n", string.Empty).Replace("[DefaultUninstall.NT$ARCH$.Services]\nDelService = Hello,0x200\n", string.Empty);
            Assert.DoesNotContain("DefaultUninstall", inx);
        }

        var database = InstallerDatabaseReader.Read(CompoundFile.Read(DriverInstallerBuilder.Build(HelloPackage.Create(temp.Combine("package"), inx), HelloPackage.Settings()), "hello.msi"), "hello.msi");
        var types = database.Table("CustomAction")!.Rows.ToDictionary(r => (string)r[0]!, r => Convert.ToInt32(r[1], System.Globalization.CultureInfo.InvariantCulture));
        var sequence = database.Table("InstallExecuteSequence")!.Rows
            .Select(r => (Action: (string)r[0]!, Condition: (string?)r[1], Sequence: Convert.ToInt32(r[2], System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(r => r.Sequence)
            .ToList();
        string Steps(string condition) => string.Join(" ", sequence.Where(r => r.Condition == condition).Select(r => ((types[r.Action] & 0x100) != 0 ? "R:" : string.Empty) + r.Action));

        // Removal steps before RemoveFiles (3500), install steps after InstallFiles (4000); a partner before its step.
        Assert.Equal(removal, Steps("$_driver_hello_inf=2"));
        Assert.Equal(install, Steps("$_driver_hello_inf=3"));
        Assert.All(sequence.Where(r => r.Condition == "$_driver_hello_inf=2"), r => Assert.InRange(r.Sequence, 3400, 3499));
        Assert.All(sequence.Where(r => r.Condition == "$_driver_hello_inf=3"), r => Assert.InRange(r.Sequence, 4001, 4999));
        // RemoveExistingProducts right after InstallInitialize, before the first action that writes to the script.
        var order = sequence.Select(r => r.Action).ToList();
        Assert.Equal(order.IndexOf("InstallInitialize") + 1, order.IndexOf("RemoveExistingProducts"));
        Assert.Equal(order.IndexOf("RemoveExistingProducts") + 1, order.IndexOf("ProcessComponents"));
    }

    [Theory]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("0.1.12-g3f2a1b", "0.1.12")]
    [InlineData("2.0", "2.0.0")]
    [InlineData("1.2.3.4", "1.2.3")]
    [InlineData("4.5.6+abcdef", "4.5.6")]
    public void Versions_keep_the_three_numbers_Windows_Installer_compares(string version, string expected) =>
        Assert.Equal(expected, DriverInstallerSettings.ProductVersion(version));

    [Theory]
    [InlineData("256.0.0")]
    [InlineData("1.2.70000")]
    [InlineData("one")]
    [InlineData("")]
    public void Versions_Windows_Installer_cannot_hold_are_refused(string version)
    {
        var error = Assert.Throws<WdkException>(() => DriverInstallerSettings.ProductVersion(version));
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
        // The code the build gives for the same INF when it writes the install scripts' plan.
        Assert.Equal(ErrorCodes.InstallPlanInvalid, error.Diagnostic.Code);
        Assert.EndsWith("hello.inf", error.Diagnostic.File);
    }

    [MsitoolsFact]
    public void A_root_enumerated_device_is_made_after_its_driver_is_staged_by_the_package_s_RootDevice_ps1_with_rollback_partners()
    {
        // Microsoft's attested Mullvad package: Root\mullvad-split-tunnel, which no bus reports.
        var folder = temp.Combine("package");
        var package = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Corpus, "attested", "mullvad-split-tunnel"))
            .Select(f => new WdkDriver.Core.Packaging.PackageFile(f, "driver/amd64/" + Path.GetFileName(f))).ToList();

        var missing = Assert.Throws<WdkException>(() => DriverInstallerBuilder.Build(package, HelloPackage.Settings()));
        Assert.Equal(ErrorCodes.InstallerPackageInvalid, missing.Diagnostic.Code);
        Assert.EndsWith("mullvad-split-tunnel.inf", missing.Diagnostic.File);
        Assert.Contains(@"installs on the root-enumerated device Root\mullvad-split-tunnel, which the installer creates with the package's tools/RootDevice.ps1", missing.Message);

        package.Add(new WdkDriver.Core.Packaging.PackageFile(Path.Combine(RepositoryPaths.Root, "sdk", "install", "RootDevice.ps1"), "tools/RootDevice.ps1"));
        var msi = temp.Combine("split-tunnel.msi");
        DriverInstallerBuilder.Write(msi, package, HelloPackage.Settings());

        Assert.Contains("WdkRootDevice1_1\tRoot\\mullvad-split-tunnel", Rows(Msiinfo("export", msi, "Property")));
        Assert.Contains(Rows(Msiinfo("export", msi, "File")), r => r.StartsWith("_tools_RootDevice_ps1\t_tools_RootDevice_ps1\t", StringComparison.Ordinal));
        var actions = Rows(Msiinfo("export", msi, "CustomAction"));
        const string powerShell = "\"[System64Folder]WindowsPowerShell\\v1.0\\powershell.exe\" -NoProfile -ExecutionPolicy Bypass -File \"[#_tools_RootDevice_ps1]\" -Installer";
        Assert.Contains($"WdkAddRootDevice1_1\t3106\tSystem64Folder\t{powerShell} Add \"[WdkRootDevice1_1]\" \"[#_driver_mullvad_split_tunnel_inf]\"\t", actions);
        Assert.Contains($"WdkUndoRootDevice1_1\t3426\tSystem64Folder\t{powerShell} Remove \"[WdkRootDevice1_1]\"\t", actions);
        Assert.Contains($"WdkRemoveRootDevice1_1\t3170\tSystem64Folder\t{powerShell} Remove \"[WdkRootDevice1_1]\"\t", actions);
        Assert.Contains($"WdkRestoreRootDevice1_1\t3426\tSystem64Folder\t{powerShell} Add \"[WdkRootDevice1_1]\" \"[#_driver_mullvad_split_tunnel_inf]\"\t", actions);

        // Made after the driver is in the store, removed before it leaves; each partner right before its step.
        var sequence = Rows(Msiinfo("export", msi, "InstallExecuteSequence")).Where(r => r.StartsWith("Wdk", StringComparison.Ordinal))
            .Select(r => r.Split('\t')).OrderBy(r => int.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)).Select(r => r[0]);
        Assert.Equal(
            new[]
            {
                "WdkSetInstallLocation",
                "WdkRestoreRootDevice1_1", "WdkRemoveRootDevice1_1", "WdkRestoreDriver1", "WdkRemoveDriver1",
                "WdkUndoAddDriver1", "WdkAddDriver1", "WdkUndoRootDevice1_1", "WdkAddRootDevice1_1",
                "WdkRequestRestart",
            },
            sequence);
    }

    [Fact]
    public void The_driver_s_PDB_is_not_installed()
    {
        var package = HelloPackage.Create(temp.Combine("package")).ToList();
        package.Add(new WdkDriver.Core.Packaging.PackageFile(temp.Write("package/driver/amd64/hello.pdb", "symbols"), "driver/amd64/hello.pdb"));

        var database = InstallerDatabaseReader.Read(CompoundFile.Read(DriverInstallerBuilder.Build(package, HelloPackage.Settings()), "hello.msi"), "hello.msi");

        var names = database.Table("File")!.Rows.Select(r => ((string)r[2]!).Split('|').Last()).ToList();
        Assert.Contains("hello.sys", names);
        Assert.DoesNotContain("hello.pdb", names);
    }

    [Fact]
    public void An_exclamation_mark_cmd_would_lose_is_refused_in_the_install_folder_and_in_an_INF_s_name()
    {
        var package = HelloPackage.Create(temp.Combine("package"));
        var folder = Assert.Throws<WdkException>(() => DriverInstallerBuilder.Build(package, HelloPackage.Settings() with { InstallFolder = "Yahoo!\\Ping" }));
        Assert.Equal(ErrorCodes.InstallerSettingsInvalid, folder.Diagnostic.Code);
        Assert.Contains("The install folder 'Yahoo!\\Ping' has '!'", folder.Message);

        var inf = package.Single(f => f.PackagePath.EndsWith(".inf", StringComparison.Ordinal));
        var renamed = package.Select(f => f == inf ? f with { PackagePath = "driver/amd64/hello!.inf" } : f).ToList();
        var name = Assert.Throws<WdkException>(() => DriverInstallerBuilder.Build(renamed, HelloPackage.Settings()));
        Assert.Equal(ErrorCodes.InstallerPackageInvalid, name.Diagnostic.Code);
        Assert.Equal(inf.Source, name.Diagnostic.File);
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
