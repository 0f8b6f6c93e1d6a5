using System.Linq;
using Microsoft.Build.Framework;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.Inf.Validation;

namespace WdkDriver.Sdk.Tasks;

/// <summary>Validates INF files with InfVerif's rules, reporting <c>INF&lt;number&gt;</c> findings at their lines.</summary>
public sealed class ValidateInf : WdkTask
{
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    /// <summary>The WDK's DriverTargetPlatform: Universal, Desktop or Windows Driver.</summary>
    public string? DriverTargetPlatform { get; set; }

    /// <summary>Warning codes not to report, separated by semicolons or commas (InfVerif's /sw).</summary>
    public string? Suppress { get; set; }

    public bool TreatWarningsAsErrors { get; set; }

    protected override void ExecuteCore()
    {
        var options = new InfVerifOptions(
            InfVerifModes.Parse(DriverTargetPlatform),
            StampInf: false,
            Suppress: InfVerifCodeList.Parse(Suppress),
            WarningsAsErrors: TreatWarningsAsErrors);
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
