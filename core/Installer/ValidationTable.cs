using System.Collections.Generic;
using System.Linq;

namespace WdkDriver.Core.Installer;

/// <summary>
/// The <c>_Validation</c> table: for every column of the package's tables, whether it may be empty, the range of an
/// integer, the table a foreign key points into, and the category of a string (Identifier, Guid, Formatted, ...), as
/// the Windows Installer SDK's schema gives them. Windows Installer itself does not read it; the validation tools
/// (ICE, Orca, the WiX toolset's validator) check a package's rows against it.
/// </summary>
public static class ValidationTable
{
    public const string Name = "_Validation";

    public static readonly InstallerColumn[] Columns =
    {
        InstallerColumn.S("Table", 32, key: true), InstallerColumn.S("Column", 32, key: true), InstallerColumn.S("Nullable", 4),
        InstallerColumn.I4("MinValue", nullable: true), InstallerColumn.I4("MaxValue", nullable: true), InstallerColumn.SNull("KeyTable", 255),
        InstallerColumn.I2("KeyColumn", nullable: true), InstallerColumn.SNull("Category", 32), InstallerColumn.SNull("Set", 255), InstallerColumn.SNull("Description", 255),
    };

    private const int MaxI2 = 32767;
    private const int MaxI4 = 2147483647;

    /// <summary>(table, column) → category, range, foreign key, allowed values.</summary>
    private static readonly Dictionary<(string Table, string Column), Rule> Rules = new Rule[]
    {
        new("Property", "Property", "Identifier"), new("Property", "Value", "Text"),
        new("Directory", "Directory", "Identifier"), new("Directory", "Directory_Parent", "Identifier", KeyTable: "Directory"), new("Directory", "DefaultDir", "DefaultDir"),
        new("Component", "Component", "Identifier"), new("Component", "ComponentId", "Guid"), new("Component", "Directory_", "Identifier", KeyTable: "Directory"),
        new("Component", "Attributes", Max: MaxI2), new("Component", "Condition", "Condition"), new("Component", "KeyPath", "Identifier", KeyTable: "File;Registry;ODBCDataSource"),
        new("File", "File", "Identifier"), new("File", "Component_", "Identifier", KeyTable: "Component"), new("File", "FileName", "Filename"), new("File", "FileSize", Max: MaxI4),
        new("File", "Version", "Version", KeyTable: "File"), new("File", "Language", "Language"), new("File", "Attributes", Max: MaxI2), new("File", "Sequence", Min: 1, Max: MaxI2),
        new("Feature", "Feature", "Identifier"), new("Feature", "Feature_Parent", "Identifier", KeyTable: "Feature"), new("Feature", "Title", "Text"), new("Feature", "Description", "Text"),
        new("Feature", "Display", Max: MaxI2), new("Feature", "Level", Max: MaxI2), new("Feature", "Directory_", "UpperCase", KeyTable: "Directory"),
        new("Feature", "Attributes", Set: "0;1;2;4;5;6;8;9;10;16;17;18;20;21;22;24;25;26;32;33;34;36;37;38;48;49;50;52;53;54"),
        new("FeatureComponents", "Feature_", "Identifier", KeyTable: "Feature"), new("FeatureComponents", "Component_", "Identifier", KeyTable: "Component"),
        new("Media", "DiskId", Min: 1, Max: MaxI2), new("Media", "LastSequence", Max: MaxI2), new("Media", "DiskPrompt", "Text"), new("Media", "Cabinet", "Cabinet"),
        new("Media", "VolumeLabel", "Text"), new("Media", "Source", "Property"),
        new("Upgrade", "UpgradeCode", "Guid"), new("Upgrade", "VersionMin", "Text"), new("Upgrade", "VersionMax", "Text"), new("Upgrade", "Language", "Language"),
        new("Upgrade", "Attributes", Max: MaxI4), new("Upgrade", "Remove", "Formatted"), new("Upgrade", "ActionProperty", "UpperCase"),
        new("LaunchCondition", "Condition", "Condition"), new("LaunchCondition", "Description", "Formatted"),
        new("CustomAction", "Action", "Identifier"), new("CustomAction", "Type", Min: 1, Max: MaxI2), new("CustomAction", "Source", "CustomSource"),
        new("CustomAction", "Target", "Formatted"), new("CustomAction", "ExtendedType", Max: MaxI4),
        new("InstallExecuteSequence", "Action", "Identifier"), new("InstallExecuteSequence", "Condition", "Condition"), new("InstallExecuteSequence", "Sequence", Min: -4, Max: MaxI2),
        new("InstallUISequence", "Action", "Identifier"), new("InstallUISequence", "Condition", "Condition"), new("InstallUISequence", "Sequence", Min: -4, Max: MaxI2),
        new("AdminExecuteSequence", "Action", "Identifier"), new("AdminExecuteSequence", "Condition", "Condition"), new("AdminExecuteSequence", "Sequence", Min: -4, Max: MaxI2),
        new("AdminUISequence", "Action", "Identifier"), new("AdminUISequence", "Condition", "Condition"), new("AdminUISequence", "Sequence", Min: -4, Max: MaxI2),
        new("AdvtExecuteSequence", "Action", "Identifier"), new("AdvtExecuteSequence", "Condition", "Condition"), new("AdvtExecuteSequence", "Sequence", Min: -4, Max: MaxI2),
        new("Environment", "Environment", "Identifier"), new("Environment", "Name", "Text"), new("Environment", "Value", "Formatted"),
        new("Environment", "Component_", "Identifier", KeyTable: "Component"),
        new(Name, "Table", "Identifier"), new(Name, "Column", "Identifier"), new(Name, "Nullable", Set: "Y;N"), new(Name, "MinValue", Min: -MaxI4, Max: MaxI4),
        new(Name, "MaxValue", Min: -MaxI4, Max: MaxI4), new(Name, "KeyTable", "Identifier"), new(Name, "KeyColumn", Min: 1, Max: 32),
        new(Name, "Category", Set: "Text;Formatted;Template;Condition;Guid;Path;Version;Language;Identifier;Binary;UpperCase;LowerCase;Filename;Paths;AnyPath;WildCardFilename;RegPath;CustomSource;Property;Cabinet;Shortcut;FormattedSDDLText;Integer;DoubleInteger;TimeDate;DefaultDir"),
        new(Name, "Set", "Text"), new(Name, "Description", "Text"),
    }.ToDictionary(r => (r.Table, r.Column));

    /// <summary>The table for <paramref name="tables"/> and itself; a column the schema does not know is refused.</summary>
    public static InstallerTable For(IEnumerable<InstallerTable> tables)
    {
        var rows = new List<object?[]>();
        foreach (var table in tables.Append(new InstallerTable(Name, Columns, new List<object?[]>())))
        {
            foreach (var column in table.Columns)
            {
                if (!Rules.TryGetValue((table.Name, column.Name), out var rule))
                {
                    throw new Diagnostics.WdkException(Diagnostics.Diagnostic.Error(Diagnostics.ErrorCodes.InstallerTableInvalid, $"The installer schema has no validation rule for {table.Name}.{column.Name}."));
                }

                var numeric = column.Kind is InstallerColumnKind.Int16 or InstallerColumnKind.Int32;
                rows.Add(new object?[]
                {
                    table.Name, column.Name, column.Nullable ? "Y" : "N",
                    numeric && rule.Max is not null ? rule.Min ?? 0 : null, numeric ? rule.Max : null,
                    rule.KeyTable, rule.KeyTable is null ? null : 1,
                    rule.Category, rule.Set, null,
                });
            }
        }

        return new InstallerTable(Name, Columns, rows);
    }

    /// <param name="Min">The lowest value of an integer column with a <paramref name="Max"/>; null: 0.</param>
    private sealed record Rule(string Table, string Column, string? Category = null, int? Min = null, int? Max = null, string? KeyTable = null, string? Set = null);
}
