using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace WdkDriver.WindowsLane;

/// <summary>
/// The child: loads one test assembly with its dependencies as its .deps.json names them for this runtime (Windows'
/// assets, where a package has some), discovers its tests with xunit's own framework and runs those not yet
/// finished, one at a time, so that a crash names the test it happened in.
/// </summary>
internal static class AssemblyRun
{
    public static int Run(string assemblyPath, string finishedFile)
    {
        // The lane reads these lines as UTF-8, whatever the console's code page (test names hold any letter).
        Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false)) { AutoFlush = true });
        assemblyPath = Path.GetFullPath(assemblyPath);
        var resolver = new AssemblyDependencyResolver(assemblyPath);
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            resolver.ResolveAssemblyToPath(name) is { } path ? context.LoadFromAssemblyPath(path) : null;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) =>
            resolver.ResolveUnmanagedDllToPath(name) is { } path ? NativeLibrary.Load(path) : IntPtr.Zero;

        var finished = File.Exists(finishedFile) ? new HashSet<string>(File.ReadAllLines(finishedFile)) : new HashSet<string>();
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath);
        using var sink = new EventSink();
        using var framework = new XunitTestFramework(sink);
        var options = new FrameworkOptions();

        // Theories are not expanded at discovery: a data row is made when its test runs, so that one that cannot be
        // made here is that test's failure, not the whole discovery's.
        options.SetValue("xunit.discovery.PreEnumerateTheories", false);
        options.SetValue("xunit.execution.DisableParallelization", true);
        options.SetValue("xunit.execution.MaxParallelThreads", 1);

        using (var discoverer = framework.GetDiscoverer(Reflector.Wrap(assembly)))
        {
            discoverer.Find(includeSourceInformation: false, sink, options);
            sink.DiscoveryComplete.WaitOne();
        }

        // WINDOWS_LANE_FILTER: only the tests whose names contain it, or one of its |-separated parts (to run a test
        // again while mending it).
        var filter = Environment.GetEnvironmentVariable("WINDOWS_LANE_FILTER");
        var toRun = new List<ITestCase>();
        foreach (var testCase in sink.Discovered.OrderBy(c => c.DisplayName, StringComparer.Ordinal))
        {
            if (finished.Contains(testCase.UniqueID) || finished.Contains(LaneEvent.ClassEntry(testCase.TestMethod.TestClass.Class.Name)))
            {
                continue;
            }

            if (!string.IsNullOrEmpty(filter) && !filter.Split('|').Any(part => testCase.DisplayName.Contains(part, StringComparison.Ordinal)))
            {
                continue;
            }

            if (Exclusion.Reason(testCase) is { } reason)
            {
                sink.Write(new LaneEvent(LaneEvent.Excluded, testCase.UniqueID, testCase.DisplayName, reason));
                continue;
            }

            toRun.Add(testCase);
        }

        using (var executor = framework.GetExecutor(assembly.GetName()))
        {
            executor.RunTests(toRun, sink, options);
            sink.AssemblyFinished.WaitOne();
        }

        sink.Write(new LaneEvent(LaneEvent.AssemblyFinished, string.Empty, assembly.GetName().Name ?? assemblyPath, string.Empty));

        // Now, not when every thread a test left behind has ended (a process a test started keeps one waiting).
        Environment.Exit(0);
        return 0;
    }

    private sealed class FrameworkOptions : ITestFrameworkDiscoveryOptions, ITestFrameworkExecutionOptions
    {
        private readonly Dictionary<string, object?> values = new();

        public TValue GetValue<TValue>(string name) => values.TryGetValue(name, out var value) && value is TValue typed ? typed : default!;

        public void SetValue<TValue>(string name, TValue value) => values[name] = value;
    }

    private sealed class EventSink : LongLivedMarshalByRefObject, IMessageSink, IDisposable
    {
        private readonly object gate = new();

        public List<ITestCase> Discovered { get; } = new();

        public ManualResetEvent DiscoveryComplete { get; } = new(false);

        public ManualResetEvent AssemblyFinished { get; } = new(false);

        public void Write(LaneEvent laneEvent)
        {
            lock (gate)
            {
                Console.Out.WriteLine(laneEvent.Format());
                Console.Out.Flush();
            }
        }

        public bool OnMessage(IMessageSinkMessage message)
        {
            switch (message)
            {
                case ITestCaseDiscoveryMessage discovered:
                    lock (gate)
                    {
                        Discovered.Add(discovered.TestCase);
                    }

                    break;
                case IDiscoveryCompleteMessage:
                    DiscoveryComplete.Set();
                    break;
                case ITestClassStarting classStarting:
                    Write(new LaneEvent(LaneEvent.ClassStarted, string.Empty, classStarting.TestClass.Class.Name, string.Empty));
                    break;
                case ITestClassFinished classFinished:
                    Write(new LaneEvent(LaneEvent.ClassFinished, string.Empty, classFinished.TestClass.Class.Name, string.Empty));
                    break;
                case ITestCaseStarting caseStarting:
                    // A theory's rows are made after this (theories are not expanded at discovery): a hang there is
                    // this case's.
                    Write(new LaneEvent(LaneEvent.Started, caseStarting.TestCase.UniqueID, caseStarting.TestCase.DisplayName, string.Empty));
                    break;
                case ITestStarting starting:
                    Write(new LaneEvent(LaneEvent.Started, starting.TestCase.UniqueID, starting.Test.DisplayName, string.Empty));
                    break;
                case ITestPassed passed:
                    Write(new LaneEvent(LaneEvent.Passed, passed.TestCase.UniqueID, passed.Test.DisplayName, passed.ExecutionTime.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case ITestFailed failed:
                    Write(new LaneEvent(LaneEvent.Failed, failed.TestCase.UniqueID, failed.Test.DisplayName, Failure(failed)));
                    break;
                case ITestSkipped skipped:
                    Write(new LaneEvent(LaneEvent.Skipped, skipped.TestCase.UniqueID, skipped.Test.DisplayName, skipped.Reason));
                    break;
                case ITestCaseFinished caseFinished:
                    Write(new LaneEvent(LaneEvent.CaseFinished, caseFinished.TestCase.UniqueID, caseFinished.TestCase.DisplayName, string.Empty));
                    break;
                case IErrorMessage error:
                    Write(new LaneEvent(LaneEvent.Failed, string.Empty, "(outside any test)", string.Join(Environment.NewLine, error.Messages ?? Array.Empty<string>())));
                    break;
                case ITestAssemblyFinished:
                    AssemblyFinished.Set();
                    break;
            }

            return true;
        }

        public void Dispose()
        {
            DiscoveryComplete.Dispose();
            AssemblyFinished.Dispose();
        }

        private static string Failure(IFailureInformation failure)
        {
            var lines = new List<string>();
            for (var i = 0; i < (failure.Messages?.Length ?? 0); i++)
            {
                lines.Add($"{failure.ExceptionTypes[i]}: {failure.Messages![i]}");
                if (failure.StackTraces?[i] is { Length: > 0 } stack)
                {
                    lines.Add(stack);
                }
            }

            return string.Join(Environment.NewLine, lines);
        }
    }
}
