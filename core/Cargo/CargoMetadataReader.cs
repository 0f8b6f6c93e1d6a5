using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Cargo;

/// <summary>Parses the JSON of <c>cargo metadata --format-version 1</c>; cargo did the TOML.</summary>
public static class CargoMetadataReader
{
    public static CargoWorkspace Parse(string json, string manifestPath)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var memberIds = new HashSet<string>(root.GetProperty("workspace_members").EnumerateArray().Select(m => m.GetString()!));
            var members = root.GetProperty("packages").EnumerateArray()
                .Where(p => memberIds.Contains(p.GetProperty("id").GetString()!))
                .Select(ParsePackage)
                .ToList();
            return new CargoWorkspace(
                root.GetProperty("workspace_root").GetString()!,
                root.GetProperty("target_directory").GetString()!,
                members,
                OptionalObject(root, "metadata"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.CargoMetadataFailed,
                $"cargo metadata printed output that is not the expected JSON ({e.Message}). Check that CargoPath is a real cargo.",
                manifestPath));
        }
    }

    private static CargoPackage ParsePackage(JsonElement package) => new(
        package.GetProperty("id").GetString()!,
        package.GetProperty("name").GetString()!,
        package.GetProperty("manifest_path").GetString()!,
        package.GetProperty("targets").EnumerateArray().Select(ParseTarget).ToList(),
        OptionalObject(package, "metadata"));

    private static CargoTarget ParseTarget(JsonElement target) => new(
        target.GetProperty("name").GetString()!,
        Strings(target, "kind"),
        Strings(target, "crate_types"));

    private static IReadOnlyList<string> Strings(JsonElement element, string property) =>
        element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(s => s.GetString() ?? string.Empty).ToList()
            : Array.Empty<string>();

    private static JsonElement? OptionalObject(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Object ? value.Clone() : null;
}
