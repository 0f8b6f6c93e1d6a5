namespace WdkDriver.Core.Tests;

/// <summary>
/// Test classes that set process environment variables, or whose results depend on all of them: they run one after
/// another, never beside each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessEnvironment
{
    public const string Name = "Process environment";
}
