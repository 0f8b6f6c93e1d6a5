using System.Collections.Generic;

namespace WdkDriver.Core.DriverTesting;

/// <summary>
/// One run of a client against the loaded driver: the client (an executable of the package's client folder), its
/// arguments, and what must be seen: its exit code, lines of its output, lines the driver prints with DbgPrint. An
/// expected line is found when some line contains it.
/// </summary>
public sealed record DriverTestRun(
    string Client,
    string Arguments,
    int ExpectedExitCode,
    IReadOnlyList<string> ExpectedOutput,
    IReadOnlyList<string> ExpectedDebugOutput);
