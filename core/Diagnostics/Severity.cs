namespace WdkDriver.Core.Diagnostics;

public enum Severity
{
    Error,
    Warning,
    Message,
}
