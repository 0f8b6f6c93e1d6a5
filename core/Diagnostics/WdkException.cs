using System;

namespace WdkDriver.Core.Diagnostics;

/// <summary>A coded failure that stops the current step. Callers report <see cref="Diagnostic"/>; never a stack trace.</summary>
public sealed class WdkException : Exception
{
    public WdkException(Diagnostic diagnostic, Exception? inner = null)
        : base(diagnostic.Message, inner)
    {
        Diagnostic = diagnostic;
    }

    public Diagnostic Diagnostic { get; }
}
