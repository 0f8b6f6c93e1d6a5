namespace WdkDriver.WindowsLane;

/// <summary>
/// One line from the child to the lane: what happened to which test. Fields are tab-separated, with tabs, line
/// breaks and backslashes escaped, so that a message of many lines is one event.
/// </summary>
internal sealed record LaneEvent(string Kind, string CaseId, string Name, string Detail)
{
    public const string Prefix = "@@lane\t";

    // Kinds, in the order a test case meets them.
    public const string Excluded = "excluded";
    public const string ClassStarted = "class-started";
    public const string ClassFinished = "class-finished";
    public const string Started = "started";
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string CaseFinished = "case-finished";
    public const string AssemblyFinished = "assembly-finished";

    public string Format() => Prefix + string.Join("\t", new[] { Kind, CaseId, Name, Detail }.Select(Escape));

    /// <summary>How a whole class is written in the list of what is done: one whose fixture hung or crashed.</summary>
    public static string ClassEntry(string className) => "class:" + className;

    public static LaneEvent? Parse(string line)
    {
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var fields = line.Substring(Prefix.Length).Split('\t').Select(Unescape).ToArray();
        return fields.Length == 4 ? new LaneEvent(fields[0], fields[1], fields[2], fields[3]) : null;
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\r", "\\r").Replace("\n", "\\n");

    private static string Unescape(string text)
    {
        var result = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                result.Append(text[i] switch { 't' => '\t', 'r' => '\r', 'n' => '\n', var other => other });
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }
}
