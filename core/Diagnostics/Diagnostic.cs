using System.Text;

namespace WdkDriver.Core.Diagnostics;

/// <summary>One finding: a coded error or warning, located in a file where it has a place.</summary>
/// <param name="Line">1-based; 0 when the finding concerns the whole file.</param>
/// <param name="Column">1-based; 0 when unknown.</param>
public sealed record Diagnostic(
    Severity Severity,
    string Code,
    string Message,
    string? File = null,
    int Line = 0,
    int Column = 0)
{
    public static Diagnostic Error(string code, string message, string? file = null, int line = 0, int column = 0) =>
        new(Severity.Error, code, message, file, line, column);

    public static Diagnostic Warning(string code, string message, string? file = null, int line = 0, int column = 0) =>
        new(Severity.Warning, code, message, file, line, column);

    /// <summary>MSBuild's canonical form, as IDEs and CI annotators read it: <c>file(line,col): error CODE: text</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (File is not null)
        {
            text.Append(File);
            if (Line > 0)
            {
                text.Append('(').Append(Line);
                if (Column > 0)
                {
                    text.Append(',').Append(Column);
                }

                text.Append(')');
            }

            text.Append(": ");
        }

        text.Append(Severity switch
        {
            Severity.Error => "error",
            Severity.Warning => "warning",
            _ => "message",
        });
        text.Append(' ').Append(Code).Append(": ").Append(Message);
        return text.ToString();
    }
}
