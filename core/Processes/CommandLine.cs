using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace WdkDriver.Core.Processes;

/// <summary>Quotes arguments the way the Windows C runtime splits them, which is also readable in a Unix log.</summary>
public static class CommandLine
{
    public static string Join(string fileName, IEnumerable<string> arguments) =>
        string.Join(" ", new[] { fileName }.Concat(arguments).Select(Quote));

    public static string JoinArguments(IEnumerable<string> arguments) => string.Join(" ", arguments.Select(Quote));

    /// <summary>Splits a user's argument string at white space; double quotes group, as in a shell.</summary>
    public static IReadOnlyList<string> Split(string? text)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        var inQuotes = false;
        var pending = false;
        foreach (var c in text ?? string.Empty)
        {
            if (c == '"')
            {
                inQuotes = !inQuotes;
                pending = true;
            }
            else if (char.IsWhiteSpace(c) && !inQuotes)
            {
                if (pending)
                {
                    arguments.Add(current.ToString());
                    current.Clear();
                    pending = false;
                }
            }
            else
            {
                current.Append(c);
                pending = true;
            }
        }

        if (pending)
        {
            arguments.Add(current.ToString());
        }

        return arguments;
    }

    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
        {
            return argument;
        }

        var quoted = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            // Backslashes are literal unless they precede a quote; then each must be doubled and the quote escaped.
            quoted.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes);
            backslashes = 0;
            quoted.Append(c);
        }

        quoted.Append('\\', backslashes * 2);
        return quoted.Append('"').ToString();
    }
}
