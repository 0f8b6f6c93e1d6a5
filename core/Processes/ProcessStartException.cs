using System;

namespace WdkDriver.Core.Processes;

public sealed class ProcessStartException : Exception
{
    public ProcessStartException(string fileName, Exception inner)
        : base($"cannot start '{fileName}': {inner.Message}", inner)
    {
        FileName = fileName;
    }

    public string FileName { get; }
}
