using System.CommandLine;
using WdkDriver.Cli;

var reporter = new Reporter(Console.Out, Console.Error);
var root = new RootCommand("wdkdriver: stamps, validates, catalogs, signs and packs Windows driver packages.")
{
    StampCommand.Create(reporter),
    CheckInfCommand.Create(reporter),
    HashCommand.Create(reporter),
    CatalogCommand.Create(reporter),
    CabCommand.Create(reporter),
    MsiCommand.Create(reporter),
    SigningCommands.Cert(reporter),
    SigningCommands.Sign(reporter),
    SigningCommands.Verify(reporter),
    SubmitCommand.Create(reporter),
    SymbolsCommand.Create(reporter),
};

// No command: the list of commands, not just the word that one is missing.
var parse = root.Parse(args.Length == 0 ? new[] { "--help" } : args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("Run 'wdkdriver --help' for usage.");
    return ExitCodes.Usage;
}

var exitCode = parse.Invoke();
return args.Length == 0 ? ExitCodes.Usage : exitCode;
