using System.Linq;
using Microsoft.Build.Framework;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf;
using WdkDriver.Core.Inf.Validation;

namespace WdkDriver.Sdk.Tasks;

/// <summary>Validates INF files with InfVerif's rules, reporting <c>INF&lt;number&gt;</c> findings at their lines.</summary>
public sealed class ValidateInf : WdkTask
{
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    /// <summary>The WDK's DriverTargetPlatform: Universal, Desktop or Windows Driver.</summary>
    public string? DriverTargetPlatform { get; set; }

    /// <summary>An InfVerif mode that overrides DriverTargetPlatform's, e.g. whql (/h), which no platform names.</summary>
    public string? Mode { get; set; }

    /// <summary>Codes not to report, whatever their severity, separated by semicolons or commas (InfVerif's /sw).</summary>
    public string? Suppress { get; set; }

    /// <summary>InfVerif's /samples: the codes Microsoft's driver samples are allowed are not reported.</summary>
    public bool Samples { get; set; }

    public bool TreatWarningsAsErrors { get; set; }

    protected override void ExecuteCore()
    {
        var options = new InfVerifOptions(
            InfVerifModes.Parse(string.IsNullOrWhiteSpace(Mode) ? DriverTargetPlatform : Mode),
            StampInf: false,
            Suppress: InfVerifCodeList.Parse(Suppress),
            WarningsAsErrors: TreatWarningsAsErrors,
            Samples: Samples);
        foreach (var file in Files)
        {
            var findings = InfValidator.Validate(file.GetMetadata("FullPath"), options);
            foreach (var finding in findings)
            {
                Report(finding);
            }

            Log.LogMessage(MessageImportance.Normal, $"{file.ItemSpec}: {(findings.Any(f => f.Severity == Severity.Error) ? "INF is NOT VALID" : "INF is VALID")}");
        }
    }
}
