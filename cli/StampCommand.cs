using System.CommandLine;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;
using WdkDriver.Core.IO;

namespace WdkDriver.Cli;

/// <summary><c>wdkdriver stamp</c>: what stampinf does, to a new file.</summary>
internal static class StampCommand
{
    public static Command Create(Reporter reporter)
    {
        var input = new Argument<FileInfo>("input") { Description = "The .inx or .inf to stamp (never changed)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The stamped .inf to write.", Required = true };
        var arch = new Option<string>("--arch") { Description = "Replaces $ARCH$.", Required = true };
        arch.AcceptOnlyFromAmong("amd64", "arm64", "x86");
        var driverVer = new Option<string?>("--driver-ver") { Description = "DriverVer as MM/DD/YYYY,w.x.y.z; without it an existing valid DriverVer is kept." };
        var catalog = new Option<string?>("--catalog") { Description = "CatalogFile to write into [Version] (name.cat)." };
        var kmdf = new Option<string?>("--kmdf") { Description = "KMDF version major.minor for $KMDFVERSION$ and $KMDFCOINSTALLERVERSION$." };
        var umdf = new Option<string?>("--umdf") { Description = "UMDF version major.minor.service for $UMDFVERSION$ and $UMDFCOINSTALLERVERSION$." };
        var provider = new Option<string?>("--provider") { Description = "Provider to write into [Version]." };
        var section = new Option<string>("--section") { Description = "The section that holds DriverVer.", DefaultValueFactory = _ => "Version" };

        var command = new Command("stamp", "Stamps an INF: DriverVer, CatalogFile, $ARCH$ and the WDF version tokens.")
        {
            input, output, arch, driverVer, catalog, kmdf, umdf, provider, section,
        };
        command.SetAction(parse => reporter.Run(() =>
        {
            var source = parse.GetValue(input)!.FullName;
            var destination = parse.GetValue(output)!.FullName;
            var options = new StampOptions(
                parse.GetValue(arch),
                parse.GetValue(driverVer) is { } text ? DriverVer.Parse(text) : null,
                parse.GetValue(catalog),
                parse.GetValue(kmdf),
                parse.GetValue(umdf),
                parse.GetValue(provider),
                parse.GetValue(section)!);
            var stamped = InfStamper.Stamp(InfDocument.Load(source), options);
            AtomicFile.Write(destination, stamped.ToBytes(), ErrorCodes.InfOutputFailed);
            reporter.Output.WriteLine(destination);
            return ExitCodes.Success;
        }));
        return command;
    }
}
