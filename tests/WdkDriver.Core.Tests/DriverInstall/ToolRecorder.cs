namespace WdkDriver.Core.Tests.DriverInstall;

/// <summary>
/// A stand-in for a Windows tool wine does not have (pnputil.exe, Windows PowerShell): a Windows program (compiled here
/// with mingw-w64) that appends its command line to C:\&lt;name&gt;.log and, when the command line holds the trigger,
/// exits with the code in C:\&lt;name&gt;-exit.txt (0 without it). It proves what the custom actions run; what the tool
/// itself does is left to the Windows CI job.
/// </summary>
internal static class ToolRecorder
{
    private const string Source = """
        #include <windows.h>
        #include <stdio.h>
        #include <string.h>

        int main(void) {
            const char *line = GetCommandLineA();
            FILE *log = fopen("C:\\" NAME ".log", "a");
            if (log) { fprintf(log, "%s\n", line); fclose(log); }
            if (strstr(line, TRIGGER)) {
                FILE *code = fopen("C:\\" NAME "-exit.txt", "r");
                int exit_code = 0;
                if (code) { if (fscanf(code, "%d", &exit_code) != 1) exit_code = 0; fclose(code); }
                return exit_code;
            }
            return 0;
        }
        """;

    /// <summary>pnputil.exe in the prefix's System32, where the custom actions look for it; /add-driver and /delete-driver take the exit code.</summary>
    public static void InstallPnputil(WinePrefix wine, string work) => Install(wine, work, "pnputil", Path.Combine("windows", "system32"), "-driver ");

    /// <summary>Windows PowerShell's powershell.exe, where the custom actions run it; " Add " (making a device) takes the exit code.</summary>
    public static void InstallPowerShell(WinePrefix wine, string work) => Install(wine, work, "powershell", Path.Combine("windows", "system32", "WindowsPowerShell", "v1.0"), " Add ");

    private static void Install(WinePrefix wine, string work, string name, string folder, string trigger)
    {
        var source = Path.Combine(work, name + "-recorder.c");
        File.WriteAllText(source, Source);
        var target = Path.Combine(wine.DriveC, folder);
        Directory.CreateDirectory(target);
        ToolProcess.Succeed(work, "x86_64-w64-mingw32-gcc", "-O2", "-s", $"-DNAME=\"{name}\"", $"-DTRIGGER=\"{trigger}\"", "-o", Path.Combine(target, name + ".exe"), source);
    }
}
