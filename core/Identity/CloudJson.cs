using System.Text.Json;

namespace WdkDriver.Core.Identity;

/// <summary>Reading the small JSON answers of Azure's services without reflection (the command is compiled ahead of time).</summary>
public static class CloudJson
{
    public static JsonDocument? Parse(string body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A string property, or null.</summary>
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A whole number given as a number or as a string, or null.</summary>
    public static long? Number(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number
            : value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), out var parsed) ? parsed
            : null;
    }

    /// <summary>
    /// ", code: message" from the error shapes Azure's services answer with ({"error": {...}}, {"errorDetail": {...}},
    /// OAuth's error and error_description), or empty. They hold no secret; the rest of an answer is never shown.
    /// </summary>
    public static string ErrorText(JsonDocument? json)
    {
        if (json is null || json.RootElement.ValueKind != JsonValueKind.Object)
        {
            return string.Empty;
        }

        var root = json.RootElement;
        foreach (var wrapper in new[] { "error", "errorDetail" })
        {
            if (root.TryGetProperty(wrapper, out var inner) && inner.ValueKind == JsonValueKind.Object)
            {
                return $", {Text(inner, "code")}: {Text(inner, "message")?.Split('\n')[0].Trim()}";
            }
        }

        return Text(root, "error") is { } error ? $", {error}: {Text(root, "error_description")?.Split('\n')[0].Trim()}" : string.Empty;
    }
}
