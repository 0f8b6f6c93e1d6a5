using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Build.Framework;
using WdkDriver.Core.Versioning;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Reads the Nerdbank.GitVersioning properties the SDK uses (DriverVer's version and date) from the record, when
/// nothing they depend on changed. Outputs of their own: setting each of NBGV's properties would cost a task run each.
/// </summary>
public sealed class ReadGitVersionRecord : WdkTask
{
    /// <summary>The properties recorded: what StampInf, CreateCatalog and the pack's time stamp read.</summary>
    internal static readonly string[] Recorded = { "Version", "BuildVersion", "MajorMinorVersion", "GitVersionHeight", "GitCommitDateTicks" };

    [Required]
    public string RecordFile { get; set; } = string.Empty;

    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>NBGV's own inputs from MSBuild, joined.</summary>
    public string? Settings { get; set; }

    /// <summary>The key of the present state (empty when it cannot be told: no record then).</summary>
    [Output]
    public string? Key { get; set; }

    /// <summary>Whether the record was read: the properties below are set only then.</summary>
    [Output]
    public bool Reused { get; set; }

    [Output]
    public string? Version { get; set; }

    [Output]
    public string? BuildVersion { get; set; }

    [Output]
    public string? MajorMinorVersion { get; set; }

    [Output]
    public string? GitVersionHeight { get; set; }

    [Output]
    public string? GitCommitDateTicks { get; set; }

    protected override void ExecuteCore()
    {
        Key = GitVersionRecord.Key(ProjectDirectory, Settings ?? string.Empty);
        var properties = Key is null ? null : GitVersionRecord.TryRead(RecordFile, Key);
        var recorded = new Dictionary<string, string>();
        foreach (var property in properties ?? Array.Empty<KeyValuePair<string, string>>())
        {
            recorded[property.Key] = property.Value;
        }

        if (Recorded.Any(name => !recorded.ContainsKey(name)))
        {
            return;
        }

        Reused = true;
        Version = recorded[nameof(Version)];
        BuildVersion = recorded[nameof(BuildVersion)];
        MajorMinorVersion = recorded[nameof(MajorMinorVersion)];
        GitVersionHeight = recorded[nameof(GitVersionHeight)];
        GitCommitDateTicks = recorded[nameof(GitCommitDateTicks)];
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

    /// <summary>NBGV's property items (name, with a Value metadata), as its GetBuildVersion target hands them over; a name that comes more than once takes its last value, as the properties do.</summary>
    protected override void ExecuteCore() =>
        GitVersionRecord.Write(RecordFile, Key, Properties
            .Where(p => ReadGitVersionRecord.Recorded.Contains(p.ItemSpec))
            .GroupBy(p => p.ItemSpec)
            .Select(g => new KeyValuePair<string, string>(g.Key, g.Last().GetMetadata("Value"))));
}
