using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WdkDriver.Core.CompoundFiles;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Installer;

/// <summary>
/// Writes an installer database (an .msi) as Windows Installer reads it: the string pool (<c>_StringPool</c>,
/// <c>_StringData</c>), the schema (<c>_Tables</c>, <c>_Columns</c>), each table's stream (column by column, rows in
/// the order of their keys' stored values), binary cells' and other streams, and the summary information, in a
/// compound file whose root has the installer database's class id. The same input gives the same bytes.
/// </summary>
public static class InstallerDatabase
{
    /// <summary>The root storage's class id of an installer database.</summary>
    public static readonly Guid ClassId = new("000C1084-0000-0000-C000-000000000046");

    /// <summary>The schema of the tables that describe the others, written and read alike.</summary>
    internal static readonly InstallerColumn[] TablesSchema = { InstallerColumn.S("Name", 64, key: true) };

    internal static readonly InstallerColumn[] ColumnsSchema =
    {
        InstallerColumn.S("Table", 64, key: true), InstallerColumn.I2("Number", key: true), InstallerColumn.S("Name", 64), InstallerColumn.I2("Type"),
    };

    /// <param name="streams">Streams besides the tables', named as they are stored (an embedded cabinet: <c>cab1.cab</c>).</param>
    public static byte[] Write(IReadOnlyList<InstallerTable> tables, IReadOnlyList<CompoundFileStream> streams, SummaryInformation summary)
    {
        var pool = new StringPool();
        var ordered = tables.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

        // Strings get their ids in a fixed order: table names, column names, then cells table by table.
        foreach (var table in ordered)
        {
            pool.Add(table.Name);
        }

        foreach (var table in ordered)
        {
            foreach (var column in table.Columns)
            {
                pool.Add(column.Name);
            }
        }

        var output = new List<CompoundFileStream>();
        foreach (var table in ordered)
        {
            foreach (var row in table.Rows)
            {
                Check(table, row);
                foreach (var (column, cell) in table.Columns.Zip(row, (c, v) => (c, v)))
                {
                    if (column.IsString && cell is string text && text.Length > 0)
                    {
                        pool.Add(text);
                    }
                }
            }
        }

        var tablesRows = ordered.Select(t => new object?[] { t.Name }).ToList();
        var columnsRows = ordered.SelectMany(t => t.Columns.Select((c, i) => new object?[] { t.Name, i + 1, c.Name, c.TypeWord })).ToList();
        output.Add(new CompoundFileStream(InstallerStreamName.Table("_Tables"), TableStream(TablesSchema, tablesRows, pool)));
        output.Add(new CompoundFileStream(InstallerStreamName.Table("_Columns"), TableStream(ColumnsSchema, columnsRows, pool)));
        foreach (var table in ordered.Where(t => t.Rows.Count > 0))
        {
            output.Add(new CompoundFileStream(InstallerStreamName.Table(table.Name), TableStream(table.Columns, table.Rows, pool)));
            foreach (var row in table.Rows)
            {
                foreach (var (column, cell) in table.Columns.Zip(row, (c, v) => (c, v)).Where(x => x.c.Kind == InstallerColumnKind.Binary && x.v is byte[]))
                {
                    var key = string.Join(".", table.Columns.Zip(row, (c, v) => (c, v)).Where(x => x.c.Key).Select(x => Convert.ToString(x.v, System.Globalization.CultureInfo.InvariantCulture)));
                    output.Add(new CompoundFileStream(InstallerStreamName.Encode(table.Name + "." + key), (byte[])cell!));
                }
            }
        }

        var (stringPool, stringData) = pool.Encode();
        output.Add(new CompoundFileStream(InstallerStreamName.Table("_StringPool"), stringPool));
        output.Add(new CompoundFileStream(InstallerStreamName.Table("_StringData"), stringData));
        output.AddRange(streams);
        output.Add(new CompoundFileStream(SummaryInformation.StreamName, summary.Encode()));
        return CompoundFileWriter.Write(output, ClassId);
    }

    private static void Check(InstallerTable table, object?[] row)
    {
        if (row.Length != table.Columns.Count)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.InstallerTableInvalid, $"A row of the {table.Name} table has {row.Length} cells for its {table.Columns.Count} columns."));
        }
    }

    /// <summary>A table's stream: column after column, rows in ascending order of their key columns' stored values.</summary>
    private static byte[] TableStream(IReadOnlyList<InstallerColumn> columns, IReadOnlyList<object?[]> rows, StringPool pool)
    {
        var stored = rows.Select(row => columns.Select((column, i) => Stored(column, row[i], pool)).ToArray()).ToList();
        var keys = columns.Select((c, i) => (c, i)).Where(x => x.c.Key).Select(x => x.i).ToList();
        stored.Sort((a, b) =>
        {
            foreach (var key in keys)
            {
                var order = a[key].CompareTo(b[key]);
                if (order != 0)
                {
                    return order;
                }
            }

            return 0;
        });

        var output = new byte[rows.Count * columns.Sum(c => c.Width)];
        var offset = 0;
        for (var c = 0; c < columns.Count; c++)
        {
            foreach (var row in stored)
            {
                if (columns[c].Width == 4)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(offset), row[c]);
                }
                else
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(offset), (ushort)row[c]);
                }

                offset += columns[c].Width;
            }
        }

        return output;
    }

    /// <summary>A cell as stored: a string's id (0 null), an i2 + 0x8000, an i4 XOR 0x80000000 (0 null), a binary cell 1 when its stream is there.</summary>
    private static uint Stored(InstallerColumn column, object? cell, StringPool pool) => column.Kind switch
    {
        _ when cell is null => 0,
        InstallerColumnKind.String or InstallerColumnKind.LocalizableString => pool.Id((string)cell),
        InstallerColumnKind.Int16 => (uint)(Convert.ToInt16(cell, System.Globalization.CultureInfo.InvariantCulture) + 0x8000) & 0xFFFF,
        InstallerColumnKind.Int32 => (uint)Convert.ToInt32(cell, System.Globalization.CultureInfo.InvariantCulture) ^ 0x80000000,
        _ => 1,
    };

    /// <summary>The strings of the database, each once, with how many cells refer to it.</summary>
    private sealed class StringPool
    {
        private readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);
        private readonly List<string> strings = new();
        private readonly List<int> references = new();

        public void Add(string text)
        {
            if (!ids.ContainsKey(text))
            {
                if (strings.Count == 0xFFFF)
                {
                    throw new WdkException(Diagnostic.Error(ErrorCodes.InstallerTableInvalid, "The installer database would hold more than 65,535 strings."));
                }

                ids[text] = strings.Count + 1;
                strings.Add(text);
                references.Add(0);
            }
        }

        /// <summary>The string's id, counting one more reference to it.</summary>
        public uint Id(string text)
        {
            if (text.Length == 0)
            {
                return 0;
            }

            var id = ids[text];
            references[id - 1]++;
            return (uint)id;
        }

        public (byte[] Pool, byte[] Data) Encode()
        {
            var pool = new MemoryStream();
            var data = new MemoryStream();
            var header = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(header, CodePage1252.Number);
            pool.Write(header, 0, 4);
            for (var i = 0; i < strings.Count; i++)
            {
                var bytes = CodePage1252.GetBytes(strings[i]) ?? throw new WdkException(Diagnostic.Error(
                    ErrorCodes.InstallerTableInvalid,
                    $"'{strings[i]}' has '{CodePage1252.FirstUnrepresentable(strings[i])}', which the installer database's code page (1252, Western European) cannot hold: use another character there."));
                var slot = new byte[4];
                if (bytes.Length > 0xFFFF)
                {
                    // A long string takes two slots: its length's high part first.
                    BinaryPrimitives.WriteUInt16LittleEndian(slot.AsSpan(2), (ushort)(bytes.Length >> 16));
                    pool.Write(slot, 0, 4);
                    slot = new byte[4];
                }

                BinaryPrimitives.WriteUInt16LittleEndian(slot, (ushort)(bytes.Length & 0xFFFF));
                BinaryPrimitives.WriteUInt16LittleEndian(slot.AsSpan(2), (ushort)Math.Min(references[i], 0xFFFF));
                pool.Write(slot, 0, 4);
                data.Write(bytes, 0, bytes.Length);
            }

            return (pool.ToArray(), data.ToArray());
        }
    }
}
