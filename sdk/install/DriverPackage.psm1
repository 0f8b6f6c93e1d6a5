# What Install-Driver.ps1 and Uninstall-Driver.ps1 share: reading the package's install plan (how Windows installs each
# INF, decided by the build as the installer decides it), and calling the Windows tools (pnputil, rundll32, sc, certutil).
# Runs on Windows PowerShell 5.1 and on PowerShell 7.

Set-StrictMode -Version 2.0

function Get-DriverArchitecture {
    <# The running Windows' architecture as INFs and the package's folders name it. #>
    $native = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE }
    switch ($native) {
        'AMD64' { 'amd64' }
        'ARM64' { 'arm64' }
        default { throw "error WDK5010: This package has drivers for amd64 and arm64 Windows; this Windows is '$native'." }
    }
}

function Get-PackageInstallPlan {
    <#
    How Windows installs each INF of the package's driver folder for one architecture, as the package's plan says
    (tools\install-plan.<arch>.json, written by the build with the installer's own decision): a PnP INF (Kind PnP)
    through pnputil, which adds it to the driver store and installs it on matching devices (and RootDevice.ps1 for the
    root-enumerated devices its models name, RootDevices); a primitive or legacy INF
    (Kind DefaultInstall) through its [DefaultInstall] section, named undecorated so that SetupAPI takes the one for
    this machine, after which the services it adds are started.
    #>
    param([Parameter(Mandatory)] [string] $PackageRoot, [Parameter(Mandatory)] [string] $Architecture)

    $file = Join-Path (Join-Path $PackageRoot 'tools') "install-plan.$($Architecture.ToLowerInvariant()).json"
    if (-not (Test-Path -LiteralPath $file)) {
        throw "error WDK5012: The package has no driver for $Architecture ($file is missing)."
    }

    $plan = [System.IO.File]::ReadAllText($file) | ConvertFrom-Json
    $folder = Join-Path (Join-Path $PackageRoot 'driver') $Architecture
    foreach ($entry in @($plan.infs)) {
        $inf = Join-Path $folder $entry.inf
        if (-not (Test-Path -LiteralPath $inf)) {
            throw "error WDK5012: The package's plan installs $($entry.inf), which is not in $folder."
        }
        [pscustomobject]@{
            Inf = $inf
            Kind = $entry.kind
            InstallSection = $entry.installSection
            UninstallSection = $entry.uninstallSection
            Services = @($entry.services)
            RootDevices = @($entry.rootDevices)
        }
    }
}

function Get-RootDeviceArguments {
    <# powershell.exe's arguments to run RootDevice.ps1 (beside this module) as the installer runs it, in a process of its own. #>
    param([Parameter(Mandatory)] [string] $Action, [Parameter(Mandatory)] [string] $HardwareId, [string] $InfPath)

    $arguments = @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', (Join-Path $PSScriptRoot 'RootDevice.ps1'), $Action, $HardwareId)
    if ($InfPath) { $arguments += $InfPath }
    $arguments
}

function Invoke-WindowsTool {
    <# Runs a Windows tool and returns its output; exit codes other than 0 and the accepted ones are errors. #>
    param([Parameter(Mandatory)] [string] $Tool, [string[]] $Arguments = @(), [int[]] $Accept = @())

    Write-Host "> $Tool $($Arguments -join ' ')"
    $output = & $Tool @Arguments 2>&1 | ForEach-Object { "$_" }
    $code = $LASTEXITCODE
    $output | ForEach-Object { Write-Host "  $_" }
    if ($code -ne 0 -and $Accept -notcontains $code) {
        throw "error WDK5013: '$Tool $($Arguments -join ' ')' failed with exit code $code."
    }
    [pscustomobject]@{ ExitCode = $code; Output = @($output) }
}

function Assert-Administrator {
    if ([Environment]::OSVersion.Platform -ne [PlatformID]::Win32NT) { return }
    $principal = New-Object Security.Principal.WindowsPrincipal ([Security.Principal.WindowsIdentity]::GetCurrent())
    if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
        throw 'error WDK5014: Installing a driver needs an elevated prompt: run this again as Administrator.'
    }
}

function Get-TestCertificate {
    <# The package's test certificate, or null when the package is production-signed. #>
    param([Parameter(Mandatory)] [string] $PackageRoot)

    $path = Join-Path $PackageRoot 'WdkDriverTestCert.cer'
    if (Test-Path -LiteralPath $path) { $path } else { $null }
}

function Get-CertificateThumbprint([string] $Path) {
    (New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 (, [System.IO.File]::ReadAllBytes($Path))).Thumbprint
}

function Get-PublishedInfNames {
    <#
    The driver store's names (oemNN.inf) of a package INF: the store publishes a byte-for-byte copy of the INF in
    %windir%\INF, so the copies with the INF's bytes are its own, whatever language pnputil would list them in (the
    installer finds them the same way).
    #>
    param([Parameter(Mandatory)] [string] $InfPath)

    $hash = (Get-FileHash -LiteralPath $InfPath -Algorithm SHA256).Hash
    Get-ChildItem -Path (Join-Path $env:windir 'INF') -Filter 'oem*.inf' -File -ErrorAction SilentlyContinue |
        Where-Object { (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash -eq $hash } |
        Sort-Object Name |
        ForEach-Object { $_.Name }
}

function Remove-StoreCopies {
    <#
    Deletes the driver store's copies of a package INF, and uninstalls it from the devices that use it, as the
    installer's removal does: a PnP INF, and a primitive one, which InstallHinfSection stages into the store since
    Windows 10 1903. 3010: a restart completes the removal.
    #>
    param([Parameter(Mandatory)] [string] $InfPath)

    $published = @(Get-PublishedInfNames $InfPath)
    if ($published.Count -eq 0) { Write-Host "$(Split-Path $InfPath -Leaf) is not in the driver store." }
    foreach ($name in $published) {
        Invoke-WindowsTool 'pnputil.exe' @('/delete-driver', $name, '/uninstall', '/force') -Accept 3010
    }
}

Export-ModuleMember -Function Get-DriverArchitecture, Get-PackageInstallPlan, Get-RootDeviceArguments, Invoke-WindowsTool, Assert-Administrator, Get-TestCertificate, Get-CertificateThumbprint, Get-PublishedInfNames, Remove-StoreCopies
