using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace WdkDriver.Core.DriverTesting;

/// <summary>
/// A driver test session as Markdown, for a CI run's summary page (GitHub's step summary, Azure Pipelines'
/// uploaded summary): the verdict, one row per step with its exit code and the driver's DbgPrint lines, the
/// findings, and each step's output folded away.
/// </summary>
public static class DriverTestSummary
{
    public static string Markdown(string driverFile, string architecture, DriverTestReport report)
    {
        var text = new StringBuilder();
        var verdict = report.Findings.Count == 0 ? "passed" : "failed";
        text.Append("### Driver test ").Append(verdict).Append(": ").Append(Code(driverFile)).Append(" (").Append(architecture).Append(", under wine)\n\n");
        text.Append("| Step | Exit code | Driver's DbgPrint |\n|---|---|---|\n");
        foreach (var step in report.Steps)
        {
            text.Append("| ").Append(Cell(step.Name)).Append(" | ").Append(step.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")
                .Append(" | ").Append(string.Join("<br>", step.DebugOutput.Select(Cell))).Append(" |\n");
        }

        if (report.Findings.Count > 0)
        {
            text.Append('\n');
            foreach (var finding in report.Findings)
            {
                text.Append("- ").Append(Code(finding.Code)).Append(": ").Append(Cell(finding.Message)).Append('\n');
            }
        }

        var printed = report.Steps.Where(s => s.Output.Count > 0).ToList();
        if (printed.Count > 0)
        {
            text.Append("\n<details><summary>What each step printed</summary>\n\n```\n");
            foreach (var step in printed)
            {
                foreach (var line in step.Output)
                {
                    text.Append('[').Append(step.Name).Append("] ").Append(line.Replace("```", "'''")).Append('\n');
                }
            }

            text.Append("```\n\n</details>\n");
        }

        return text.Append('\n').ToString();
    }

    private static string Code(string text) => "`" + text.Replace("`", "'") + "`";

    /// <summary>Text that stays inside its table cell and is not read as markup.</summary>
    private static string Cell(string text)
    {
        var cell = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '|' or '<' or '>' or '*' or '_' or '`' or '[' or ']' or '\\')
            {
                cell.Append("&#").Append((int)c).Append(';');
            }
            else if (!char.IsControl(c))
            {
                cell.Append(c);
            }
        }

        return cell.ToString();
    }
}
