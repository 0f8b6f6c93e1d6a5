<#
.SYNOPSIS
Creates or removes a root-enumerated device (hardware ID Root\...), as devcon install and devcon remove do.

.DESCRIPTION
No bus reports a root-enumerated device, so pnputil /add-driver /install only stages its driver: the device has to be
made. Add creates the device node with the hardware ID in the INF's class, registers it with Plug and Play and installs
the INF's driver on it, unless a device with that hardware ID exists already (installing again makes no second one).
Remove uninstalls every device with that hardware ID. Install-Driver.ps1, Uninstall-Driver.ps1 and the package's
installer run it; it uses SetupAPI, which Windows has and no tool of Windows exposes.

Exit codes: 0 done; 3010 done, and a restart completes it; any other code is the Windows error that stopped it.

.PARAMETER Action
Add or Remove.

.PARAMETER HardwareId
The device's hardware ID, as the INF's models section names it (Root\...).

.PARAMETER InfPath
Add: the INF that installs the device's driver.

.PARAMETER Installer
As the installer runs it: a restart needed is left as %windir%\Temp\WdkRestart for the installer to ask for, and the
exit code is 0.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory, Position = 0)] [ValidateSet('Add', 'Remove')] [string] $Action,
    [Parameter(Mandatory, Position = 1)] [string] $HardwareId,
    [Parameter(Position = 2)] [string] $InfPath,
    [switch] $Installer
)

$ErrorActionPreference = 'Stop'

Add-Type -TypeDefinition @'
using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

public static class WdkRootDevice
{
    private const int DicdGenerateId = 0x1;
    private const int DigcfAllClasses = 0x4;
    private const int DifRegisterDevice = 0x19;
    private const int SpdrpHardwareId = 0x1;
    private const int InstallFlagForce = 0x1;
    private const int ErrorNoMoreItems = 259;
    private const int ErrorInsufficientBuffer = 122;

    [StructLayout(LayoutKind.Sequential)]
    private struct DevInfoData
    {
        public int Size;
        public Guid ClassGuid;
        public int DevInst;
        public IntPtr Reserved;
    }

    [DllImport("setupapi.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern bool SetupDiGetINFClassW(string infName, out Guid classGuid, StringBuilder className, int classNameSize, out int requiredSize);

    [DllImport("setupapi.dll", SetLastError = true)]
    private static extern IntPtr SetupDiCreateDeviceInfoList(ref Guid classGuid, IntPtr parent);

    [DllImport("setupapi.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern IntPtr SetupDiGetClassDevsW(IntPtr classGuid, string enumerator, IntPtr parent, int flags);

    [DllImport("setupapi.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern bool SetupDiCreateDeviceInfoW(IntPtr set, string name, ref Guid classGuid, string description, IntPtr parent, int flags, ref DevInfoData data);

    [DllImport("setupapi.dll", SetLastError = true)]
    private static extern bool SetupDiEnumDeviceInfo(IntPtr set, int index, ref DevInfoData data);

    [DllImport("setupapi.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern bool SetupDiSetDeviceRegistryPropertyW(IntPtr set, ref DevInfoData data, int property, byte[] buffer, int size);

    [DllImport("setupapi.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern bool SetupDiGetDeviceRegistryPropertyW(IntPtr set, ref DevInfoData data, int property, out int type, byte[] buffer, int size, out int required);

    [DllImport("setupapi.dll", SetLastError = true)]
    private static extern bool SetupDiCallClassInstaller(int function, IntPtr set, ref DevInfoData data);

    [DllImport("setupapi.dll", SetLastError = true)]
    private static extern bool SetupDiDestroyDeviceInfoList(IntPtr set);

    [DllImport("newdev.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern bool UpdateDriverForPlugAndPlayDevicesW(IntPtr parent, string hardwareId, string infPath, int flags, out bool restart);

    [DllImport("newdev.dll", SetLastError = true)]
    private static extern bool DiUninstallDevice(IntPtr parent, IntPtr set, ref DevInfoData data, int flags, out bool restart);

    /// <summary>Creates the device unless one has the hardware ID, then installs the INF's driver on it; true: restart needed.</summary>
    public static bool Add(string hardwareId, string infPath)
    {
        if (Find(hardwareId, false) == 0)
        {
            Create(hardwareId, infPath);
        }

        bool restart;
        Check(UpdateDriverForPlugAndPlayDevicesW(IntPtr.Zero, hardwareId, infPath, InstallFlagForce, out restart), "install the driver on " + hardwareId);
        return restart;
    }

    /// <summary>Uninstalls every device with the hardware ID; true: restart needed.</summary>
    public static bool Remove(string hardwareId)
    {
        return Find(hardwareId, true) > 0;
    }

    private static void Create(string hardwareId, string infPath)
    {
        Guid classGuid;
        var className = new StringBuilder(256);
        int required;
        Check(SetupDiGetINFClassW(infPath, out classGuid, className, className.Capacity, out required), "read the class of " + infPath);
        var set = SetupDiCreateDeviceInfoList(ref classGuid, IntPtr.Zero);
        Check(set != new IntPtr(-1), "create a device list");
        try
        {
            var data = new DevInfoData { Size = Marshal.SizeOf(typeof(DevInfoData)) };
            Check(SetupDiCreateDeviceInfoW(set, className.ToString(), ref classGuid, null, IntPtr.Zero, DicdGenerateId, ref data), "create the device " + hardwareId);
            // REG_MULTI_SZ: the ID and an empty string.
            var ids = Encoding.Unicode.GetBytes(hardwareId + "\0\0");
            Check(SetupDiSetDeviceRegistryPropertyW(set, ref data, SpdrpHardwareId, ids, ids.Length), "give the device its hardware ID " + hardwareId);
            Check(SetupDiCallClassInstaller(DifRegisterDevice, set, ref data), "register the device " + hardwareId);
        }
        finally
        {
            SetupDiDestroyDeviceInfoList(set);
        }
    }

    /// <summary>How many root-enumerated devices have the hardware ID; or, uninstalling each, how many of them need a restart to go.</summary>
    private static int Find(string hardwareId, bool uninstall)
    {
        var set = SetupDiGetClassDevsW(IntPtr.Zero, "ROOT", IntPtr.Zero, DigcfAllClasses);
        Check(set != new IntPtr(-1), "list the root-enumerated devices");
        try
        {
            // The matching devices first, removed after the walk: the set's indexes are not promised to stay put
            // while devices leave it.
            var matching = new System.Collections.Generic.List<DevInfoData>();
            for (var index = 0; ; index++)
            {
                var data = new DevInfoData { Size = Marshal.SizeOf(typeof(DevInfoData)) };
                if (!SetupDiEnumDeviceInfo(set, index, ref data))
                {
                    Check(Marshal.GetLastWin32Error() == ErrorNoMoreItems, "list the root-enumerated devices");
                    break;
                }

                if (HasHardwareId(set, ref data, hardwareId))
                {
                    matching.Add(data);
                }
            }

            if (!uninstall)
            {
                return matching.Count;
            }

            var restarts = 0;
            foreach (var found in matching)
            {
                var device = found;
                bool restart;
                Check(DiUninstallDevice(IntPtr.Zero, set, ref device, 0, out restart), "remove the device " + hardwareId);
                restarts += restart ? 1 : 0;
            }

            return restarts;
        }
        finally
        {
            SetupDiDestroyDeviceInfoList(set);
        }
    }

    private static bool HasHardwareId(IntPtr set, ref DevInfoData data, string hardwareId)
    {
        int type;
        int required;
        var buffer = new byte[1024];
        if (!SetupDiGetDeviceRegistryPropertyW(set, ref data, SpdrpHardwareId, out type, buffer, buffer.Length, out required))
        {
            if (Marshal.GetLastWin32Error() != ErrorInsufficientBuffer)
            {
                return false;
            }

            buffer = new byte[required];
            Check(SetupDiGetDeviceRegistryPropertyW(set, ref data, SpdrpHardwareId, out type, buffer, buffer.Length, out required), "read a device's hardware IDs");
        }

        foreach (var id in Encoding.Unicode.GetString(buffer, 0, required).Split('\0'))
        {
            if (string.Equals(id, hardwareId, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static void Check(bool succeeded, string what)
    {
        if (!succeeded)
        {
            var error = Marshal.GetLastWin32Error();
            throw new Win32Exception(error, "Cannot " + what + ": " + new Win32Exception(error).Message);
        }
    }
}
'@

try {
    $restart = if ($Action -eq 'Add') {
        if (-not $InfPath) { throw 'Add needs the INF that installs the device''s driver.' }
        [WdkRootDevice]::Add($HardwareId, [System.IO.Path]::GetFullPath($InfPath))
    }
    else {
        [WdkRootDevice]::Remove($HardwareId)
    }
}
catch {
    $failure = $_.Exception
    while ($failure.InnerException) { $failure = $failure.InnerException }
    Write-Host "error WDK5018: $($failure.Message)"
    $code = if ($failure -is [System.ComponentModel.Win32Exception] -and $failure.NativeErrorCode -ne 0) { $failure.NativeErrorCode } else { 1 }
    exit $code
}

if ($restart -and $Installer) {
    # The installer's WdkRequestRestart takes this after InstallFinalize and asks Windows Installer for the restart.
    [System.IO.File]::WriteAllText((Join-Path $env:windir 'Temp\WdkRestart'), '')
    exit 0
}
if ($restart) { exit 3010 }
exit 0
