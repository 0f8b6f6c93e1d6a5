using System.CommandLine;
using WdkDriver.Core.Images;

namespace WdkDriver.Cli;

/// <summary><c>wdkdriver symbols</c>: a symbol store as symstore writes it, and whether a PDB belongs to its image.</summary>
internal static class SymbolsCommand
{
    public static Command Create(Reporter reporter)
    {
        var command = new Command("symbols", "Symbol stores and PDBs: add images and PDBs to a store, check a PDB against its image.");
        command.Subcommands.Add(Add(reporter));
        command.Subcommands.Add(Check(reporter));
        return command;
    }

    private static Command Add(Reporter reporter)
    {
        var files = new Argument<FileInfo[]>("file") { Description = "Images (.sys, .dll, .exe) and PDBs to add.", Arity = ArgumentArity.OneOrMore };
        var store = new Option<DirectoryInfo>("--store") { Description = "The symbol store (created when missing): a folder, or a share.", Required = true };
        var command = new Command("add", "Adds images and PDBs to a symbol store, laid out as symstore add lays it out; prints each place written.") { files, store };
        command.SetAction(parse => reporter.Run(() =>
        {
            foreach (var place in SymbolStore.Add(parse.GetValue(files)!.Select(f => f.FullName), parse.GetValue(store)!.FullName))
            {
                reporter.Output.WriteLine(place);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Check(Reporter reporter)
    {
        var image = new Argument<FileInfo>("image") { Description = "The driver or program image." };
        var pdb = new Argument<FileInfo>("pdb") { Description = "The PDB that should belong to it." };
        var command = new Command("check", "Checks that a PDB is the one its image was linked with (GUID and age), and the image against memory integrity's rules.") { image, pdb };
        command.SetAction(parse => reporter.Run(() =>
        {
            var imagePath = parse.GetValue(image)!.FullName;
            var pdbPath = parse.GetValue(pdb)!.FullName;
            foreach (var finding in MemoryIntegrity.Check(imagePath).Concat(ProgramDatabase.CheckPair(imagePath, pdbPath)))
            {
                reporter.Report(finding);
            }

            reporter.Output.WriteLine(reporter.Errors == 0 ? $"{pdbPath}: matches {imagePath}" : $"{pdbPath}: NOT VALID");
            return ExitCodes.Success;
        }));
        return command;
    }
}
