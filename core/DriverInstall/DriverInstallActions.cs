using System.Collections.Generic;

namespace WdkDriver.Core.DriverInstall;

/// <summary>A custom action and where it runs in InstallExecuteSequence.</summary>
public sealed record InstallerAction(string Name, int Type, string Source, string Target, string Condition, int Sequence);

/// <summary>
/// The deferred custom actions that install and remove one INF with Windows' own tools, as the install scripts run
/// them: pnputil for a PnP INF; rundll32's InstallHinfSection and sc for a legacy or primitive one. They run as
/// LocalSystem (no impersonation) between InstallInitialize and InstallFinalize: removal before RemoveFiles (the INF
/// is still there), installation after InstallFiles, each preceded by a rollback action that undoes it if a later step
/// fails. They are conditioned on the INF's component: being installed (3) or removed (2), which a major upgrade's
/// removal of the old product is too.
/// </summary>
public static class DriverInstallActions
{
    /// <summary>The directory property of the native system folder (System32 on 64-bit Windows).</summary>
    public const string SystemFolder = "System64Folder";

    /// <summary>msidbCustomActionTypeExe + Directory source (34), InScript (deferred), NoImpersonate.</summary>
    private const int Deferred = 34 | 0x400 | 0x800;

    /// <summary>The exit code is not checked: a removal must never leave a product that cannot be uninstalled.</summary>
    private const int Continue = 0x40;

    private const int Rollback = 0x100;

    /// <summary>Removal actions from here (RemoveFiles is 3500), installation ones after InstallFiles (4000).</summary>
    public const int RemovalSequence = 3400;

    public const int InstallSequence = 4001;

    /// <param name="index">Which INF of the package (1, 2, ...): names the actions.</param>
    /// <param name="infFile">The INF's File key (and its component's).</param>
    /// <param name="infDirectory">The Directory key of the INF's folder.</param>
    public static IEnumerable<InstallerAction> For(DriverInstallPlan plan, int index, string infFile, string infDirectory, ref int removal, ref int install)
    {
        var removing = $"${infFile}=2";
        var installing = $"${infFile}=3";
        var system = $"\"[{SystemFolder}]";
        var actions = new List<InstallerAction>();
        var removeSteps = new List<(string Name, string Source, string Target)>();
        var installSteps = new List<(string Name, string Source, string Target)>();

        if (plan.Kind == DriverInstallKind.PlugAndPlay)
        {
            // The store publishes the package as %windir%\INF\oemNN.inf, a byte-for-byte copy of the INF (how
            // SetupCopyOEMInf tells a package it already has): the copy identical to the installed INF is ours, whatever
            // its name and whatever language pnputil's listing would be in.
            removeSteps.Add(($"WdkRemoveDriver{index}", SystemFolder,
                $"{system}cmd.exe\" /d /c \"for %f in (\"%windir%\\INF\\oem*.inf\") do @(fc.exe /b \"%f\" \"[#{infFile}]\" >nul && pnputil.exe /delete-driver \"%~nxf\" /uninstall /force)\""));

            // pnputil: 0 installed; 259 nothing to install it on (or a better driver there); 3010 installed, restart
            // needed. An EXE action fails on any code but 0, so cmd maps the three to 0 and the rest to 1.
            installSteps.Add(($"WdkAddDriver{index}", SystemFolder,
                $"{system}cmd.exe\" /d /c \"pnputil.exe /add-driver \"[#{infFile}]\" /install & if errorlevel 3011 (exit 1) else if errorlevel 3010 (exit 0) " +
                "else if errorlevel 260 (exit 1) else if errorlevel 259 (exit 0) else if errorlevel 1 (exit 1) else if errorlevel 0 (exit 0) else exit 1\""));
        }
        else
        {
            for (var i = 0; i < plan.Services.Count; i++)
            {
                removeSteps.Add(($"WdkStopService{index}_{i + 1}", SystemFolder, $"{system}sc.exe\" stop {plan.Services[i]}"));
            }

            if (plan.UninstallSection is not null)
            {
                removeSteps.Add(($"WdkUninstallDriver{index}", infDirectory, HinfSection(plan.UninstallSection, infFile)));
            }
            else
            {
                for (var i = 0; i < plan.Services.Count; i++)
                {
                    removeSteps.Add(($"WdkDeleteService{index}_{i + 1}", SystemFolder, $"{system}sc.exe\" delete {plan.Services[i]}"));
                }
            }

            installSteps.Add(($"WdkInstallDriver{index}", infDirectory, HinfSection(plan.InstallSection!, infFile)));
            for (var i = 0; i < plan.Services.Count; i++)
            {
                // 1056: already running (an earlier install left it so); any other code but 0 fails the install.
                installSteps.Add(($"WdkStartService{index}_{i + 1}", SystemFolder,
                    $"{system}cmd.exe\" /d /c \"sc.exe start {plan.Services[i]} & if errorlevel 1057 (exit 1) else if errorlevel 1056 (exit 0) else if errorlevel 1 (exit 1) else if errorlevel 0 (exit 0) else exit 1\""));
            }
        }

        foreach (var (name, source, target) in removeSteps)
        {
            actions.Add(new InstallerAction(name, Deferred | Continue, source, target, removing, removal++));
        }

        // Rollback actions run in reverse order: scheduled last step first, so the undo runs in the removal's order.
        for (var i = removeSteps.Count - 1; i >= 0; i--)
        {
            var (name, source, target) = removeSteps[i];
            actions.Add(new InstallerAction("WdkUndo" + name.Substring(3), Deferred | Continue | Rollback, source, target, installing, install++));
        }

        foreach (var (name, source, target) in installSteps)
        {
            actions.Add(new InstallerAction(name, Deferred, source, target, installing, install++));
        }

        return actions;
    }

    private static string HinfSection(string section, string infFile) =>
        $"\"[{SystemFolder}]rundll32.exe\" setupapi.dll,InstallHinfSection {section} 128 [#{infFile}]";
}
