namespace WdkDriver.Cli;

/// <summary>The exit codes every verb uses (docs: the wdkdriver contract).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The input was judged and found wrong.</summary>
    public const int Invalid = 1;

    /// <summary>Bad usage: unknown verb or flag, missing argument.</summary>
    public const int Usage = 2;

    /// <summary>The command itself failed.</summary>
    public const int Failure = 3;
}
