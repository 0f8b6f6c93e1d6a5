using System.CommandLine;
using WdkDriver.Core.Catalogs;

namespace WdkDriver.Cli;

/// <summary><c>wdkdriver catalog create|show</c>: what inf2cat does, and a look inside any catalog.</summary>
internal static class CatalogCommand
{
    public static Command Create(Reporter reporter)
    {
        var command = new Command("catalog", "Creates and shows driver catalogs (.cat).");
        command.Subcommands.Add(CreateVerb(reporter));
        command.Subcommands.Add(ShowVerb(reporter));
        return command;
    }

    private static Command CreateVerb(Reporter reporter)
    {
        var package = new Argument<DirectoryInfo>("package-dir") { Description = "The driver package folder: its INFs and the files they copy." };
        var output = new Option<string>("--output", "-o") { Description = "The catalog to write, or an existing folder for one catalog per CatalogFile name.", Required = true };
        var os = new Option<string>("--os") { Description = "inf2cat OS ids, e.g. 10_X64,Server10_ARM64.", Required = true };
        var listId = new Option<string?>("--list-id") { Description = "The list identifier, 32 hex digits (default: derived from the content)." };
        var time = new Option<string?>("--time") { Description = "The catalog time, YYMMDDhhmmssZ (default: now)." };
        var version = new Option<int?>("--catalog-version") { Description = "1 (SHA-1) or 2 (SHA-256 with SHA-1 companions); default 2 when every OS is Windows 10 or later." };
        version.AcceptOnlyFromAmong("1", "2");
        var pageHashes = new Option<bool>("--page-hashes") { Description = "Add page hashes to PE members (inf2cat's /pageHashes)." };

        var command = new Command("create", "Writes the unsigned catalog for the INFs in a package folder.") { package, output, os, listId, time, version, pageHashes };
        command.SetAction(parse => reporter.Run(() =>
        {
            var options = new CatalogOptions(
                parse.GetValue(os)!,
                parse.GetValue(version),
                parse.GetValue(pageHashes),
                parse.GetValue(listId) is { } id ? CatalogBuilder.ParseListIdentifier(id) : null,
                parse.GetValue(time) is { } text ? CatalogBuilder.ParseTime(text) : null);
            var target = parse.GetValue(output)!;
            var files = CatalogContents.FolderFiles(parse.GetValue(package)!.FullName);
            foreach (var written in CatalogBuilder.Create(files, Path.GetFullPath(target), Directory.Exists(target), options, DateTimeOffset.UtcNow))
            {
                reporter.Output.WriteLine(written);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ShowVerb(Reporter reporter)
    {
        var file = new Argument<FileInfo>("file") { Description = "The catalog to show." };
        var command = new Command("show", "Prints a catalog's header, members and attributes, one item per line.") { file };
        command.SetAction(parse => reporter.Run(() =>
        {
            var catalog = CatalogReader.Read(parse.GetValue(file)!.FullName);
            var output = reporter.Output;
            output.WriteLine($"version: {catalog.Version}");
            output.WriteLine($"list-id: {(catalog.ListIdentifier is null ? "-" : CatalogReader.ToHex(catalog.ListIdentifier))}");
            output.WriteLine($"time: {catalog.ThisUpdate.UtcDateTime:yyMMddHHmmss}Z");
            output.WriteLine($"signed: {(catalog.IsSigned ? "yes" : "no")}");
            foreach (var member in catalog.Members)
            {
                var digest = member.Digest is null ? "-" : $"{AlgorithmName(member.DigestAlgorithm)}:{CatalogReader.ToHex(member.Digest)}";
                var kind = member.IsPe switch { true => "pe", false => "flat", null => "-" };
                var attributes = string.Join(" ", member.NameValues.Where(a => a.Key != "File").Select(a => $"{a.Key}={a.Value}"));
                output.WriteLine($"member: {member.IdentifierText} file={member.FileName ?? "-"} digest={digest} kind={kind} {attributes}".TrimEnd());
            }

            foreach (var attribute in catalog.Attributes)
            {
                output.WriteLine($"attribute: {attribute.Key}={attribute.Value}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static string AlgorithmName(string? oid) => oid switch
    {
        "1.3.14.3.2.26" => "sha1",
        "2.16.840.1.101.3.4.2.1" => "sha256",
        _ => oid ?? "-",
    };
}
