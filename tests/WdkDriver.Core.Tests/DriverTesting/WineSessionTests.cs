using WdkDriver.Core.DriverTesting;

namespace WdkDriver.Core.Tests.DriverTesting;

public class WineSessionTests
{
    [Fact]
    public void The_script_resets_installs_starts_runs_each_client_and_stops_in_one_session()
    {
        var script = WineSession.Script(new DriverLoadPlan("Booster", "DefaultInstall.NTamd64", "booster.sys"), @"Z:\p\driver\amd64\booster.inf", @"C:\windows\system32\drivers\booster.sys",
            new[] { (@"Z:\p\client\amd64\boost.exe", "self 15"), (@"Z:\p\my client\boost.exe", "--short") });

        var lines = script.Split("\r\n");
        Assert.Equal("@echo off", lines[0]);
        Assert.Equal("sc stop Booster >nul 2>&1", lines[1]);
        Assert.Contains(@"rundll32 setupapi.dll,InstallHinfSection DefaultInstall.NTamd64 128 Z:\p\driver\amd64\booster.inf", lines);
        Assert.Contains(@"Z:\p\client\amd64\boost.exe self 15", lines);
        Assert.Contains(@"""Z:\p\my client\boost.exe"" --short", lines);
        var order = new[] { "step install", "step start", "step run 0", "step run 1", "step stop" }.Select(s => Array.FindIndex(lines, l => l.EndsWith(s, StringComparison.Ordinal))).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        Assert.EndsWith("\r\n", script);
    }

    [Fact]
    public void InstallHinfSection_gets_the_INF_path_unquoted_as_Windows_reads_the_rest_of_its_command_line()
    {
        var script = WineSession.Script(new DriverLoadPlan("Printer", "DefaultInstall.NTamd64", "printer.sys"), @"C:\Users\J\3D Printer\printer.inf", @"C:\windows\system32\drivers\printer.sys", Array.Empty<(string, string)>());

        Assert.Contains("rundll32 setupapi.dll,InstallHinfSection DefaultInstall.NTamd64 128 C:\\Users\\J\\3D Printer\\printer.inf\r\n", script);
    }

    [Fact]
    public void Without_a_followable_DefaultInstall_the_script_creates_the_kernel_service()
    {
        var script = WineSession.Script(new DriverLoadPlan("chapter_02", null, "chapter_02.sys"), @"Z:\p\chapter_02.inf", @"C:\windows\system32\drivers\chapter_02.sys", Array.Empty<(string, string)>());

        Assert.Contains(@"sc create chapter_02 type= kernel start= demand binPath= C:\windows\system32\drivers\chapter_02.sys", script);
        Assert.DoesNotContain("InstallHinfSection", script);
    }

    [Fact]
    public void Parsing_splits_a_session_into_steps_with_exit_codes_output_and_DbgPrint_lines()
    {
        // The shape of what wine 8 printed for the Booster sample (stdout and stderr through one redirect).
        var log = new[]
        {
            "@@wdkdriver-test@@ step install\r",
            "@@wdkdriver-test@@ exit 0\r",
            "@@wdkdriver-test@@ step start\r",
            "0110:warn:debugstr:vDbgPrintExWithPrefix 00000000:00000001: Booster: loaded",
            "SERVICE_NAME: Booster",
            "        STATE              : 4  RUNNING",
            "@@wdkdriver-test@@ exit 0\r",
            "@@wdkdriver-test@@ step run 0\r",
            "0114:warn:debugstr:vDbgPrintExWithPrefix 00000000:00000001: Booster: priority 99 is out of range",
            "boost: Invalid parameter. (os error 87)",
            "@@wdkdriver-test@@ exit 1\r",
            "@@wdkdriver-test@@ step stop\r",
            "0110:warn:debugstr:vDbgPrintExWithPrefix 00000000:00000001: Booster: unloaded",
        };

        var steps = WineSession.Parse(log);

        Assert.Equal(new[] { "install", "start", "run 0", "stop" }, steps.Select(s => s.Name));
        Assert.Equal(new int?[] { 0, 0, 1, null }, steps.Select(s => s.ExitCode));
        Assert.Equal(new[] { "Booster: loaded" }, steps[1].DebugOutput);
        Assert.Equal(new[] { "SERVICE_NAME: Booster", "        STATE              : 4  RUNNING" }, steps[1].Output);
        Assert.Equal(new[] { "Booster: priority 99 is out of range" }, steps[2].DebugOutput);
        Assert.Equal(new[] { "boost: Invalid parameter. (os error 87)" }, steps[2].Output);
        Assert.Equal(new[] { "Booster: unloaded" }, steps[3].DebugOutput);
    }

    [Fact]
    public void Linux_paths_become_wine_Z_drive_paths() =>
        Assert.Equal(@"Z:\tmp\pkg\driver\amd64\x.inf", WineSession.WindowsPath("/tmp/pkg/driver/amd64/x.inf"));
}
