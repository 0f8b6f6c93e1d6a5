using WdkDriver.WindowsLane;

// wdkdriver's Windows lane: `lane <tests.dll>...` runs each assembly in a child process and prints per test and a
// summary; `run <tests.dll> <finished-file>` is that child (xunit in process, one line per event on stdout).
return args switch
{
    ["lane", .. var assemblies] when assemblies.Length > 0 => Lane.Run(assemblies),
    ["run", var assembly, var finished] => AssemblyRun.Run(assembly, finished),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: WdkDriver.WindowsLane lane <tests.dll>...");
    return 2;
}
