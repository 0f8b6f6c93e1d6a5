namespace WdkDriver.Cli.Tests;

/// <summary>
/// Tests that publish the command for a runtime of their own (Native AOT for linux-x64, self-contained win-x64): one
/// at a time, since each publish restores and builds the same projects in the same obj/ folders.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CommandPublish
{
    public const string Name = "command publish";
}
