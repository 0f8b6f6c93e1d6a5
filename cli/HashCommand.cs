using System.CommandLine;
using System.Security.Cryptography;
using WdkDriver.Core.Authenticode;

namespace WdkDriver.Cli;

/// <summary><c>wdkdriver hash</c>: the digest a catalog holds for each file (Authenticode for PE files, flat otherwise).</summary>
internal static class HashCommand
{
    public static Command Create(Reporter reporter)
    {
        var files = new Argument<FileInfo[]>("file") { Description = "Files to hash.", Arity = ArgumentArity.OneOrMore };
        var algorithm = new Option<string>("--alg") { Description = "sha1 or sha256.", DefaultValueFactory = _ => "sha256" };
        algorithm.AcceptOnlyFromAmong("sha1", "sha256");

        var command = new Command("hash", "Prints the catalog digest of each file: Authenticode for PE images, the whole file otherwise.") { files, algorithm };
        command.SetAction(parse => reporter.Run(() =>
        {
            var name = parse.GetValue(algorithm) == "sha1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
            foreach (var file in parse.GetValue(files)!)
            {
                var (digest, _) = FileDigest.Compute(file.FullName, name);
                reporter.Output.WriteLine($"{Convert.ToHexString(digest)}  {file.FullName}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
