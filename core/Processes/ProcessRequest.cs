using System.Collections.Generic;

namespace WdkDriver.Core.Processes;

/// <summary>A program to run: its path, arguments, working directory and environment changes (null removes a variable).</summary>
public sealed record ProcessRequest(
    string FileName,
    IReadOnlyList<string> Arguments,
    string? WorkingDirectory = null,
    IReadOnlyDictionary<string, string?>? Environment = null)
{
    public override string ToString() => CommandLine.Join(FileName, Arguments);
}
