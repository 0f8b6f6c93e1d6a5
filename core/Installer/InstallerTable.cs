using System;
using System.Collections.Generic;

namespace WdkDriver.Core.Installer;

/// <summary>What a column holds, as the IDT notation names it: s/S string (size 0 = unbounded), l/L localizable string, i2/I2, i4/I4, v/V binary stream; upper case = nullable.</summary>
public enum InstallerColumnKind
{
    String,
    LocalizableString,
    Int16,
    Int32,
    Binary,
}

public sealed record InstallerColumn(string Name, InstallerColumnKind Kind, int Size = 0, bool Nullable = false, bool Key = false)
{
    /// <summary>The column's type word in <c>_Columns</c>.</summary>
    public int TypeWord => 0x0100 | (Nullable ? 0x1000 : 0) | (Key ? 0x2000 : 0) | Kind switch
    {
        InstallerColumnKind.String => 0x0C00 | Size,
        InstallerColumnKind.LocalizableString => 0x0E00 | Size,
        InstallerColumnKind.Int16 => 0x0400 | 2,
        InstallerColumnKind.Int32 => 4,
        InstallerColumnKind.Binary => 0x0800,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    };

    /// <summary>Bytes per cell in a table stream (2-byte string references).</summary>
    public int Width => Kind == InstallerColumnKind.Int32 ? 4 : 2;

    public bool IsString => Kind is InstallerColumnKind.String or InstallerColumnKind.LocalizableString;

    public static InstallerColumn S(string name, int size, bool key = false) => new(name, InstallerColumnKind.String, size, Key: key);

    public static InstallerColumn SNull(string name, int size) => new(name, InstallerColumnKind.String, size, Nullable: true);

    public static InstallerColumn L(string name, int size, bool nullable = false) => new(name, InstallerColumnKind.LocalizableString, size, nullable);

    public static InstallerColumn I2(string name, bool nullable = false, bool key = false) => new(name, InstallerColumnKind.Int16, Nullable: nullable, Key: key);

    public static InstallerColumn I4(string name, bool nullable = false) => new(name, InstallerColumnKind.Int32, Nullable: nullable);

    public static InstallerColumn V(string name, bool nullable = false) => new(name, InstallerColumnKind.Binary, Nullable: nullable);
}

/// <summary>
/// A table of an installer database: its columns and rows. A cell is a string, an int, a byte[] (a binary column's
/// stream) or null.
/// </summary>
public sealed record InstallerTable(string Name, IReadOnlyList<InstallerColumn> Columns, IReadOnlyList<object?[]> Rows);
