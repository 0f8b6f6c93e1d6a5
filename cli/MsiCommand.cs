using System.CommandLine;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.DriverInstall;
using WdkDriver.Core.Installer;
using WdkDriver.Core.Packaging;
using WdkDriver.Core.Processes;

namespace WdkDriver.Cli;

/// <summary><c>wdkdriver msi create|list|extract</c>: a driver package's installer, and any installer's files read safely.</summary>
internal static class MsiCommand
{
    public static Command Create(Reporter reporter)
    {
        var command = new Command("msi", "Creates a driver package's Windows Installer package (.msi); lists and extracts any .msi's files.");
        command.Subcommands.Add(CreateVerb(reporter));
        command.Subcommands.Add(ListVerb(reporter));
        command.Subcommands.Add(ExtractVerb(reporter));
        return command;
    }

    private static Command CreateVerb(Reporter reporter)
    {
        var folder = new Argument<DirectoryInfo>("package-dir") { Description = "The driver package: driver/<arch>/ (INF, catalog, binaries) and client/<arch>/, as dotnet build lays it out (or a .nupkg/.zip of it, unpacked)." };
        var output = new Option<string>("--output", "-o") { Description = "The .msi to write.", Required = true };
        var manufacturer = new Option<string>("--manufacturer") { Description = "The publisher Programs and Features shows.", Required = true };
        var product = new Option<string>("--product") { Description = "The product's name.", Required = true };
        var version = new Option<string>("--version") { Description = "major.minor.patch (a suffix such as -beta is dropped).", Required = true };
        var architecture = new Option<string?>("--arch") { Description = "amd64 or arm64; needed when the package has drivers for both." };
        var upgradeCode = new Option<string?>("--upgrade-code") { Description = "The product line's GUID; default: derived from --package-id." };
        var packageId = new Option<string?>("--package-id") { Description = "The product line's name, from which the default upgrade code is derived as the SDK derives it from PackageId; default: --product." };
        var installFolder = new Option<string?>("--install-folder") { Description = "The folder under Program Files; default: <manufacturer>\\<product>, or <product> when the two are the same." };
        var addToPath = new Option<bool>("--add-to-path") { Description = "Put the client's folder on the machine's PATH." };
        var license = new Option<FileInfo?>("--license") { Description = "A license text installed beside the client." };

        var command = new Command("create", "Writes a reproducible .msi (codes derived from the inputs, times from SOURCE_DATE_EPOCH, else the commit); sign it with 'wdkdriver sign'.")
        {
            folder, output, manufacturer, product, version, architecture, upgradeCode, packageId, installFolder, addToPath, license,
        };
        command.SetAction(parse => reporter.Run(() =>
        {
            var root = parse.GetValue(folder)!.FullName;
            if (!Directory.Exists(root))
            {
                throw new WdkException(Diagnostic.Error(ErrorCodes.InstallerPackageInvalid, $"The package folder '{root}' does not exist."));
            }

            var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Select(file => new PackageFile(file, Path.GetRelativePath(root, file).Replace('\\', '/')))
                .ToList();
            var architectures = DriverInstallerBuilder.Architectures(files);
            var chosen = parse.GetValue(architecture) ?? (architectures.Count == 1 ? architectures[0]
                : throw new WdkException(Diagnostic.Error(ErrorCodes.InstallerSettingsInvalid, architectures.Count == 0
                    ? $"'{root}' has no driver/<arch>/ folder: give the folder a build laid out (bin/<Configuration>/<Platform>/package)."
                    : $"'{root}' has drivers for {string.Join(" and ", architectures)}: choose one with --arch.")));
            var code = parse.GetValue(upgradeCode);
            var productName = parse.GetValue(product)!;
            var upgrade = code is null ? DriverInstallerBuilder.UpgradeCodeFor(parse.GetValue(packageId) ?? productName)
                : Guid.TryParse(code, out var parsed) ? parsed
                : throw new WdkException(Diagnostic.Error(ErrorCodes.InstallerSettingsInvalid, $"--upgrade-code '{code}' is not a GUID."));
            var time = CabinetTime.For(root, Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), new ProcessRunner());
            var settings = new DriverInstallerSettings(
                chosen,
                parse.GetValue(manufacturer)!,
                productName,
                parse.GetValue(version)!,
                upgrade,
                parse.GetValue(installFolder) ?? DriverInstallerSettings.DefaultInstallFolder(parse.GetValue(manufacturer)!, productName),
                parse.GetValue(addToPath),
                parse.GetValue(license)?.FullName,
                new DateTimeOffset(time, TimeSpan.Zero));
            var target = Path.GetFullPath(parse.GetValue(output)!);
            DriverInstallerBuilder.Write(target, files.Where(f => !string.Equals(f.Source, target, StringComparison.Ordinal)).ToList(), settings);
            reporter.Output.WriteLine(target);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ListVerb(Reporter reporter)
    {
        var msi = new Argument<FileInfo>("file.msi") { Description = "The installer to list." };
        var tables = new Option<bool>("--tables") { Description = "List the tables and their row counts instead of the files." };
        var command = new Command("list", "Prints one line per file it installs: where, size; or its tables.") { msi, tables };
        command.SetAction(parse => reporter.Run(() =>
        {
            var path = parse.GetValue(msi)!.FullName;
            var database = InstallerDatabaseReader.Read(path);
            if (parse.GetValue(tables))
            {
                foreach (var table in database.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
                {
                    reporter.Output.WriteLine($"{table.Name}\t{table.Rows.Count}");
                }
            }
            else
            {
                foreach (var file in InstallerFiles.List(database, path))
                {
                    reporter.Output.WriteLine($"{file.Path}\t{file.Size}");
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ExtractVerb(Reporter reporter)
    {
        var msi = new Argument<FileInfo>("file.msi") { Description = "The installer to extract." };
        var output = new Option<string>("--output", "-o") { Description = "The folder to extract into; nothing is written outside it.", Required = true };
        var command = new Command("extract", "Extracts every file it installs, at its place below the folder; a damaged or hostile installer leaves nothing behind.") { msi, output };
        command.SetAction(parse => reporter.Run(() =>
        {
            var path = parse.GetValue(msi)!.FullName;
            foreach (var written in InstallerFiles.ExtractTo(InstallerDatabaseReader.Read(path), path, parse.GetValue(output)!))
            {
                reporter.Output.WriteLine(written);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
