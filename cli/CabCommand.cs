using System.CommandLine;
using WdkDriver.Core.Cabinets;
using WdkDriver.Core.Processes;

namespace WdkDriver.Cli;

/// <summary><c>wdkdriver cab create|list|extract</c>: deterministic cabinets, and any tool's cabinets read safely.</summary>
internal static class CabCommand
{
    public static Command Create(Reporter reporter)
    {
        var command = new Command("cab", "Creates, lists and extracts cabinet (.cab) files.");
        command.Subcommands.Add(CreateVerb(reporter));
        command.Subcommands.Add(ListVerb(reporter));
        command.Subcommands.Add(ExtractVerb(reporter));
        return command;
    }

    private static Command CreateVerb(Reporter reporter)
    {
        var folder = new Argument<DirectoryInfo>("dir") { Description = "The folder whose files go into the cabinet, by their relative paths." };
        var output = new Option<string>("--output", "-o") { Description = "The cabinet to write.", Required = true };
        var store = new Option<bool>("--store") { Description = "Store the files uncompressed instead of MSZIP." };

        var command = new Command("create", "Writes a deterministic cabinet of a folder's files (times from SOURCE_DATE_EPOCH, else the commit).") { folder, output, store };
        command.SetAction(parse => reporter.Run(() =>
        {
            var root = parse.GetValue(folder)!.FullName;
            var target = Path.GetFullPath(parse.GetValue(output)!);
            var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(file => !string.Equals(Path.GetFullPath(file), target, StringComparison.Ordinal))
                .Select(file => new CabinetSource(Path.GetRelativePath(root, file), file))
                .ToList();
            var time = CabinetTime.For(root, Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), new ProcessRunner());
            CabinetWriter.Write(target, files, parse.GetValue(store) ? CabinetCompression.None : CabinetCompression.MsZip, time);
            reporter.Output.WriteLine(target);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ListVerb(Reporter reporter)
    {
        var cabinet = new Argument<FileInfo>("file.cab") { Description = "The cabinet to list." };
        var command = new Command("list", "Prints one line per file: path, size, date.") { cabinet };
        command.SetAction(parse => reporter.Run(() =>
        {
            using var cab = Cabinet.Open(parse.GetValue(cabinet)!.FullName);
            foreach (var entry in cab.Entries)
            {
                reporter.Output.WriteLine($"{entry.Name}\t{entry.Size}\t{entry.Time:yyyy-MM-dd HH:mm:ss}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ExtractVerb(Reporter reporter)
    {
        var cabinet = new Argument<FileInfo>("file.cab") { Description = "The cabinet to extract." };
        var output = new Option<string>("--output", "-o") { Description = "The folder to extract into; nothing is written outside it.", Required = true };
        var command = new Command("extract", "Extracts every file, checking checksums; a damaged or hostile cabinet leaves nothing behind.") { cabinet, output };
        command.SetAction(parse => reporter.Run(() =>
        {
            using var cab = Cabinet.Open(parse.GetValue(cabinet)!.FullName);
            foreach (var written in cab.ExtractTo(parse.GetValue(output)!))
            {
                reporter.Output.WriteLine(written);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
