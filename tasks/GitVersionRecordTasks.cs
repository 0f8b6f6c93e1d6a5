using System.Collections.Generic;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using WdkDriver.Core.Inf;

namespace WdkDriver.Sdk.Tasks;

/// <summary>Reads Nerdbank.GitVersioning's properties from the record when nothing they depend on changed.</summary>
public sealed class ReadGitVersionRecord : WdkTask
{
    [Required]
    public string RecordFile { get; set; } = string.Empty;

    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>NBGV's own inputs from MSBuild, joined.</summary>
    public string? Settings { get; set; }

    /// <summary>The key of the present state (empty when it cannot be told: no record then).</summary>
    [Output]
    public string? Key { get; set; }

    /// <summary>The recorded properties (name, with a Value metadata), as NBGV hands them over; empty when NBGV must run.</summary>
    [Output]
    public ITaskItem[] Properties { get; set; } = new ITaskItem[0];

    protected override void ExecuteCore()
    {
        Key = GitVersionRecord.Key(ProjectDirectory, Settings ?? string.Empty);
        var recorded = Key is null ? null : GitVersionRecord.TryRead(RecordFile, Key);
        Properties = (recorded ?? new List<KeyValuePair<string, string>>())
            .Select(p => (ITaskItem)new TaskItem(p.Key, new Dictionary<string, string> { ["Value"] = p.Value }))
            .ToArray();
    }
}

/// <summary>Records the properties Nerdbank.GitVersioning computed, under the key of the state they came from.</summary>
public sealed class WriteGitVersionRecord : WdkTask
{
    [Required]
    public string RecordFile { get; set; } = string.Empty;

    [Required]
    public string Key { get; set; } = string.Empty;

    public ITaskItem[] Properties { get; set; } = new ITaskItem[0];

    protected override void ExecuteCore() =>
        GitVersionRecord.Write(RecordFile, Key, Properties.Select(p => new KeyValuePair<string, string>(p.ItemSpec, p.GetMetadata("Value"))));
}
