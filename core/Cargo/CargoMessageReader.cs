using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Cargo;

/// <summary>
/// Reads cargo's JSON messages. Any line, however malformed, becomes a message: a reader that throws would hide the
/// compiler's own errors.
/// </summary>
public static class CargoMessageReader
{
    /// <param name="workspaceRoot">rustc runs there, so the file names in its spans are relative to it.</param>
    public static CargoMessage Read(string line, string workspaceRoot)
    {
        if (!line.StartsWith("{", StringComparison.Ordinal))
        {
            return new CargoOtherMessage(line);
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return String(root, "reason") switch
            {
                "compiler-artifact" => ReadArtifact(root) ?? (CargoMessage)new CargoOtherMessage(line),
                "compiler-message" => ReadCompilerMessage(root, workspaceRoot) ?? (CargoMessage)new CargoOtherMessage(line),
                "build-finished" => new CargoBuildFinished(root.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True),
                _ => new CargoOtherMessage(line),
            };
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return new CargoOtherMessage(line);
        }
    }

    private static CargoArtifact? ReadArtifact(JsonElement root)
    {
        if (String(root, "package_id") is not { } packageId
            || !root.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.Object
            || String(target, "name") is not { } name)
        {
            return null;
        }

        return new CargoArtifact(
            packageId,
            new CargoTarget(name, Strings(target, "kind"), Strings(target, "crate_types")),
            Strings(root, "filenames"),
            String(root, "executable"),
            root.TryGetProperty("fresh", out var fresh) && fresh.ValueKind == JsonValueKind.True,
            String(root, "manifest_path"));
    }

    private static CargoCompilerMessage? ReadCompilerMessage(JsonElement root, string workspaceRoot)
    {
        if (!root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var text = String(message, "message") ?? string.Empty;
        var rendered = String(message, "rendered") ?? text;
        var severity = String(message, "level") switch
        {
            "error" or "error: internal compiler error" => Severity.Error,
            "warning" => Severity.Warning,
            _ => Severity.Message,
        };
        var code = message.TryGetProperty("code", out var codeElement) && codeElement.ValueKind == JsonValueKind.Object
            ? String(codeElement, "code") ?? string.Empty
            : string.Empty;
        var spanless = PrimarySpan(message) is null;
        if (spanless && code.Length == 0 && Summary(text))
        {
            // "1 warning emitted", "aborting due to 2 previous errors": a count of the diagnostics already reported.
            return new CargoCompilerMessage(String(root, "package_id") ?? string.Empty, null, rendered.TrimEnd());
        }

        if (severity == Severity.Error && code.Length == 0)
        {
            // A syntax error, say: rustc gives it no code of its own.
            code = ErrorCodes.RustcError;
        }

        var span = PrimarySpan(message);
        string? file = null;
        int line = 0, column = 0;
        if (span is { } primary)
        {
            var fileName = String(primary, "file_name");
            file = string.IsNullOrEmpty(fileName) ? null : Combine(workspaceRoot, fileName!);
            line = Int(primary, "line_start");
            column = Int(primary, "column_start");
            if (String(primary, "label") is { Length: > 0 } label)
            {
                text += ": " + label;
            }
        }

        text += Children(message);
        var diagnostic = severity == Severity.Message || text.Length == 0
            ? null
            : new Diagnostic(severity, code, text, file, line, column);
        return new CargoCompilerMessage(String(root, "package_id") ?? string.Empty, diagnostic, rendered.TrimEnd());
    }

    private static bool Summary(string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, @"^(\d+ warnings? emitted|aborting due to .*|\d+ warnings? and \d+ errors? emitted)$");

    /// <summary>rustc's help and note lines, with a suggested replacement where there is one, on the same line.</summary>
    private static string Children(JsonElement message)
    {
        if (!message.TryGetProperty("children", out var children) || children.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        var text = new System.Text.StringBuilder();
        foreach (var child in children.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object))
        {
            var level = String(child, "level");
            var line = String(child, "message");
            if (level is not ("help" or "note") || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            text.Append("; ").Append(level).Append(": ").Append(line!.Replace('\n', ' '));
            if (Suggestion(child) is { Length: > 0 and <= 120 } suggestion && !suggestion.Contains('\n'))
            {
                text.Append(": `").Append(suggestion).Append('`');
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The code rustc suggests, whole: a suggestion can be several edits of one line (<c>(</c> before an expression,
    /// <c>).into()</c> after it), so the edits are applied to the line they change. Edits over several lines or lines
    /// rustc did not quote give their replacements alone.
    /// </summary>
    private static string? Suggestion(JsonElement child)
    {
        if (!child.TryGetProperty("spans", out var spans) || spans.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var edits = spans.EnumerateArray()
            .Where(s => s.ValueKind == JsonValueKind.Object && String(s, "suggested_replacement") is not null)
            .Select(s => (Line: Int(s, "line_start"), LastLine: Int(s, "line_end"), Start: Int(s, "column_start"), End: Int(s, "column_end"),
                Replacement: String(s, "suggested_replacement")!, Source: SourceLine(s)))
            .ToList();
        if (edits.Count == 0)
        {
            return null;
        }

        var first = edits[0];
        if (first.Source is null || edits.Any(e => e.Line != first.Line || e.LastLine != first.Line || e.Source != first.Source || e.Start < 1 || e.End < e.Start || e.End - 1 > first.Source.Length))
        {
            return string.Join(" … ", edits.Select(e => e.Replacement));
        }

        var code = first.Source;
        foreach (var edit in edits.OrderByDescending(e => e.Start))
        {
            code = code.Substring(0, edit.Start - 1) + edit.Replacement + code.Substring(edit.End - 1);
        }

        // A long line would bury the change: then the edits alone.
        return code.Trim() is { Length: <= 120 } whole ? whole : string.Join(" … ", edits.Select(e => e.Replacement));
    }

    private static string? SourceLine(JsonElement span) =>
        span.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.Array && text.GetArrayLength() > 0 && text[0].ValueKind == JsonValueKind.Object
            ? String(text[0], "text")
            : null;

    private static JsonElement? PrimarySpan(JsonElement message)
    {
        if (!message.TryGetProperty("spans", out var spans) || spans.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var all = spans.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object).ToList();
        return all.FirstOrDefault(s => s.TryGetProperty("is_primary", out var p) && p.ValueKind == JsonValueKind.True) is { ValueKind: JsonValueKind.Object } primary
            ? primary
            : all.Count > 0 ? all[0] : null;
    }

    private static string Combine(string root, string fileName)
    {
        try
        {
            return Path.IsPathRooted(fileName) ? fileName : Path.GetFullPath(Path.Combine(root, fileName));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return fileName;
        }
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0
            ? number
            : 0;

    private static IReadOnlyList<string> Strings(JsonElement element, string property) =>
        element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!).ToList()
            : Array.Empty<string>();
}
