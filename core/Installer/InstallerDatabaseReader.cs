using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using WdkDriver.Core.CompoundFiles;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Installer;

/// <summary>
/// Reads the tables of an installer database: the string pool, the schema in <c>_Columns</c>, each table's stream.
/// A file that contradicts itself (a reference past the pool, a stream that is not whole rows, a column type it does
/// not know) is refused with WDK5041 instead of being guessed at.
/// </summary>
public sealed class InstallerDatabaseReader
{
    private readonly string path;
    private readonly Dictionary<string, byte[]> streams;
    private readonly List<string?> strings = new() { null };
    private readonly int referenceWidth;

    private InstallerDatabaseReader(CompoundFile file, string path)
    {
        this.path = path;
        streams = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var stream in file.Streams)
        {
            streams[stream.Name] = stream.Data;
        }

        if (file.RootClassId != InstallerDatabase.ClassId)
        {
            throw Malformed("its root is not an installer database's (another compound file, such as a Word document or a transform)");
        }

        var pool = Stream(InstallerStreamName.Table("_StringPool")) ?? throw Malformed("it has no string pool");
        var data = Stream(InstallerStreamName.Table("_StringData")) ?? Array.Empty<byte>();
        if (pool.Length < 4 || pool.Length % 4 != 0)
        {
            throw Malformed("its string pool is not whole 4-byte slots");
        }

        var header = BinaryPrimitives.ReadUInt32LittleEndian(pool);
        referenceWidth = (header & 0x80000000) != 0 ? 3 : 2;
        var text = Decoder((int)(header & 0x7FFFFFFF));
        var offset = 0L;
        for (var slot = 4; slot < pool.Length; slot += 4)
        {
            long length = BinaryPrimitives.ReadUInt16LittleEndian(pool.AsSpan(slot));
            var count = BinaryPrimitives.ReadUInt16LittleEndian(pool.AsSpan(slot + 2));
            if (length == 0 && count != 0 && slot + 4 < pool.Length)
            {
                // A string of 64 KiB or more: this slot holds its length's high part, the next one the rest.
                slot += 4;
                length = ((long)count << 16) | BinaryPrimitives.ReadUInt16LittleEndian(pool.AsSpan(slot));
            }

            if (offset + length > data.Length)
            {
                throw Malformed("its string pool names more bytes than its string data holds");
            }

            strings.Add(text(data, (int)offset, (int)length));
            offset += length;
        }

        streams.Remove(InstallerStreamName.Table("_StringPool"));
        streams.Remove(InstallerStreamName.Table("_StringData"));
    }

    /// <summary>The tables the database lists, each with its columns and rows (binary cells as their streams' bytes).</summary>
    public IReadOnlyList<InstallerTable> Tables { get; private set; } = Array.Empty<InstallerTable>();

    /// <summary>The streams that are neither tables nor binary cells (an embedded cabinet), by name.</summary>
    public IReadOnlyDictionary<string, byte[]> Streams => streams;

    public static InstallerDatabaseReader Read(string path) => Read(CompoundFile.Read(path), path);

    public static InstallerDatabaseReader Read(CompoundFile file, string path)
    {
        var reader = new InstallerDatabaseReader(file, path);
        reader.Tables = reader.ReadTables();
        return reader;
    }

    public InstallerTable? Table(string name) => Tables.FirstOrDefault(t => t.Name == name);

    private List<InstallerTable> ReadTables()
    {
        var columns = ReadRows("_Columns", InstallerDatabase.ColumnsSchema);
        var names = ReadRows("_Tables", InstallerDatabase.TablesSchema).Select(r => (string?)r[0]).ToList();
        var tables = new List<InstallerTable>();
        foreach (var name in names)
        {
            if (name is null)
            {
                throw Malformed("_Tables lists a table without a name");
            }

            var rows = columns.Where(c => (string?)c[0] == name).ToList();
            if (rows.Any(c => c[1] is not int || c[3] is not int))
            {
                throw Malformed($"_Columns gives a column of the {name} table without a number or a type");
            }

            var schema = rows.OrderBy(c => (int)c[1]!).Select(c => Column((string?)c[2] ?? string.Empty, (int)c[3]!, name)).ToList();
            if (schema.Count == 0)
            {
                throw Malformed($"_Columns has no columns for the {name} table");
            }

            tables.Add(new InstallerTable(name, schema, ReadRows(name, schema)));
        }

        return tables;
    }

    private List<object?[]> ReadRows(string table, IReadOnlyList<InstallerColumn> schema)
    {
        var bytes = Stream(InstallerStreamName.Table(table)) ?? Array.Empty<byte>();
        var widths = schema.Select(c => c.IsString ? referenceWidth : c.Width).ToList();
        var rowWidth = widths.Sum();
        if (bytes.Length % rowWidth != 0)
        {
            throw Malformed($"the {table} table's stream is {bytes.Length} bytes, not whole rows of {rowWidth}");
        }

        var count = bytes.Length / rowWidth;
        var rows = Enumerable.Range(0, count).Select(_ => new object?[schema.Count]).ToList();
        var offset = 0;
        for (var c = 0; c < schema.Count; c++)
        {
            for (var r = 0; r < count; r++)
            {
                var raw = widths[c] switch
                {
                    4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)),
                    3 => (uint)(bytes[offset] | bytes[offset + 1] << 8 | bytes[offset + 2] << 16),
                    _ => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset)),
                };
                offset += widths[c];
                rows[r][c] = Cell(schema[c], raw, table);
            }
        }

        foreach (var row in rows)
        {
            for (var c = 0; c < schema.Count; c++)
            {
                if (schema[c].Kind == InstallerColumnKind.Binary && row[c] is not null)
                {
                    var key = string.Join(".", schema.Select((s, i) => (s, i)).Where(x => x.s.Key).Select(x => Convert.ToString(row[x.i], System.Globalization.CultureInfo.InvariantCulture)));
                    var name = InstallerStreamName.Encode(table + "." + key);
                    row[c] = streams.TryGetValue(name, out var data) ? data : throw Malformed($"the {table} row '{key}' names a stream that is not there");
                    streams.Remove(name);
                }
            }
        }

        streams.Remove(InstallerStreamName.Table(table));
        return rows;
    }

    private object? Cell(InstallerColumn column, uint raw, string table) => column.Kind switch
    {
        _ when raw == 0 => null,
        InstallerColumnKind.String or InstallerColumnKind.LocalizableString => raw < strings.Count
            ? strings[(int)raw]
            : throw Malformed($"a cell of the {table} table refers to string {raw}, past the pool's {strings.Count - 1}"),
        InstallerColumnKind.Int16 => (int)raw - 0x8000,
        InstallerColumnKind.Int32 => (int)(raw ^ 0x80000000),
        _ => Array.Empty<byte>(),
    };

    private InstallerColumn Column(string name, int type, string table)
    {
        var nullable = (type & 0x1000) != 0;
        var key = (type & 0x2000) != 0;
        var kind = (type & 0x0F00) switch
        {
            0x0D00 or 0x0C00 => InstallerColumnKind.String,
            0x0F00 or 0x0E00 => InstallerColumnKind.LocalizableString,
            0x0500 or 0x0400 => InstallerColumnKind.Int16,
            0x0100 or 0x0000 when (type & 0xFF) == 4 => InstallerColumnKind.Int32,
            0x0900 or 0x0800 => InstallerColumnKind.Binary,
            _ => throw Malformed($"the {table} table's column {name} has a type (0x{type:X4}) no installer database uses"),
        };
        return new InstallerColumn(name, kind, kind is InstallerColumnKind.String or InstallerColumnKind.LocalizableString ? type & 0xFF : 0, nullable, key);
    }

    /// <summary>The pool's strings in its code page: 1252 (or 0, neutral, which the SDK reads as 1252), UTF-8, or one the platform has.</summary>
    private Func<byte[], int, int, string> Decoder(int codePage)
    {
        if (codePage is 0 or CodePage1252.Number)
        {
            return CodePage1252.GetString;
        }

        try
        {
            var encoding = Encoding.GetEncoding(codePage);
            return encoding.GetString;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw Malformed($"its strings are in code page {codePage}, which this platform cannot read");
        }
    }

    private byte[]? Stream(string name) => streams.TryGetValue(name, out var data) ? data : null;

    private WdkException Malformed(string what) =>
        new(Diagnostic.Error(ErrorCodes.InstallerMalformed, $"Cannot read the installer database: {what}.", path));
}
