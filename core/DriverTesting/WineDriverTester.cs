using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using WdkDriver.Core.Diagnostics;
using WdkDriver.Core.IO;
using WdkDriver.Core.Processes;

namespace WdkDriver.Core.DriverTesting;

/// <summary>What to test: the package's INF and driver binary, its client folder, the runs.</summary>
public sealed record DriverTestRequest(
    string InfPath,
    string Architecture,
    string DriverFile,
    string ClientDirectory,
    IReadOnlyList<DriverTestRun> Runs,
    string WorkDirectory);

/// <summary>The session's steps and every finding about them (none: the driver works as the runs expect).</summary>
public sealed record DriverTestReport(IReadOnlyList<SessionStep> Steps, IReadOnlyList<Diagnostic> Findings);

/// <summary>
/// Loads a driver under wine, which emulates enough of the Windows kernel to run a WDM driver's DriverEntry, deliver
/// its client's requests and print its DbgPrint lines: installs it, starts it, runs the client, stops it (DriverUnload
/// runs), all in one session of a wine prefix of its own. The prefix is made once (about 700 MB) and reused; a lock
/// beside it keeps two test runs apart. The user's own prefix is never used.
/// </summary>
public sealed class WineDriverTester
{
    private const string ReadyMarker = ".wdkdriver-prefix";

    /// <summary>The folder of the prefix's C: drive the session's copies of the package and client go to.</summary>
    private const string StagingFolder = "wdkdriver-test";

    private readonly IProcessRunner runner;
    private readonly string wine;
    private readonly string wineServer;
    private readonly string prefix;
    private readonly TimeSpan timeout;

    public WineDriverTester(IProcessRunner runner, string wine, string prefix, TimeSpan timeout)
    {
        this.runner = runner;
        this.wine = wine;
        wineServer = Path.Combine(Path.GetDirectoryName(wine) ?? string.Empty, "wineserver");
        this.prefix = Path.GetFullPath(prefix);
        this.timeout = timeout;
    }

    /// <summary>The per-user prefix: <c>&lt;LocalApplicationData&gt;/WdkDriver/wine</c> (~/.local/share on Linux).</summary>
    public static string DefaultPrefix => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "WdkDriver", "wine");

    /// <summary>wine on PATH, else in /usr/bin; null when it is not installed.</summary>
    public static string? FindWine() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Where(d => d.Length > 0)
            .Append("/usr/bin")
            .Select(d => Path.Combine(d, "wine"))
            .FirstOrDefault(File.Exists);

    public DriverTestReport Run(DriverTestRequest request, CancellationToken cancellation)
    {
        var plan = DriverLoadPlan.For(request.InfPath, request.Architecture, request.DriverFile);
        var clients = request.Runs.Select(r => (Client: ClientPath(request.ClientDirectory, r.Client), r.Arguments)).ToList();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        using var prefixLock = LockPrefix();
        try
        {
            EnsurePrefix(deadline.Token);
            ServerKill();

            // The drivers folder holds the freshly built binary for sc create; a DefaultInstall copies its own.
            var drivers = Path.Combine(prefix, "drive_c", "windows", "system32", "drivers");
            var installed = Path.Combine(drivers, Path.GetFileName(request.DriverFile));
            File.Delete(installed);
            if (plan.InstallSection is null)
            {
                File.Copy(request.DriverFile, installed);
            }

            // cmd reads a batch file in the OEM code page, so a project folder with letters outside ASCII (C:\Users\Jöhn)
            // cannot be named in the script: the session runs the driver package and the client from copies in the
            // prefix, under names that are ASCII whatever the project's folder.
            var staged = Path.Combine(prefix, "drive_c", StagingFolder);
            if (Directory.Exists(staged))
            {
                Directory.Delete(staged, recursive: true);
            }

            var driverFolder = Path.GetDirectoryName(Path.GetFullPath(request.InfPath))!;
            CopyTree(driverFolder, Path.Combine(staged, "driver"));
            if (Directory.Exists(request.ClientDirectory))
            {
                CopyTree(request.ClientDirectory, Path.Combine(staged, "client"));
            }

            // A client named by a full path outside the client folder is run where it is.
            string InPrefix(string path, string from, string to) =>
                Inside(from, path) is { } relative ? $@"C:\{StagingFolder}\{to}\" + relative.Replace('/', '\\') : WineSession.WindowsPath(path);
            var infPath = InPrefix(Path.GetFullPath(request.InfPath), driverFolder, "driver");
            var clientPaths = clients.Select(c => (InPrefix(c.Client, Path.GetFullPath(request.ClientDirectory), "client"), c.Arguments)).ToList();

            Directory.CreateDirectory(request.WorkDirectory);
            var script = Path.Combine(request.WorkDirectory, "session.cmd");
            var output = Path.Combine(request.WorkDirectory, "session.log");
            File.WriteAllText(script, WineSession.Script(plan, infPath, @"C:\windows\system32\drivers\" + Path.GetFileName(request.DriverFile), clientPaths));
            File.Delete(output);

            // One shell redirect for both streams keeps the driver's DbgPrint lines in order with the client's output.
            runner.Capture(
                new ProcessRequest("/bin/sh", new[] { "-c", "exec \"$0\" cmd /c \"$1\" > \"$2\" 2>&1", wine, WineSession.WindowsPath(script), output }, request.WorkDirectory, WineEnvironment(debug: true)),
                deadline.Token);
            var steps = WineSession.Parse(File.Exists(output) ? File.ReadAllLines(output) : Array.Empty<string>());
            return new DriverTestReport(steps, Judge(plan, request, steps));
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.DriverTestTimedOut, $"The driver test did not finish within {timeout.TotalSeconds:0} s; every process it started was ended."));
        }
        finally
        {
            // Ends the session's driver host and services, whatever happened.
            ServerKill();
        }
    }

    /// <summary>The path of <paramref name="path"/> inside <paramref name="folder"/>, or null when it lies elsewhere.</summary>
    private static string? Inside(string folder, string path)
    {
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(path);
        return full.StartsWith(root, StringComparison.Ordinal) ? full.Substring(root.Length) : null;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Inside(from, file)!);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string ClientPath(string clientDirectory, string client)
    {
        var candidates = new[] { client, client + ".exe" }.Select(c => Path.GetFullPath(Path.IsPathRooted(c) ? c : Path.Combine(clientDirectory, c)));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new WdkException(Diagnostic.Error(ErrorCodes.DriverTestClientMissing, $"The test run's client '{client}' is not in the package's client folder '{clientDirectory}': the package was built without it. Build it into the package (a binary crate of the Cargo workspace, a .NET ProjectReference or a DriverClientFile item), or name a client the package holds."));
    }

    private static IReadOnlyList<Diagnostic> Judge(DriverLoadPlan plan, DriverTestRequest request, IReadOnlyList<SessionStep> steps)
    {
        var findings = new List<Diagnostic>();
        SessionStep? Find(string name) => steps.FirstOrDefault(s => s.Name == name);
        string Printed(SessionStep step) => step.Output.Concat(step.DebugOutput.Select(d => "DbgPrint: " + d)) is var lines && lines.Any() ? ": " + string.Join(" | ", lines) : ".";

        var install = Find("install");
        if (install?.ExitCode != 0)
        {
            var how = plan.InstallSection is null ? "sc create" : $"[{plan.InstallSection}]";
            findings.Add(Diagnostic.Error(ErrorCodes.DriverTestInstallFailed, $"Installing the driver through {how} did not create the service '{plan.ServiceName}'{(install is null ? "." : Printed(install))}", request.InfPath));
            return findings;
        }

        var start = Find("start");
        if (start?.ExitCode != 0)
        {
            // A service that runs another file than the package's driver never loads it: that, at the INF's line.
            var driverName = Path.GetFileName(request.DriverFile);
            findings.Add(plan.ServiceBinary is { } binary && !string.Equals(binary.Name, driverName, StringComparison.OrdinalIgnoreCase)
                ? Diagnostic.Error(ErrorCodes.DriverTestStartFailed, $"The driver did not start: the service runs {binary.Name} (ServiceBinary), but the package's driver is {driverName}. Name {driverName} in ServiceBinary{(start is null ? "." : Printed(start))}", request.InfPath, binary.Line, binary.Column)
                : Diagnostic.Error(ErrorCodes.DriverTestStartFailed, $"The driver did not start (DriverEntry failed, or the image did not load){(start is null ? "." : Printed(start))}", request.DriverFile));
            return findings;
        }

        for (var i = 0; i < request.Runs.Count; i++)
        {
            var run = request.Runs[i];
            var label = $"'{(run.Client + " " + run.Arguments).Trim()}'";
            var step = Find($"run {i}");
            if (step is null)
            {
                findings.Add(Diagnostic.Error(ErrorCodes.DriverTestStepMissing, $"The test session ended before {label} ran."));
                continue;
            }

            if (step.ExitCode != run.ExpectedExitCode)
            {
                findings.Add(Diagnostic.Error(ErrorCodes.DriverTestExitCode, $"{label} exited with {step.ExitCode?.ToString() ?? "no exit code"}, expected {run.ExpectedExitCode}{Printed(step)}"));
            }

            findings.AddRange(Missing(run.ExpectedOutput, step.Output, label, "its output"));
            findings.AddRange(Missing(run.ExpectedDebugOutput, step.DebugOutput, label, "the driver's DbgPrint output"));
        }

        var stop = Find("stop");
        if (stop?.ExitCode != 0)
        {
            findings.Add(Diagnostic.Error(ErrorCodes.DriverTestStopFailed, $"The driver did not stop (its DriverUnload did not complete){(stop is null ? "." : Printed(stop))}", request.DriverFile));
        }

        return findings;
    }

    private static IEnumerable<Diagnostic> Missing(IReadOnlyList<string> expected, IReadOnlyList<string> lines, string label, string where) =>
        expected.Where(e => !lines.Any(l => l.IndexOf(e, StringComparison.Ordinal) >= 0))
            .Select(e => Diagnostic.Error(ErrorCodes.DriverTestOutputMissing, $"{label}: \"{e}\" is not in {where}" + (lines.Count == 0 ? " (which is empty)." : ": " + string.Join(" | ", lines))));

    private Dictionary<string, string?> WineEnvironment(bool debug) => new()
    {
        ["WINEPREFIX"] = prefix,
        // DbgPrint lines only; no Mono or Gecko installer prompts; no display needed.
        ["WINEDEBUG"] = debug ? "-all,+debugstr" : "-all",
        ["WINEDLLOVERRIDES"] = "mscoree,mshtml=",
        ["DISPLAY"] = null,
        ["WAYLAND_DISPLAY"] = null,
    };

    private void EnsurePrefix(CancellationToken cancellation)
    {
        var home = Environment.GetEnvironmentVariable("HOME");
        if (home is not null && string.Equals(prefix.TrimEnd('/'), Path.Combine(home, ".wine"), StringComparison.Ordinal))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.DriverTestPrefixFailed, $"'{prefix}' is the user's own wine prefix; driver tests use one of their own. Choose another WdkWinePrefix."));
        }

        if (File.Exists(Path.Combine(prefix, ReadyMarker)))
        {
            return;
        }

        if (File.Exists(Path.Combine(prefix, "system.reg")))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.DriverTestPrefixFailed, $"'{prefix}' is a wine prefix this SDK did not make; driver tests will not change it. Choose another WdkWinePrefix."));
        }

        // Left half-made by an interrupted run: start again.
        if (Directory.Exists(prefix))
        {
            Directory.Delete(prefix, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
        var boot = runner.Capture(new ProcessRequest(wine, new[] { "wineboot", "--init" }, Path.GetDirectoryName(prefix), WineEnvironment(debug: false)), cancellation);
        // wineboot returns while the session's services still settle; a session started too early cannot start drivers.
        runner.Capture(new ProcessRequest(wineServer, new[] { "-w" }, null, WineEnvironment(debug: false)), cancellation);
        if (boot.ExitCode != 0 || !File.Exists(Path.Combine(prefix, "system.reg")))
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.DriverTestPrefixFailed, $"Creating the wine prefix '{prefix}' failed (wineboot exit code {boot.ExitCode}): {boot.Error}"));
        }

        File.WriteAllText(Path.Combine(prefix, ReadyMarker), "Made by WdkDriver.Sdk for driver tests; safe to delete.\n", Encoding.UTF8);
    }

    /// <summary>Ends the prefix's wineserver and with it every process of the session; there may be none.</summary>
    private void ServerKill()
    {
        try
        {
            runner.Capture(new ProcessRequest(wineServer, new[] { "-k" }, null, WineEnvironment(debug: false)));
        }
        catch (ProcessStartException)
        {
            // No wineserver beside wine: nothing of this prefix can be running either.
        }
    }

    /// <summary>One test run per prefix at a time: another waits for it, within its own time.</summary>
    private FileStream LockPrefix()
    {
        try
        {
            return FileLock.Acquire(prefix + ".lock", timeout);
        }
        catch (IOException e)
        {
            throw new WdkException(Diagnostic.Error(ErrorCodes.DriverTestTimedOut, $"Another driver test held the wine prefix '{prefix}' for longer than {timeout.TotalSeconds:0} s: {e.Message}"), e);
        }
    }
}
