using System;
using System.Collections.Generic;
using System.Linq;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Inf.Validation;

/// <summary>
/// Checks an INF the way InfVerif does, reporting its findings under InfVerif's numbers (<c>INF1234</c>) with the
/// severity the mode gives them. docs/inf.md lists the codes that are implemented.
/// </summary>
public static class InfValidator
{
    public static IReadOnlyList<Diagnostic> Validate(string path, InfVerifOptions options)
    {
        InfDocument document;
        try
        {
            document = InfDocument.Load(path);
        }
        catch (WdkException e) when (e.Diagnostic.Code.StartsWith("INF", StringComparison.Ordinal))
        {
            return new[] { e.Diagnostic };
        }

        return Validate(document, options);
    }

    public static IReadOnlyList<Diagnostic> Validate(InfDocument document, InfVerifOptions options)
    {
        var check = new InfCheck(document, options);
        foreach (var error in document.ParseErrors)
        {
            check.Report(1002, $"Invalid INF, parsing error: {error.Message}.", error.Line, error.Column);
        }

        if (document.ParseErrors.Count > 0)
        {
            check.Report(1299, "Additional validation checks skipped due to parsing errors.");
        }
        else if (VersionRules.Check(check))
        {
            StringRules.Check(check);
            SectionRules.Check(check);
            FileRules.Check(check);
            TargetOsRules.Check(check);
            ServiceRules.Check(check);
            RegistryRules.Check(check);
            SectionRules.CheckUnreferenced(check);
        }

        return ToDiagnostics(check, document.Path, options);
    }

    private static IReadOnlyList<Diagnostic> ToDiagnostics(InfCheck check, string path, InfVerifOptions options)
    {
        var result = new List<Diagnostic>();
        foreach (var (code, message, line, column) in check.Findings.Distinct().OrderBy(f => f.Line).ThenBy(f => f.Column).ThenBy(f => f.Code))
        {
            var severity = InfVerifCodes.SeverityOf(code, options.Mode);
            if (severity is null || options.Silences(code))
            {
                continue;
            }

            if (severity == Severity.Warning && options.WarningsAsErrors)
            {
                severity = Severity.Error;
            }

            result.Add(new Diagnostic(severity.Value, "INF" + code, message, path, line, column));
        }

        return result;
    }
}
