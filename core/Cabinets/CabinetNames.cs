using System;
using System.Linq;

namespace WdkDriver.Core.Cabinets;

/// <summary>
/// The names a cabinet may hold: relative paths with backslashes whose every segment is a plain Windows file name.
/// The writer refuses others; the reader refuses to extract them, so nothing lands outside the target folder.
/// </summary>
public static class CabinetNames
{
    private static readonly string[] Devices = new[] { "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$" }
        .Concat(Enumerable.Range(0, 10).SelectMany(n => new[] { "COM" + n, "LPT" + n }))
        .ToArray();

    /// <summary>The name with <c>/</c> as <c>\</c>, or why it cannot be a cabinet entry.</summary>
    public static string? Problem(string name, out string normalized)
    {
        normalized = name.Replace('/', '\\');
        if (normalized.Length == 0)
        {
            return "an empty name";
        }

        if (CabinetFormat.Utf8.GetByteCount(normalized) > 255)
        {
            return "longer than 255 bytes";
        }

        if (normalized[0] == '\\')
        {
            return "an absolute path";
        }

        foreach (var segment in normalized.Split('\\'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                return $"a path segment '{segment}'";
            }

            if (segment.Any(c => c < 0x20 || "<>:\"|?*".IndexOf(c) >= 0))
            {
                return "a character Windows does not allow in file names (or a drive)";
            }

            if (segment.EndsWith(".", StringComparison.Ordinal) || segment.EndsWith(" ", StringComparison.Ordinal))
            {
                return "a segment ending in a dot or space";
            }

            var stem = segment.Split('.')[0].TrimEnd(' ');
            if (Devices.Contains(stem, StringComparer.OrdinalIgnoreCase))
            {
                return $"the device name '{stem}'";
            }
        }

        return null;
    }
}
