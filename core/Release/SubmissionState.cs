using System;
using System.IO;
using System.Text.Json;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;

namespace WdkDriver.Core.Release;

/// <summary>
/// What a submission has done so far, written (atomically) before each step so that a rerun after a crash, a kill or
/// a CI timeout goes on with the same product and submission instead of making new ones. Tied to the cabinet by its
/// SHA-256: another cabinet never resumes this one's submission.
/// </summary>
public sealed record SubmissionState(string CabinetSha256, string? ProductId = null, string? SubmissionId = null, bool Uploaded = false, bool Committed = false)
{
    /// <summary>The state for this cabinet: the file's when it is this cabinet's, a fresh one when there is none.</summary>
    public static SubmissionState Load(string path, string cabinetSha256)
    {
        if (!File.Exists(path))
        {
            return new SubmissionState(cabinetSha256);
        }

        SubmissionState? state;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            bool Flag(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
            state = Text("cabinetSha256") is { } sha ? new SubmissionState(sha, Text("productId"), Text("submissionId"), Flag("uploaded"), Flag("committed")) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.SubmissionStateInvalid, $"The submission state cannot be read ({e.Message}); delete it to start a new submission.", path), e);
        }

        if (state is null || !string.Equals(state.CabinetSha256, cabinetSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new WdkException(Diagnostic.Error(
                ErrorCodes.SubmissionStateInvalid,
                $"The submission state belongs to another cabinet (SHA-256 {state?.CabinetSha256}, this one is {cabinetSha256}): give each cabinet its own state file, or delete this one to submit anew.",
                path));
        }

        return state;
    }

    public void Save(string path)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("cabinetSha256", CabinetSha256);
            writer.WriteString("productId", ProductId);
            writer.WriteString("submissionId", SubmissionId);
            writer.WriteBoolean("uploaded", Uploaded);
            writer.WriteBoolean("committed", Committed);
            writer.WriteEndObject();
        }

        AtomicFile.Write(path, buffer.ToArray(), ErrorCodes.SubmissionStateInvalid);
    }
}
