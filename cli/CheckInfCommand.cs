using System.CommandLine;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf.Validation;

namespace WdkDriver.Cli;

/// <summary><c>wdkdriver check-inf</c>: what InfVerif does, with its numbers.</summary>
internal static class CheckInfCommand
{
    public static Command Create(Reporter reporter)
    {
        var files = new Argument<FileInfo[]>("file") { Description = "INF files to validate.", Arity = ArgumentArity.OneOrMore };
        var mode = new Option<string>("--mode")
        {
            Description = "universal (/u), desktop (the WDK's Desktop: no isolation mode), windows (/w, the WDK's Windows Driver) or whql (/h).",
            DefaultValueFactory = _ => "universal",
        };
        mode.AcceptOnlyFromAmong("universal", "desktop", "windows", "whql");
        var stampInf = new Option<bool>("--stampinf") { Description = "Validate before stamping: $ARCH$ and an empty DriverVer are accepted (always so for an .inx)." };
        var samples = new Option<bool>("--samples") { Description = "InfVerif's /samples: codes 1284, 1285, 1293, 2083 and 2086 are not reported." };
        var suppress = new Option<string?>("--suppress") { Description = "Codes not to report, warnings or errors, e.g. 2083,1284 (InfVerif's /sw)." };
        var warnAsError = new Option<bool>("--warnaserror") { Description = "Treat warnings as errors." };

        var command = new Command("check-inf", "Validates INF files with InfVerif's rules and numbering.") { files, mode, stampInf, samples, suppress, warnAsError };
        command.SetAction(parse => reporter.Run(() =>
        {
            var options = new InfVerifOptions(
                InfVerifModes.Parse(parse.GetValue(mode)),
                parse.GetValue(stampInf),
                InfVerifCodeList.Parse(parse.GetValue(suppress)),
                parse.GetValue(warnAsError),
                parse.GetValue(samples));
            var errors = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                // An .inx is what stampinf reads, not what Windows installs: it is judged as before stamping.
                var inx = file.Extension.Equals(".inx", StringComparison.OrdinalIgnoreCase);
                if (inx && !options.StampInf)
                {
                    reporter.Output.WriteLine($"{file.FullName}: an .inx, validated as before stamping (--stampinf); 'wdkdriver stamp' makes the .inf to validate as Windows installs it.");
                }

                var findings = InfValidator.Validate(file.FullName, inx ? options with { StampInf = true } : options);
                foreach (var finding in findings)
                {
                    reporter.Report(finding);
                }

                errors += findings.Count(f => f.Severity == Severity.Error);
                reporter.Output.WriteLine($"{file.FullName}: {(findings.Any(f => f.Severity == Severity.Error) ? "NOT VALID" : "valid")}");
            }

            return errors > 0 ? ExitCodes.Invalid : ExitCodes.Success;
        }));
        return command;
    }
}
