using System;
using System.Collections.Generic;
using System.Text;

namespace WdkDriver.Core.Inf;

/// <summary>Reads sections and entries from physical lines, as SetupAPI does: comments, quotes, continuations.</summary>
internal static class InfParser
{
    public static (IReadOnlyList<InfSection> Sections, IReadOnlyList<InfParseError> Errors) Parse(IReadOnlyList<InfLine> lines)
    {
        var sections = new List<InfSection>();
        var errors = new List<InfParseError>();
        InfSection? current = null;

        for (var index = 0; index < lines.Count; index++)
        {
            var first = index;
            var (content, unclosedQuote) = StripComment(lines[index].Text);
            var logical = new StringBuilder();
            // A backslash that ends a line's content continues the entry on the next line.
            while (content.TrimEnd().EndsWith("\\", StringComparison.Ordinal) && index + 1 < lines.Count)
            {
                var trimmed = content.TrimEnd();
                logical.Append(trimmed, 0, trimmed.Length - 1);
                index++;
                (content, var open) = StripComment(lines[index].Text);
                unclosedQuote |= open;
            }

            logical.Append(content);
            var text = logical.ToString();
            var indent = CountLeadingSpace(text);
            if (indent == text.Length)
            {
                continue;
            }

            if (unclosedQuote)
            {
                errors.Add(new InfParseError(first + 1, indent + 1, "a quoted string is not closed on its line"));
                continue;
            }

            if (text[indent] == '[')
            {
                var close = text.IndexOf(']', indent);
                if (close < 0)
                {
                    errors.Add(new InfParseError(first + 1, indent + 1, "the section header has no closing ']'"));
                    current = null;
                    continue;
                }

                current = new InfSection(text.Substring(indent + 1, close - indent - 1).Trim(), first + 1, indent + 1);
                sections.Add(current);
                continue;
            }

            // Entries before the first section belong to no section; SetupAPI ignores them.
            current?.Entries.Add(ParseEntry(text, indent, first + 1, index + 1));
        }

        return (sections, errors);
    }

    private static InfEntry ParseEntry(string text, int indent, int line, int lastLine)
    {
        var equals = IndexOutsideQuotes(text, '=', indent);
        string? key = null;
        var valueStart = indent;
        if (equals >= 0)
        {
            key = Unquote(text.Substring(indent, equals - indent).Trim());
            valueStart = equals + 1;
        }

        var raw = text.Substring(valueStart);
        var values = new List<string>();
        var start = 0;
        while (true)
        {
            var comma = IndexOutsideQuotes(raw, ',', start);
            values.Add(Unquote(raw.Substring(start, (comma < 0 ? raw.Length : comma) - start).Trim()));
            if (comma < 0)
            {
                break;
            }

            start = comma + 1;
        }

        if (values.Count == 1 && values[0].Length == 0 && raw.Trim().Length == 0)
        {
            values.Clear();
        }

        var valueColumn = valueStart + CountLeadingSpace(raw) + 1;
        return new InfEntry(key, values, raw.Trim(), line, lastLine, indent + 1, valueColumn);
    }

    /// <summary>The comment of a physical line (from its <c>;</c> on), or "".</summary>
    public static string CommentOf(string line)
    {
        var content = StripComment(line).Content;
        return line.Substring(content.Length);
    }

    /// <summary>The text before a <c>;</c> that is outside quotes, and whether a quote was left open.</summary>
    private static (string Content, bool UnclosedQuote) StripComment(string line)
    {
        var inQuotes = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (line[i] == ';' && !inQuotes)
            {
                return (line.Substring(0, i), false);
            }
        }

        return (line, inQuotes);
    }

    private static int IndexOutsideQuotes(string text, char target, int start)
    {
        var inQuotes = false;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (text[i] == target && !inQuotes)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Removes the quotes of quoted parts; <c>""</c> inside quotes stands for one <c>"</c>.</summary>
    private static string Unquote(string value)
    {
        if (value.IndexOf('"') < 0)
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        var inQuotes = false;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '"')
            {
                result.Append(value[i]);
            }
            else if (inQuotes && i + 1 < value.Length && value[i + 1] == '"')
            {
                result.Append('"');
                i++;
            }
            else
            {
                inQuotes = !inQuotes;
            }
        }

        return result.ToString();
    }

    private static int CountLeadingSpace(string text)
    {
        var count = 0;
        while (count < text.Length && (text[count] == ' ' || text[count] == '\t'))
        {
            count++;
        }

        return count;
    }
}
