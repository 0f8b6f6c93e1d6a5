using System.Collections.Concurrent;
using System.Diagnostics;

namespace WdkDriver.WindowsLane;

/// <summary>
/// The lane: runs each test assembly in a child process of this program and prints each test as it ends. A child
/// that dies (a crash in native code, a test that hangs past <see cref="TestTimeout"/>) is started again: the test it
/// was in gets one more process, and fails if that one ends in it too. The last line is
/// <c>windows lane: n passed, n failed, n excluded</c>.
/// </summary>
internal static class Lane
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(45);

    private const int MaxRestarts = 25;

    public static int Run(IReadOnlyList<string> assemblies)
    {
        // UTF-8 out, whatever the console's code page: wine hands the bytes to the Linux side as they are.
        Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false)) { AutoFlush = true });
        var tally = new Tally();
        foreach (var assembly in assemblies)
        {
            RunAssembly(Path.GetFullPath(assembly), tally);
        }

        tally.PrintSummary();
        return tally.Failed == 0 ? 0 : 1;
    }

    private static void RunAssembly(string assembly, Tally tally)
    {
        var name = Path.GetFileNameWithoutExtension(assembly);
        Console.WriteLine($"== {name}");
        var finished = new HashSet<string>();
        var interrupted = new HashSet<string>();
        var finishedFile = Path.Combine(Path.GetTempPath(), $"wdk-lane-{Environment.ProcessId}-{name}.finished");
        var before = tally.Snapshot();
        try
        {
            for (var restarts = 0; ; restarts++)
            {
                File.WriteAllLines(finishedFile, finished);
                var outcome = RunChild(assembly, finishedFile, finished, tally);
                if (outcome.Completed)
                {
                    break;
                }

                if (outcome.Current is null && outcome.Class is not null && restarts < MaxRestarts)
                {
                    tally.Fail(name, $"{outcome.Class} (its fixture or constructor)", $"The test process ended ({outcome.Why}) in this class, before or after its tests; the lane goes on without the class.{Environment.NewLine}{outcome.Error}");
                    finished.Add(LaneEvent.ClassEntry(outcome.Class));
                    continue;
                }

                if (outcome.Current is null || restarts == MaxRestarts)
                {
                    tally.Fail(name, $"{name} (the test process)", $"The test process ended ({outcome.Why}) outside any test; the assembly's remaining tests did not run.{Environment.NewLine}{outcome.Error}");
                    break;
                }

                // Once in a while CoreCLR under wine hangs or fails on its own, whatever the test: the test that was
                // running gets one more process; a second end in it is its failure.
                if (interrupted.Add(outcome.Current.CaseId))
                {
                    tally.Interrupted(outcome.Current.Name, outcome.Why);
                    continue;
                }

                tally.Fail(name, outcome.Current.Name, $"The test process ended during this test twice ({outcome.Why}); the lane goes on with the tests after it.{Environment.NewLine}{outcome.Error}");
                finished.Add(outcome.Current.CaseId);
            }
        }
        finally
        {
            File.Delete(finishedFile);
        }

        var after = tally.Snapshot();
        Console.WriteLine($"== {name}: {after.Passed - before.Passed} passed, {after.Failed - before.Failed} failed, {after.Excluded - before.Excluded} excluded");
    }

    private static ChildOutcome RunChild(string assembly, string finishedFile, HashSet<string> finished, Tally tally)
    {
        var name = Path.GetFileNameWithoutExtension(assembly);
        var info = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        foreach (var argument in new[] { "run", assembly, finishedFile })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        Console.Error.WriteLine($"[lane] {name}: test process {process.Id} started");
        var error = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (error)
                {
                    error.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        // Lines are read on their own thread, so that a child that dies while something else holds its output open,
        // or one that hangs, is noticed: the lane waits for a line at most TestTimeout.
        using var lines = new BlockingCollection<string>();
        _ = Task.Run(() =>
        {
            string? text;
            while ((text = process.StandardOutput.ReadLine()) is not null)
            {
                lines.Add(text);
            }

            lines.CompleteAdding();
        });

        RunningTest? current = null;
        string? currentClass = null;

        // A case's results count when it finishes: a case the process ended in runs again whole.
        var results = new List<Action>();
        var completed = false;
        var timedOut = false;
        var quiet = Stopwatch.StartNew();
        while (!lines.IsCompleted)
        {
            if (!lines.TryTake(out var line, TimeSpan.FromSeconds(1)))
            {
                if (quiet.Elapsed > TestTimeout)
                {
                    timedOut = !process.HasExited;
                    Stop(process);
                    break;
                }

                if (process.HasExited && quiet.Elapsed > TimeSpan.FromSeconds(10))
                {
                    break;
                }

                continue;
            }

            quiet.Restart();
            if (LaneEvent.Parse(line) is not { } laneEvent)
            {
                continue;
            }

            switch (laneEvent.Kind)
            {
                case LaneEvent.ClassStarted:
                    currentClass = laneEvent.Name;
                    break;
                case LaneEvent.ClassFinished:
                    currentClass = null;
                    break;
                case LaneEvent.Started:
                    current = new RunningTest(laneEvent.CaseId, laneEvent.Name);
                    break;
                case LaneEvent.Passed:
                    results.Add(() => tally.Pass(laneEvent.Name, laneEvent.Detail));
                    break;
                case LaneEvent.Failed when laneEvent.CaseId.Length == 0:
                    tally.Fail(name, laneEvent.Name, laneEvent.Detail);
                    break;
                case LaneEvent.Failed:
                    results.Add(() => tally.Fail(name, laneEvent.Name, laneEvent.Detail));
                    break;
                case LaneEvent.Skipped:
                    // The lane sets CI=true, under which no test of ours skips; one that does anyway is a failure
                    // here, since only a trait may keep a test out of the lane.
                    results.Add(() => tally.Fail(name, laneEvent.Name, $"Skipped without a WindowsLane trait: {laneEvent.Detail}"));
                    break;
                case LaneEvent.Excluded:
                    if (finished.Add(laneEvent.CaseId))
                    {
                        tally.Exclude(laneEvent.Name, laneEvent.Detail);
                    }

                    break;
                case LaneEvent.CaseFinished:
                    results.ForEach(result => result());
                    results.Clear();
                    finished.Add(laneEvent.CaseId);
                    current = null;
                    break;
                case LaneEvent.AssemblyFinished:
                    completed = true;
                    break;
            }
        }

        Console.Error.WriteLine($"[lane] {name}: test process {process.Id} {(process.HasExited ? "ended" : "still running")}{(timedOut ? ", timed out" : string.Empty)}");
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            Stop(process);
        }

        var why = timedOut ? $"no result after {TestTimeout.TotalSeconds:0} s; stopped" : process.HasExited ? $"exit code 0x{process.ExitCode:X8}" : "it would not end";
        string errorText;
        lock (error)
        {
            errorText = error.ToString().Trim();
        }

        return new ChildOutcome(completed && process.HasExited && process.ExitCode == 0, current, currentClass, why, errorText);
    }

    private static void Stop(Process process)
    {
        try
        {
            // Not the whole tree: wine answers a walk of the process tree slowly or not at all; a test's own
            // processes end with the wineserver when the lane does.
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }
    }

    private sealed record RunningTest(string CaseId, string Name);

    private sealed record ChildOutcome(bool Completed, RunningTest? Current, string? Class, string Why, string Error);
}
