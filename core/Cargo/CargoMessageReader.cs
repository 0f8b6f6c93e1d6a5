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
            root.TryGetProperty("fresh", out var fresh) && fresh.ValueKind == JsonValueKind.True);
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

        var diagnostic = severity == Severity.Message || text.Length == 0
            ? null
            : new Diagnostic(severity, code, text, file, line, column);
        return new CargoCompilerMessage(String(root, "package_id") ?? string.Empty, diagnostic, rendered.TrimEnd());
    }

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
