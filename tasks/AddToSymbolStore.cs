using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using WdkDriver.Core.Images;

namespace WdkDriver.Sdk.Tasks;

/// <summary>Adds driver images and their PDBs to a symbol store laid out as symstore lays it out.</summary>
public sealed class AddToSymbolStore : WdkTask
{
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    [Required]
    public string Store { get; set; } = string.Empty;

    protected override void ExecuteCore()
    {
        var written = SymbolStore.Add(Files.Select(f => f.GetMetadata("FullPath")), Store);
        Log.LogMessage(MessageImportance.High, $"{Path.GetFileNameWithoutExtension(ProjectFile)} -> {Path.GetFullPath(Store)} (symbol store, {written.Count} files)");
    }
}
