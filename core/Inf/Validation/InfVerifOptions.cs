using System.Collections.Generic;
using System.Linq;

namespace WdkDriver.Core.Inf.Validation;

/// <param name="StampInf">Validate an unstamped .inx as InfVerif's <c>/stampinf</c> does: tokens and an empty DriverVer are fine.</param>
/// <param name="Suppress">Codes not to report, whatever their severity (InfVerif's <c>/sw&lt;code&gt;</c>).</param>
/// <param name="Samples">InfVerif's <c>/samples</c>: the codes in <see cref="SamplesCodes"/> are not reported.</param>
public sealed record InfVerifOptions(
    InfVerifMode Mode = InfVerifMode.Universal,
    bool StampInf = false,
    IReadOnlyCollection<int>? Suppress = null,
    bool WarningsAsErrors = false,
    bool Samples = false)
{
    /// <summary>
    /// What <c>/samples</c> silences, as Microsoft's samples CI relies on: the reserved class <c>Sample</c> (1284, 1285),
    /// reserved service names (1293), unreferenced sections (2083) and 2086. WDK 22621 and older spell it
    /// <c>/sw1284 /sw1285 /sw1293 /sw2083 /sw2086</c>.
    /// </summary>
    public static IReadOnlyCollection<int> SamplesCodes { get; } = new[] { 1284, 1285, 1293, 2083, 2086 };

    /// <summary>Whether <paramref name="code"/> is not to be reported.</summary>
    public bool Silences(int code) => (Suppress?.Contains(code) ?? false) || (Samples && SamplesCodes.Contains(code));
}
