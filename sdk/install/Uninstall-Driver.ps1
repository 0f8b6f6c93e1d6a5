<#
.SYNOPSIS
Uninstalls the driver package this script ships with, reversing Install-Driver.ps1.

.DESCRIPTION
A PnP INF is removed from the driver store (and from the devices using it) with pnputil. For a primitive or legacy INF
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

foreach ($inf in Get-PackageInfs $package $Architecture) {
    $plan = Get-DriverInstallPlan -InfPath $inf -Architecture $Architecture
    if ($plan.Kind -eq 'PnP') {
        $published = @(Get-PublishedInfNames (Split-Path $inf -Leaf))
        if ($published.Count -eq 0) { Write-Host "$(Split-Path $inf -Leaf) is not in the driver store." }
        foreach ($name in $published) {
            Invoke-WindowsTool 'pnputil.exe' @('/delete-driver', $name, '/uninstall') -Accept 3010 | Out-Null
        }
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
