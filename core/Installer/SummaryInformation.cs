using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace WdkDriver.Core.Installer;

/// <summary>
/// A package's summary information (<c>\x05SummaryInformation</c>, an OLE property set): what Explorer and msiexec
/// show of it, the platform it is for, and its package code.
/// </summary>
public sealed record SummaryInformation(
    string Subject,
    string Author,
    string Template,
    Guid PackageCode,
    DateTimeOffset Time,
    string CreatingApplication = "WdkDriver.Sdk",
    int Codepage = 1252)
{
    public const string StreamName = "\u0005SummaryInformation";

    private static readonly byte[] FormatId = { 0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10, 0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9 };

    public byte[] Encode()
    {
        var fileTime = Time.ToUniversalTime().ToFileTime();
        var properties = new SortedDictionary<int, byte[]>
        {
            [1] = Value(2, BitConverter.GetBytes((short)Codepage).Concat(new byte[2]).ToArray()),
            [2] = Text("Installation Database"),
            [3] = Text(Subject),
            [4] = Text(Author),
            [7] = Text(Template),
            [9] = Text(PackageCode.ToString("B").ToUpperInvariant()),
            [12] = Value(0x40, BitConverter.GetBytes(fileTime)),
            [13] = Value(0x40, BitConverter.GetBytes(fileTime)),
            // Windows Installer 5.0: ARM64 packages need it, 64-bit ones 2.0.
            [14] = Value(3, BitConverter.GetBytes(500)),
            // Compressed, long file names.
            [15] = Value(3, BitConverter.GetBytes(2)),
            [18] = Text(CreatingApplication),
            // Read-only recommended.
            [19] = Value(3, BitConverter.GetBytes(2)),
        };

        var section = new MemoryStream();
        var header = 8 + properties.Count * 8;
        var offset = header;
        var table = new List<(int Id, int Offset)>();
        foreach (var property in properties)
        {
            table.Add((property.Key, offset));
            offset += property.Value.Length;
        }

        Write(section, offset);
        Write(section, properties.Count);
        foreach (var (id, at) in table)
        {
            Write(section, id);
            Write(section, at);
        }

        foreach (var value in properties.Values)
        {
            section.Write(value, 0, value.Length);
        }

        var stream = new MemoryStream();
        stream.Write(new byte[] { 0xFE, 0xFF, 0, 0 }, 0, 4);
        Write(stream, 0x00020005);
        stream.Write(new byte[16], 0, 16);
        Write(stream, 1);
        stream.Write(FormatId, 0, FormatId.Length);
        Write(stream, 0x30);
        section.WriteTo(stream);
        return stream.ToArray();

        byte[] Text(string text)
        {
            // The summary's strings are in its code page, 1252, as the database's.
            var bytes = (CodePage1252.GetBytes(text) ?? throw new Diagnostics.WdkException(Diagnostics.Diagnostic.Error(
                Diagnostics.ErrorCodes.InstallerTableInvalid,
                $"'{text}' has '{CodePage1252.FirstUnrepresentable(text)}', which the installer's summary (code page 1252, Western European) cannot hold: use another character there."))).Concat(new byte[] { 0 }).ToArray();
            var padded = new byte[(bytes.Length + 3) / 4 * 4];
            bytes.CopyTo(padded, 0);
            return Value(0x1E, BitConverter.GetBytes(bytes.Length).Concat(padded).ToArray());
        }
    }

    private static byte[] Value(int type, byte[] payload) => BitConverter.GetBytes(type).Concat(payload).ToArray();

    private static void Write(Stream stream, int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        stream.Write(bytes, 0, 4);
    }
}
