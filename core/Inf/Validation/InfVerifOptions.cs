using System.Collections.Generic;

namespace WdkDriver.Core.Inf.Validation;

/// <param name="StampInf">Validate an unstamped .inx as InfVerif's <c>/stampinf</c> does: tokens and an empty DriverVer are fine.</param>
/// <param name="Suppress">Warning codes not to report (InfVerif's <c>/sw&lt;code&gt;</c>); errors cannot be suppressed.</param>
public sealed record InfVerifOptions(
    InfVerifMode Mode = InfVerifMode.Universal,
    bool StampInf = false,
    IReadOnlyCollection<int>? Suppress = null,
    bool WarningsAsErrors = false);
