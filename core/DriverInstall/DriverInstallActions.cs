using System.Collections.Generic;
using System.Linq;

namespace WdkDriver.Core.DriverInstall;

/// <summary>A custom action and where it runs in InstallExecuteSequence.</summary>
public sealed record InstallerAction(string Name, int Type, string? Source, string Target, string Condition, int Sequence);

/// <summary>
/// The deferred custom actions that install and remove one INF with Windows' own tools, as the install scripts run
/// them: pnputil (and the package's RootDevice.ps1 for a root-enumerated device) for a PnP INF; rundll32's
/// InstallHinfSection and sc for a legacy or primitive one. They run as
/// LocalSystem (no impersonation) between InstallInitialize and InstallFinalize: removal before RemoveFiles (the INF
/// is still there), installation after InstallFiles. They are conditioned on the INF's component: being installed (3)
/// or removed (2), which a major upgrade's removal of the old product is too.
/// <para>
/// Every step that changes the machine is preceded by its rollback partner, which puts back what the step did if the
/// transaction fails later: Windows Installer runs the rollback script backwards, so a removal's partners run after
/// RemoveFiles' rollback has restored the INF (the driver is installed again from it and its services started), and an
/// install's partners before InstallFiles' rollback takes the INF away. An install's partners also clean up without
/// the INF (services stopped and deleted, their binaries deleted), for a rollback that removed the files first.
/// </para>
/// </summary>
public static class DriverInstallActions
{
    /// <summary>The Directory key of the native system folder (System32 on 64-bit Windows), every action's working folder.</summary>
    public const string NativeSystemFolder = "System64Folder";

    /// <summary>msidbCustomActionTypeExe + Directory source (34), InScript (deferred), NoImpersonate.</summary>
    private const int Deferred = 34 | 0x400 | 0x800;

    /// <summary>The exit code is not checked: a removal must never leave a product that cannot be uninstalled.</summary>
    private const int Continue = 0x40;

    private const int Rollback = 0x100;

    /// <summary>Removal actions from here to RemoveFiles (3500), installation ones after InstallFiles (4000).</summary>
    public const int RemovalSequence = 3400;

    public const int InstallSequence = 4001;

    private const string System = "\"[" + NativeSystemFolder + "]";

    /// <param name="index">Which INF of the package (1, 2, ...): names the actions.</param>
    /// <param name="infFile">The INF's File key (and its component's).</param>
    /// <param name="rootDeviceScript">The File key of the package's RootDevice.ps1, where the plan has root-enumerated devices.</param>
    public static IEnumerable<InstallerAction> For(DriverInstallPlan plan, int index, string infFile, string? rootDeviceScript, ref int removal, ref int install)
    {
        var removing = new Steps($"${infFile}=2");
        var installing = new Steps($"${infFile}=3");

        if (plan.Kind == DriverInstallKind.PlugAndPlay)
        {
            // A root-enumerated device goes before its driver leaves the store, and is made after the driver is in it;
            // a rollback makes it again once the driver is back, and removes it before the driver leaves.
            var devices = plan.RootDevices.Select((_, j) => (Property: RootDeviceProperty(index, j + 1), Number: j + 1)).ToList();
            foreach (var (property, j) in devices)
            {
                removing.Add($"WdkRemoveRootDevice{index}_{j}", RootDevice(rootDeviceScript!, "Remove", property), checkExit: false, undo: ($"WdkRestoreRootDevice{index}_{j}", RootDevice(rootDeviceScript!, "Add", property, infFile)));
            }

            removing.Add($"WdkRemoveDriver{index}", StoreRemoval(infFile), checkExit: false, undo: ($"WdkRestoreDriver{index}", AddDriver(infFile)));
            installing.Add($"WdkAddDriver{index}", AddDriver(infFile), checkExit: true, undo: ($"WdkUndoAddDriver{index}", StoreRemoval(infFile)));
            foreach (var (property, j) in devices)
            {
                installing.Add($"WdkAddRootDevice{index}_{j}", RootDevice(rootDeviceScript!, "Add", property, infFile), checkExit: true, undo: ($"WdkUndoRootDevice{index}_{j}", RootDevice(rootDeviceScript!, "Remove", property)));
            }
        }
        else
        {
            foreach (var (service, i) in plan.Services.Select((s, i) => (s, i + 1)))
            {
                removing.Add($"WdkStopService{index}_{i}", $"{System}sc.exe\" stop \"{service.Name}\"", checkExit: false, undo: ($"WdkRestartService{index}_{i}", StartService(service.Name)));
            }

            // One partner for the removal's steps: installing the driver again puts back its files, services and store copy.
            var reinstall = ($"WdkReinstallDriver{index}", HinfSection(plan.InstallSection!, infFile));
            if (plan.UninstallSection is not null)
            {
                removing.Add($"WdkUninstallDriver{index}", HinfSection(plan.UninstallSection, infFile), checkExit: false, undo: reinstall);
            }
            else
            {
                foreach (var (service, i) in plan.Services.Select((s, i) => (s, i + 1)))
                {
                    removing.Add($"WdkDeleteService{index}_{i}", $"{System}sc.exe\" delete \"{service.Name}\"", checkExit: false, undo: i == 1 ? reinstall : null);
                }
            }

            // Since Windows 10 1903 InstallHinfSection stages a primitive INF into the driver store: take that copy out too.
            removing.Add($"WdkRemoveStoreCopy{index}", StoreRemoval(infFile), checkExit: false, undo: plan.UninstallSection is null && plan.Services.Count == 0 ? reinstall : null);

            // The install's partners, in the order the rollback runs them backwards: [DefaultUninstall], then each
            // service stopped, deleted and its binary deleted (what a rollback without the INF still can), then the store copy.
            installing.Undo($"WdkUndoStoreCopy{index}", StoreRemoval(infFile));
            foreach (var (service, i) in plan.Services.Select((s, i) => (s, i + 1)))
            {
                installing.Undo($"WdkUndoService{index}_{i}", DeleteService(service));
            }

            if (plan.UninstallSection is not null)
            {
                installing.Undo($"WdkUndoInstallDriver{index}", HinfSection(plan.UninstallSection, infFile));
            }

            installing.Add($"WdkInstallDriver{index}", HinfSection(plan.InstallSection!, infFile), checkExit: true);
            foreach (var (service, i) in plan.Services.Select((s, i) => (s, i + 1)))
            {
                installing.Add($"WdkStartService{index}_{i}", StartService(service.Name), checkExit: true);
            }
        }

        return removing.Sequence(ref removal).Concat(installing.Sequence(ref install)).ToList();
    }

    /// <summary>
    /// The store publishes the package as %windir%\INF\oemNN.inf, a byte-for-byte copy of the INF (how SetupCopyOEMInf
    /// tells a package it already has): the copy identical to the installed INF is ours, whatever its name and whatever
    /// language pnputil's listing would be in. A restart pnputil asks for (3010) leaves <see cref="RestartMarker"/>, as
    /// the install's step does. The loop's body is the rest of the line, unparenthesized: wine's cmd stumbles over an
    /// <c>if</c> in parentheses there (and ends the body at the first <c>&amp;</c>, checking only the last copy's code).
    /// The folder is Windows Installer's [WindowsFolder], not %windir%, which wine's cmd leaves unexpanded in a loop's
    /// set; neither it nor an oemNN.inf name has spaces, so neither is quoted.
    /// </summary>
    private static string StoreRemoval(string infFile) =>
        $"{System}cmd.exe\" /d /v:on /c \"for %f in ([WindowsFolder]INF\\oem*.inf) do @fc /b %f \"[#{infFile}]\" >nul&&pnputil /delete-driver %~nxf /uninstall /force&if !errorlevel!==3010 cd.>%windir%\\Temp\\{RestartMarker}\"";

    /// <summary>
    /// pnputil: 0 installed; 259 nothing to install it on (or a better driver there); 3010 installed, restart needed,
    /// which leaves <see cref="RestartMarker"/> for <see cref="RequestRestart"/>. An EXE action fails on any code but 0,
    /// so cmd (with delayed expansion, /v:on, to read the code after pnputil set it) exits 0 for the three and with
    /// pnputil's code otherwise. Each test is in its own parentheses, and the two commands of one in theirs: cmd reads
    /// every command after an unparenthesized <c>if</c> on the line as the if's, and wine's cmd runs the second of
    /// <c>if c a&amp;b</c> whatever c is. The command fits the CustomAction table's Target column (255 characters).
    /// </summary>
    private static string AddDriver(string infFile) =>
        $"{System}cmd.exe\" /d /v:on /c \"pnputil /add-driver \"[#{infFile}]\" /install&set e=!errorlevel!&(if !e!==3010 (cd.>%windir%\\Temp\\{RestartMarker}&set e=0))&(if !e!==259 set e=0)&exit !e!\"";

    /// <summary>The file in Windows' Temp folder that says a driver install asked for a restart.</summary>
    private const string RestartMarker = "WdkRestart";

    /// <summary>msidbCustomActionTypeJScript + inline text (37), its result not checked (0x40), 64-bit (0x1000).</summary>
    private const int Script = 37 | 0x40 | 0x1000;

    /// <summary>
    /// An EXE custom action cannot ask Windows Installer for a restart; a script action can (Session.Mode of
    /// msiRunModeRebootAtEnd, 6). Right after InstallFinalize, when the script has run, it takes the marker a pnputil
    /// step left and asks: msiexec then ends with 3010 (or offers the restart, with a UI). Should scripts be blocked
    /// on the machine, the install is still done, without the request.
    /// </summary>
    public static InstallerAction RequestRestart(int sequence) => new(
        "WdkRequestRestart",
        Script,
        null,
        $"var f=new ActiveXObject(\"Scripting.FileSystemObject\"),p=f.GetSpecialFolder(0)+\"\\\\Temp\\\\{RestartMarker}\";if(f.FileExists(p)){{f.DeleteFile(p);Session.Mode(6)=true}}",
        string.Empty,
        sequence);

    /// <summary>The private property that holds a root-enumerated device's hardware ID, which a command line then names in a few characters.</summary>
    public static string RootDeviceProperty(int index, int device) => $"WdkRootDevice{index}_{device}";

    /// <summary>
    /// The package's RootDevice.ps1 run by Windows PowerShell, which every Windows 10 and 11 has. -Installer: a restart
    /// needed leaves <see cref="RestartMarker"/> for <see cref="RequestRestart"/> and the exit code is 0; any other
    /// failure is the script's non-zero code.
    /// </summary>
    private static string RootDevice(string script, string action, string property, string? infFile = null) =>
        $"{System}WindowsPowerShell\\v1.0\\powershell.exe\" -NoProfile -ExecutionPolicy Bypass -File \"[#{script}]\" -Installer {action} \"[{property}]\"" +
        (infFile is null ? string.Empty : $" \"[#{infFile}]\"");

    /// <summary>1056: already running (an earlier install left it so); any other code but 0 fails the install (cmd exits with it).</summary>
    private static string StartService(string name) =>
        $"{System}cmd.exe\" /d /v:on /c \"sc.exe start \"{name}\"&set e=!errorlevel!&(if !e!==1056 set e=0)&exit !e!\"";

    private static string DeleteService(DriverInstallService service) =>
        $"{System}cmd.exe\" /d /c \"sc.exe stop \"{service.Name}\"&sc.exe delete \"{service.Name}\"" +
        (service.Binary is null ? "\"" : $"&del /f /q \"{service.Binary}\"\"");

    /// <summary>InstallHinfSection takes the rest of its command line as the INF's path, spaces included, and no quotes.</summary>
    private static string HinfSection(string section, string infFile) =>
        $"{System}rundll32.exe\" setupapi.dll,InstallHinfSection {section} 128 [#{infFile}]";

    /// <summary>The steps of one direction (install or removal) and their rollback partners, in the order they are scheduled.</summary>
    private sealed class Steps
    {
        private readonly string condition;
        private readonly List<(string Name, int Type, string Target)> scheduled = new();

        public Steps(string condition) => this.condition = condition;

        /// <param name="checkExit">Whether the step's failure fails the install; removal steps never do.</param>
        /// <param name="undo">The rollback partner, scheduled right before the step.</param>
        public void Add(string name, string target, bool checkExit, (string Name, string Target)? undo = null)
        {
            if (undo is { } partner)
            {
                Undo(partner.Name, partner.Target);
            }

            scheduled.Add((name, checkExit ? Deferred : Deferred | Continue, target));
        }

        /// <summary>A rollback step whose exit code is not checked: a rollback does what it can.</summary>
        public void Undo(string name, string target) => scheduled.Add((name, Deferred | Continue | Rollback, target));

        public IEnumerable<InstallerAction> Sequence(ref int next)
        {
            var actions = new List<InstallerAction>();
            foreach (var (name, type, target) in scheduled)
            {
                actions.Add(new InstallerAction(name, type, NativeSystemFolder, target, condition, next++));
            }

            return actions;
        }
    }
}
