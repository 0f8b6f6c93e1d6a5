namespace WdkDriver.Tests;

/// <summary>
/// A WDM driver in C linked as the MSVC toolchain links one, with clang and lld-link (no WDK, no MSVC): native
/// subsystem, DriverEntry, no default libraries, an import from ntoskrnl.exe through an import library llvm-dlltool
/// makes, and with /DEBUG a PDB beside it. What issue 30's Rust builds produce through rust-lld, from a C source.
/// </summary>
internal static class LldDriver
{
    public const string Source = """
        typedef long NTSTATUS;
        __declspec(dllimport) unsigned long DbgPrint(const char *format, ...);
        NTSTATUS DriverEntry(void *driver, void *registry) { DbgPrint("MESSAGE\n"); return 0; }
        """;

    /// <param name="machine">x64 or arm64.</param>
    /// <returns>The image and, with /DEBUG, its PDB.</returns>
    public static (string Image, string Pdb) Link(string folder, string name, string machine = "x64", string message = "loaded", params string[] linkArguments)
    {
        Directory.CreateDirectory(folder);
        var target = machine == "arm64" ? "aarch64-pc-windows-msvc" : "x86_64-pc-windows-msvc";
        File.WriteAllText(Path.Combine(folder, name + ".c"), Source.Replace("MESSAGE", message));
        File.WriteAllText(Path.Combine(folder, "ntoskrnl.def"), "LIBRARY ntoskrnl.exe\nEXPORTS\n  DbgPrint\n");
        ToolProcess.Succeed(folder, "clang", $"--target={target}", "-c", "-g", "-gcodeview", "-fno-stack-protector", "-O1", name + ".c", "-o", name + ".obj");
        ToolProcess.Succeed(folder, "llvm-dlltool", "-m", machine == "arm64" ? "arm64" : "i386:x86-64", "-d", "ntoskrnl.def", "-l", "ntoskrnl.lib");
        var image = Path.Combine(folder, name + ".sys");
        var pdb = Path.Combine(folder, name + ".pdb");
        ToolProcess.Succeed(folder, "lld-link", new[] { $"/MACHINE:{machine.ToUpperInvariant()}", "/DRIVER", "/SUBSYSTEM:NATIVE", "/ENTRY:DriverEntry", "/NODEFAULTLIB", "/DEBUG", $"/PDB:{pdb}", $"/OUT:{image}", name + ".obj", "ntoskrnl.lib" }.Concat(linkArguments).ToArray());
        return (image, pdb);
    }
}
