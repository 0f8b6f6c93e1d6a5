using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Inf.Validation;

public static class InfVerifCodeList
{
    /// <summary>Reads "2083;INF1324, 1201" into codes; separators are commas, semicolons or spaces.</summary>
    public static IReadOnlyCollection<int> Parse(string? text) =>
        (text ?? string.Empty).Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(code => code.Trim())
            .Select(code => int.TryParse(code.StartsWith("INF", StringComparison.OrdinalIgnoreCase) ? code.Substring(3) : code, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new WdkException(Diagnostic.Error(ErrorCodes.InfVerifCodeInvalid, $"'{code}' is not an INF finding code (a number such as 2083).")))
            .ToList();
}
