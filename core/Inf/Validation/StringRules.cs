using System.Linq;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>Every <c>%strkey%</c> must be defined in [Strings]; no <c>$ARCH$</c> may be left unstamped.</summary>
internal static class StringRules
{
    public static void Check(InfCheck check)
    {
        var archReported = new System.Collections.Generic.HashSet<InfSection>();
        foreach (var section in check.Document.Sections)
        {
            if (!check.Options.StampInf && section.Name.Contains("$ARCH$"))
            {
                check.Report(1274, $"Unresolved $ARCH$ token for section [{section.Name}]: stamp the INF (stampinf, or the SDK's StampInf) to replace it.", section.Line, section.Column);
            }

            if (InfStrings.IsStrings(section.Name))
            {
                continue;
            }

            foreach (var entry in section.Entries)
            {
                var text = (entry.Key ?? string.Empty) + "=" + entry.RawValue;
                foreach (var token in InfStrings.Tokens(text).Where(t => t.Length > 0 && !t.All(char.IsDigit) && !check.Strings.Defines(t)).Distinct())
                {
                    check.Report(1235, $"String token '%{token}%' not defined in [Strings] section - for a literal '%' in a string, write '%%'.", entry);
                }

                if (!check.Options.StampInf && text.Contains("$ARCH$") && !section.Name.Contains("$ARCH$") && archReported.Add(section))
                {
                    check.Report(1274, $"Unresolved $ARCH$ token for section [{section.Name}]: stamp the INF (stampinf, or the SDK's StampInf) to replace it.", entry);
                }
            }
        }
    }
}
