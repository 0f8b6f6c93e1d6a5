using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace WdkDriver.Core.Cargo;

public sealed record CargoTarget(string Name, IReadOnlyList<string> Kinds, IReadOnlyList<string> CrateTypes)
{
    public bool IsCdylib => CrateTypes.Contains("cdylib") || Kinds.Contains("cdylib");

    public bool IsBin => Kinds.Contains("bin");
}

/// <summary>A workspace member as <c>cargo metadata</c> describes it; <see cref="Metadata"/> is its <c>[package.metadata]</c>.</summary>
public sealed record CargoPackage(string Id, string Name, string ManifestPath, IReadOnlyList<CargoTarget> Targets, JsonElement? Metadata)
{
    public JsonElement? WdkMetadata =>
        Metadata is { ValueKind: JsonValueKind.Object } metadata && metadata.TryGetProperty("wdk", out var wdk) ? wdk : null;

    public CargoTarget? Cdylib => Targets.FirstOrDefault(t => t.IsCdylib);
}

/// <summary>The members of a Cargo workspace and its <c>[workspace.metadata]</c>, read from <c>cargo metadata --no-deps</c>.</summary>
public sealed record CargoWorkspace(string WorkspaceRoot, string TargetDirectory, IReadOnlyList<CargoPackage> Members, JsonElement? Metadata)
{
    public string RootManifest => Path.Combine(WorkspaceRoot, "Cargo.toml");

    public JsonElement? WdkMetadata =>
        Metadata is { ValueKind: JsonValueKind.Object } metadata && metadata.TryGetProperty("wdk", out var wdk) ? wdk : null;
}
