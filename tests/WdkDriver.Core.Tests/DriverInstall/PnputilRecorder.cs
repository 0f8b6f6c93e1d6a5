namespace WdkDriver.Core.Tests.DriverInstall;

/// <summary>
/// A stand-in for pnputil.exe, which wine does not have: a Windows program (compiled here with mingw-w64) that appends
/// its command line to C:\pnputil.log and exits with the code in C:\pnputil-exit.txt for /add-driver (0 without it). It proves what the custom actions run;
/// what pnputil itself does is left to the Windows CI job.
/// </summary>
internal static class PnputilRecorder
{
    private const string Source = """
        #include <windows.h>
        #include <stdio.h>
        #include <string.h>

        int main(void) {
            const char *line = GetCommandLineA();
            FILE *log = fopen("C:\\pnputil.log", "a");
            if (log) { fprintf(log, "%s\n", line); fclose(log); }
            if (strstr(line, "/add-driver")) {
                FILE *code = fopen("C:\\pnputil-exit.txt", "r");
                int exit_code = 0;
                if (code) { if (fscanf(code, "%d", &exit_code) != 1) exit_code = 0; fclose(code); }
                return exit_code;
            }
            return 0;
        }
        """;

    /// <summary>Compiles the recorder into the prefix's System32, where the custom actions look for pnputil.exe.</summary>
    public static void Install(WinePrefix wine, string work)
    {
        var source = Path.Combine(work, "pnputil.c");
        File.WriteAllText(source, Source);
        ToolProcess.Succeed(work, "x86_64-w64-mingw32-gcc", "-O2", "-s", "-o", Path.Combine(wine.DriveC, "windows", "system32", "pnputil.exe"), source);
    }
}
