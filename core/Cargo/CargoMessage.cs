using System.Collections.Generic;
using WdkDriver.Core.Diagnostics;

namespace WdkDriver.Core.Cargo;

/// <summary>One line of <c>cargo build --message-format=json</c>.</summary>
public abstract record CargoMessage;

/// <summary>A <c>compiler-artifact</c>: the files cargo produced (or found fresh) for one target.</summary>
public sealed record CargoArtifact(string PackageId, CargoTarget Target, IReadOnlyList<string> Filenames, string? Executable, bool Fresh, string? ManifestPath = null) : CargoMessage;

/// <summary>A <c>compiler-message</c>: a rustc diagnostic, and its rendered text for people.</summary>
public sealed record CargoCompilerMessage(string PackageId, Diagnostic? Diagnostic, string Rendered) : CargoMessage;

/// <summary><c>build-finished</c>.</summary>
public sealed record CargoBuildFinished(bool Success) : CargoMessage;

/// <summary>Any other line: messages cargo adds later, build script output, or text that is not JSON.</summary>
public sealed record CargoOtherMessage(string Text) : CargoMessage;
