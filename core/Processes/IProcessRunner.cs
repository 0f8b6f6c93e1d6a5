using System;
using System.Threading;

namespace WdkDriver.Core.Processes;

/// <summary>Runs programs. Behind an interface so that decisions about which program to run can be tested alone.</summary>
public interface IProcessRunner
{
    /// <summary>Runs to completion, handing over each line of output as it arrives; returns the exit code.</summary>
    /// <exception cref="ProcessStartException">The program could not be started.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the program and its children were killed.</exception>
    int Run(ProcessRequest request, Action<string> standardOutput, Action<string> standardError, CancellationToken cancellation);
}
