<#
.SYNOPSIS
Installs the driver package this script ships with (driver\<arch>\ beside this tools\ folder).

.DESCRIPTION
Carries out the package's install plan (tools\install-plan.<arch>.json), as the package's installer does. A PnP INF is
added to the driver store and installed on matching devices with pnputil; a root-enumerated device its models name
(Root\...) is created first (RootDevice.ps1). A primitive or legacy INF is installed through its [DefaultInstall]
section, and the services it adds are started. Run it from an elevated prompt.

.PARAMETER TrustTestCertificate
Imports the package's test certificate (WdkDriverTestCert.cer) into the machine's Root and TrustedPublisher stores
first, so Windows accepts the test-signed driver (test signing must be on: bcdedit /set testsigning on).

.PARAMETER Architecture
amd64 or arm64; by default the running Windows' architecture.
#>
[CmdletBinding()]
param(
    [switch] $TrustTestCertificate,
    [string] $Architecture
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'DriverPackage.psm1') -Force

$package = Split-Path $PSScriptRoot -Parent
if (-not $Architecture) { $Architecture = Get-DriverArchitecture }
Assert-Administrator

if ($TrustTestCertificate) {
    $certificate = Get-TestCertificate $package
    if (-not $certificate) { throw 'error WDK5015: -TrustTestCertificate: this package is not test-signed (it has no WdkDriverTestCert.cer).' }
    foreach ($store in 'Root', 'TrustedPublisher') {
        Invoke-WindowsTool 'certutil.exe' @('-f', '-addstore', $store, $certificate) | Out-Null
    }
}

$restart = $false
foreach ($plan in Get-PackageInstallPlan $package $Architecture) {
    $inf = $plan.Inf
    if ($plan.Kind -eq 'PnP') {
        # 259: added to the store, but no device present matches it yet; 3010: a restart completes the install.
        $result = Invoke-WindowsTool 'pnputil.exe' @('/add-driver', $inf, '/install') -Accept 259, 3010
        if ($result.ExitCode -eq 259) { Write-Host "$(Split-Path $inf -Leaf) is in the driver store; no device present matches it yet." }
        if ($result.ExitCode -eq 3010) { $restart = $true }
        foreach ($id in $plan.RootDevices) {
            # No bus reports a root-enumerated device: it is made, as devcon install makes it, and gets the driver.
            $result = Invoke-WindowsTool 'powershell.exe' (Get-RootDeviceArguments 'Add' $id $inf) -Accept 3010
            if ($result.ExitCode -eq 3010) { $restart = $true }
        }
        continue
    }

    # 128: take the files from the INF's folder and never restart on our behalf.
    Invoke-WindowsTool 'rundll32.exe' @('setupapi.dll,InstallHinfSection', $plan.InstallSection, '128', $inf) | Out-Null
    foreach ($service in $plan.Services) {
        # InstallHinfSection reports nothing: a service that does not exist now was not installed.
        $query = Invoke-WindowsTool 'sc.exe' @('query', $service) -Accept 1060
        if ($query.ExitCode -eq 1060) { throw "error WDK5016: Installing $(Split-Path $inf -Leaf) through [$($plan.InstallSection)] did not create the service '$service'; see %windir%\inf\setupapi.app.log." }
        # 1056: already running. 1072: an earlier removal left the service marked for deletion until Windows restarts.
        $start = Invoke-WindowsTool 'sc.exe' @('start', $service) -Accept 1056, 1072
        if ($start.ExitCode -eq 1072) { throw "error WDK5017: The service '$service' is still marked for deletion by an earlier removal, so Windows cannot start it until it restarts: restart Windows, then install again." }
    }
}

Write-Host 'Driver installed.'
# 3010, as msiexec and pnputil say it: installed, and a restart completes it.
if ($restart) { Write-Host 'Restart Windows to complete the installation.'; exit 3010 }
