using System;
using System.Globalization;
using System.Linq;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Inf;

/// <summary>The value of a <c>DriverVer</c> directive: <c>MM/DD/YYYY,w.x.y.z</c>. Windows ranks drivers by it.</summary>
public sealed record DriverVer(DateTime Date, ushort[] Version)
{
    public string VersionText => string.Join(".", Version.Select(p => p.ToString(CultureInfo.InvariantCulture)));

    public override string ToString() => Date.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture) + "," + VersionText;

    public static bool TryParseDate(string text, out DateTime date) =>
        DateTime.TryParseExact(text.Trim(), new[] { "MM/dd/yyyy", "M/d/yyyy" }, CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
        && text.Trim().Split('/').Length == 3;

    /// <summary>One to four parts, each 0..65535; missing parts are 0.</summary>
    public static ushort[]? TryParseVersion(string text)
    {
        var parts = text.Trim().Split('.');
        if (parts.Length is < 1 or > 4)
        {
            return null;
        }

        var numbers = new ushort[4];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!ushort.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return null;
            }
        }

        return numbers;
    }

    public static DriverVer Parse(string text, string? file = null)
    {
        var comma = text.IndexOf(',');
        var datePart = comma < 0 ? text : text.Substring(0, comma);
        if (!TryParseDate(datePart, out var date))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.DriverDateInvalid, $"'{datePart.Trim()}' is not a DriverVer date; write MM/DD/YYYY.", file));
        }

        var version = comma < 0 ? new ushort[4] : TryParseVersion(text.Substring(comma + 1))
            ?? throw new WdkException(Diagnostic.Error(ErrorCodes.DriverVersionInvalid, $"'{text.Substring(comma + 1).Trim()}' is not a DriverVer version; write w.x.y.z with each part from 0 to 65535.", file));
        return new DriverVer(date, version);
    }

    public bool Equals(DriverVer? other) => other is not null && Date == other.Date && Version.SequenceEqual(other.Version);

    public override int GetHashCode() => Date.GetHashCode();
}
