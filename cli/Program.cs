using System.CommandLine;
using System.Text;
using WdkDriver.Cli;

// Output that goes to a file or a pipe on Windows would be written in the console's OEM code page, which has no room
// for most letters of a path (a user folder in Chinese, say): UTF-8 there, as CI logs and MSBuild read it. A console
// itself, and every other system, gets every letter already.
if (OperatingSystem.IsWindows())
{
    if (Console.IsOutputRedirected)
    {
        Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true });
    }

    if (Console.IsErrorRedirected)
    {
        Console.SetError(new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true });
    }
}

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
