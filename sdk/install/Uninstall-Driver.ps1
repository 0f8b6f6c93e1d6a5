<#
.SYNOPSIS
Uninstalls the driver package this script ships with, reversing Install-Driver.ps1.

.DESCRIPTION
A PnP INF is removed from the driver store (and from the devices using it) with pnputil, after the root-enumerated
devices Install-Driver.ps1 created for it are removed. For a primitive or legacy INF
the services it added are stopped, then its [DefaultUninstall] section runs, or, without one, the services are deleted.

.PARAMETER RemoveTestCertificate
Also removes the package's test certificate from the machine's Root and TrustedPublisher stores.

.PARAMETER Architecture
amd64 or arm64; by default the running Windows' architecture.
#>
[CmdletBinding()]
param(
    [switch] $RemoveTestCertificate,
    [string] $Architecture
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'DriverPackage.psm1') -Force

$package = Split-Path $PSScriptRoot -Parent
if (-not $Architecture) { $Architecture = Get-DriverArchitecture }
Assert-Administrator

$restart = $false
foreach ($plan in Get-PackageInstallPlan $package $Architecture) {
    $inf = $plan.Inf
    if ($plan.Kind -eq 'PnP') {
        foreach ($id in $plan.RootDevices) {
            $result = Invoke-WindowsTool 'powershell.exe' (Get-RootDeviceArguments 'Remove' $id) -Accept 3010
            if ($result.ExitCode -eq 3010) { $restart = $true }
        }
        $restart = (@(Remove-StoreCopies $inf) | Where-Object { $_.ExitCode -eq 3010 }).Count -gt 0 -or $restart
        continue
    }

    foreach ($service in $plan.Services) {
        # 1060: no such service; 1062: not started.
        Invoke-WindowsTool 'sc.exe' @('stop', $service) -Accept 1060, 1062 | Out-Null
    }

    if ($plan.UninstallSection) {
        Invoke-WindowsTool 'rundll32.exe' @('setupapi.dll,InstallHinfSection', $plan.UninstallSection, '128', $inf) | Out-Null
    }
    else {
        foreach ($service in $plan.Services) {
            Invoke-WindowsTool 'sc.exe' @('delete', $service) -Accept 1060 | Out-Null
        }
    }

    $restart = (@(Remove-StoreCopies $inf) | Where-Object { $_.ExitCode -eq 3010 }).Count -gt 0 -or $restart
}

if ($RemoveTestCertificate) {
    $certificate = Get-TestCertificate $package
    if ($certificate) {
        $thumbprint = Get-CertificateThumbprint $certificate
        foreach ($store in 'Root', 'TrustedPublisher') {
            # certutil says "not found" with a non-zero code when it was never imported; that is fine here.
            Invoke-WindowsTool 'certutil.exe' @('-delstore', $store, $thumbprint) -Accept -2146885628 | Out-Null
        }
    }
}

Write-Host 'Driver uninstalled.'
# 3010, as msiexec and pnputil say it: done, and a restart completes it.
if ($restart) { Write-Host 'Restart Windows to complete the removal.'; exit 3010 }
