using Microsoft.Build.Framework;
using WdkDriver.Core.IO;

namespace WdkDriver.Sdk.Tasks;

/// <summary>
/// Writes a stage's record of its settings (<see cref="StageInputs"/>) when they changed since the last build; the
/// stage lists the record among its Inputs, so a changed setting runs it again.
/// </summary>
public sealed class WriteStageInputs : WdkTask
{
    [Required]
    public string File { get; set; } = string.Empty;

    /// <summary>The settings, one per item, as "Name=value". Never a secret.</summary>
    public string[] Settings { get; set; } = new string[0];

    /// <summary>Files whose bytes the stage depends on (certificates, trusted roots): recorded by their SHA-256.</summary>
    public ITaskItem[] ContentFiles { get; set; } = new ITaskItem[0];

    protected override void ExecuteCore()
    {
        var paths = new string[ContentFiles.Length];
        for (var i = 0; i < paths.Length; i++)
        {
            paths[i] = ContentFiles[i].GetMetadata("FullPath");
        }

        if (StageInputs.Write(File, StageInputs.Describe(Settings, paths)))
        {
            Log.LogMessage(MessageImportance.Low, $"The settings recorded in {File} changed: its stage runs again.");
        }
    }
}
