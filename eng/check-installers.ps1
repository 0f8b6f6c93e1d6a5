<#
.SYNOPSIS
Installs and removes the SDK's installers with Windows Installer, on Windows (the windows job of
.github/workflows/ci.yml runs it), where wine stands in on Linux:
  a PnP driver: Microsoft's attested Mullvad split-tunnel package from the corpus, made into an .msi with
    `wdkdriver msi create`; msiexec /i puts it into the driver store through pnputil and makes its root-enumerated
    device (Root\mullvad-split-tunnel) with RootDevice.ps1, once; an upgrade to a version whose
    INF no longer matches its catalog fails and leaves 1.0.0 installed, in the store and in Programs and Features;
    msiexec /x takes it out again; msiexec /a unpacks it without installing the driver;
  a legacy driver: the Booster sample's test-signed .msi (dotnet pack -p:DriverInstaller=msi). A hosted runner cannot
    restart into test-signing mode, so Windows refuses to start the driver (sc start: 577, which shows SetupAPI took
    the INF's decorated section for InstallHinfSection DefaultInstall and created the service) and the install must
    roll back whole: no service, no files, no Programs and Features entry.
Every difference is printed; the script exits 1 if there was one.
.PARAMETER LegacyInstaller
The Booster sample's .msi.
#>
param(
    [Parameter(Mandatory = $true)][string] $LegacyInstaller,
    [string] $Corpus = (Join-Path $PSScriptRoot '..\..\shared\corpus'),
    [string[]] $Wdkdriver = @('dotnet', 'run', '--project', (Join-Path $PSScriptRoot '..\cli'), '-c', 'Release', '--')
)

$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) ('wdk-msi-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory $work | Out-Null
$script:differences = 0

function Report-Difference([string] $what) {
    Write-Host "DIFFERENCE: $what"
    $script:differences++
}

function Invoke-Msiexec([string[]] $arguments, [string] $log) {
    $process = Start-Process -FilePath msiexec.exe -ArgumentList ($arguments + @('/qn', '/l*v', "`"$log`"")) -Wait -PassThru
    Write-Host "msiexec $($arguments -join ' '): $($process.ExitCode)"
    return $process.ExitCode
}

function Test-InDriverStore([string] $inf) {
    # The store's copy of a package's INF is byte for byte the INF: compare, whatever language pnputil speaks.
    $hash = (Get-FileHash -LiteralPath $inf).Hash
    @(Get-ChildItem "$env:windir\INF\oem*.inf" | Where-Object { (Get-FileHash -LiteralPath $_.FullName).Hash -eq $hash }).Count -gt 0
}

function Get-RootDevices {
    @(Get-PnpDevice -ErrorAction SilentlyContinue | Where-Object { $_.HardwareID -contains 'Root\mullvad-split-tunnel' })
}

function Get-UninstallEntry([string] $name) {
    Get-ChildItem 'HKLM:\Software\Microsoft\Windows\CurrentVersion\Uninstall' | Get-ItemProperty | Where-Object { $_.PSObject.Properties['DisplayName'] -and $_.DisplayName -eq $name }
}

Write-Host "`n== PnP: Microsoft's attested package through pnputil"
$package = Join-Path $work 'split-tunnel'
$driver = Join-Path $package 'driver\amd64'
New-Item -ItemType Directory $driver | Out-Null
Copy-Item (Join-Path $Corpus 'attested\mullvad-split-tunnel\*') $driver
# As a build lays the package out: the installer makes the root-enumerated device with the package's RootDevice.ps1.
New-Item -ItemType Directory (Join-Path $package 'tools') | Out-Null
Copy-Item (Join-Path $PSScriptRoot '..\sdk\install\RootDevice.ps1') (Join-Path $package 'tools')
$msi = Join-Path $work 'split-tunnel.msi'
& $Wdkdriver[0] ($Wdkdriver[1..($Wdkdriver.Count - 1)] + @('msi', 'create', $package, '-o', $msi, '--manufacturer', 'WdkDriver.Sdk CI', '--product', 'Split Tunnel', '--version', '1.0.0')) | Out-Host
if ($LASTEXITCODE -ne 0) { Report-Difference "wdkdriver msi create exited with $LASTEXITCODE" }
$inf = Join-Path $driver 'mullvad-split-tunnel.inf'
if ((Invoke-Msiexec @('/i', "`"$msi`"") (Join-Path $work 'pnp-install.log')) -ne 0) { Report-Difference 'the PnP installer did not install' }
if (-not (Test-InDriverStore $inf)) { Report-Difference 'the PnP driver is not in the driver store after installing' }
if (-not (Get-UninstallEntry 'Split Tunnel')) { Report-Difference 'no Programs and Features entry after installing' }
if (-not (Test-Path "$env:ProgramFiles\WdkDriver.Sdk CI\Split Tunnel\driver\mullvad-split-tunnel.inf")) { Report-Difference 'the INF is not in the install folder' }
$devices = Get-RootDevices
if ($devices.Count -ne 1) { Report-Difference "$($devices.Count) Root\mullvad-split-tunnel devices after installing, not 1" }
elseif ($devices[0].Class -ne 'WFPCALLOUTS') { Report-Difference "the root-enumerated device is in class '$($devices[0].Class)', not the INF's WFPCALLOUTS" }

Write-Host "`n== PnP: an upgrade whose driver Windows refuses leaves the installed version as it was"
# Version 1.1.0 of the same product, its INF changed after signing: the catalog no longer covers it, so pnputil refuses
# it and the upgrade fails; RemoveExistingProducts runs inside the transaction, so 1.0.0's removal is rolled back too.
$broken = Join-Path $work 'split-tunnel-broken'
Copy-Item $package $broken -Recurse
Add-Content -LiteralPath (Join-Path $broken 'driver\amd64\mullvad-split-tunnel.inf') '; changed after signing'
$upgrade = Join-Path $work 'split-tunnel-1.1.0.msi'
& $Wdkdriver[0] ($Wdkdriver[1..($Wdkdriver.Count - 1)] + @('msi', 'create', $broken, '-o', $upgrade, '--manufacturer', 'WdkDriver.Sdk CI', '--product', 'Split Tunnel', '--version', '1.1.0')) | Out-Host
if ($LASTEXITCODE -ne 0) { Report-Difference "wdkdriver msi create (1.1.0) exited with $LASTEXITCODE" }
$code = Invoke-Msiexec @('/i', "`"$upgrade`"") (Join-Path $work 'pnp-upgrade.log')
if ($code -ne 1603) { Report-Difference "the failing upgrade exited with $code, not 1603" }
if (-not (Test-InDriverStore $inf)) { Report-Difference '1.0.0''s driver left the driver store when the upgrade failed' }
if (-not (Test-Path "$env:ProgramFiles\WdkDriver.Sdk CI\Split Tunnel\driver\mullvad-split-tunnel.inf")) { Report-Difference '1.0.0''s files are gone after the failed upgrade' }
$entry = Get-UninstallEntry 'Split Tunnel'
if (-not $entry -or $entry.DisplayVersion -ne '1.0.0') { Report-Difference "after the failed upgrade Programs and Features shows '$($entry.DisplayVersion)', not 1.0.0" }
if ((Get-RootDevices).Count -ne 1) { Report-Difference "after the failed upgrade there are $((Get-RootDevices).Count) Root\mullvad-split-tunnel devices, not 1" }

if ((Invoke-Msiexec @('/x', "`"$msi`"") (Join-Path $work 'pnp-remove.log')) -ne 0) { Report-Difference 'the PnP installer did not uninstall' }
if (Test-InDriverStore $inf) { Report-Difference 'the PnP driver is still in the driver store after uninstalling' }
if (Get-UninstallEntry 'Split Tunnel') { Report-Difference 'the Programs and Features entry is still there after uninstalling' }
if ((Get-RootDevices).Count -ne 0) { Report-Difference 'the root-enumerated device is still there after uninstalling' }

Write-Host "`n== an administrative install unpacks the files and installs no driver"
# Wine's Windows Installer has no administrative installs (msiexec /a ends with 1626 there).
$image = Join-Path $work 'admin'
if ((Invoke-Msiexec @('/a', "`"$msi`"", "TARGETDIR=`"$image`"") (Join-Path $work 'admin.log')) -ne 0) { Report-Difference 'msiexec /a did not make an administrative image' }
if (-not (Test-Path (Join-Path $image 'WdkDriver.Sdk CI\Split Tunnel\driver\mullvad-split-tunnel.inf'))) { Report-Difference 'the administrative image has no INF' }
if (Test-InDriverStore $inf) { Report-Difference 'an administrative install put the driver into the store' }

Write-Host "`n== legacy: the Booster sample, test-signed, rolled back"
$code = Invoke-Msiexec @('/i', "`"$((Resolve-Path $LegacyInstaller).Path)`"") (Join-Path $work 'legacy-install.log')
if ($code -ne 1603) { Report-Difference "the test-signed legacy installer exited with $code, not 1603 (a start Windows refuses, rolled back)" }
# The start failed on the driver's signature (577), not on a missing service (1060): SetupAPI took the INF's decorated
# [DefaultInstall.NTamd64] for the undecorated name the installer gives InstallHinfSection, and created the service.
$legacyLog = Get-Content -Raw (Join-Path $work 'legacy-install.log')
if ($legacyLog -notmatch 'WdkStartService1_1 returned actual error code 577') { Report-Difference 'sc start did not fail with 577 (an unsigned driver): InstallHinfSection DefaultInstall may not have installed the service' }
if (Get-Service -Name booster -ErrorAction SilentlyContinue) { Report-Difference 'the booster service is still there after the rollback' }
if (Get-UninstallEntry 'Booster') { Report-Difference 'a Programs and Features entry is there after the rollback' }
if ($script:differences -gt 0) { Get-ChildItem $work -Filter *.log | ForEach-Object { Write-Host "--- $($_.Name)"; Get-Content $_.FullName | Out-Host } }

Remove-Item $work -Recurse -Force
Write-Host "`n$script:differences difference(s)"
exit ([int]($script:differences -gt 0))
