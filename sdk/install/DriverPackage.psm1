# What Install-Driver.ps1 and Uninstall-Driver.ps1 decide, kept apart from what they run: reading the package's INFs,
# choosing how Windows installs each one, and calling the Windows tools (pnputil, rundll32, sc, certutil).
# Runs on Windows PowerShell 5.1 and on PowerShell 7.

Set-StrictMode -Version 2.0

function Read-InfFile {
    <# Reads an INF into sections: name -> list of @{ Key; Values }, with %strings% substituted. #>
    param([Parameter(Mandatory)] [string] $Path)

    # ReadAllLines honours a byte order mark: INFs are UTF-16 or UTF-8 (or ASCII).
    $lines = [System.IO.File]::ReadAllLines($Path)
    $sections = [ordered]@{}
    $current = $null
    $pending = ''
    foreach ($raw in $lines) {
        $line = $pending + (Remove-InfComment $raw)
        $pending = ''
        if ($line.TrimEnd().EndsWith('\')) {
            $pending = $line.TrimEnd().TrimEnd('\')
            continue
        }

        $line = $line.Trim()
        if ($line.Length -eq 0) { continue }
        if ($line.StartsWith('[')) {
            $name = $line.Trim('[', ']').Trim()
            if (-not $sections.Contains($name)) { $sections[$name] = New-Object System.Collections.ArrayList }
            $current = $sections[$name]
            continue
        }

        if ($null -eq $current) { continue }
        $key = $null
        $equals = Find-Unquoted $line '='
        if ($equals -ge 0) {
            $key = (ConvertFrom-InfValue $line.Substring(0, $equals))
            $line = $line.Substring($equals + 1)
        }

        [void] $current.Add(@{ Key = $key; Values = @(Split-InfValues $line) })
    }

    $strings = @{}
    foreach ($name in @($sections.Keys)) {
        if ($name -eq 'Strings' -or $name -like 'Strings.*') {
            foreach ($entry in $sections[$name]) {
                if ($entry.Key -and -not $strings.ContainsKey($entry.Key) -and $entry.Values.Count -gt 0) { $strings[$entry.Key] = $entry.Values[0] }
            }
        }
    }

    foreach ($name in @($sections.Keys)) {
        foreach ($entry in $sections[$name]) {
            if ($entry.Key) { $entry.Key = Expand-InfStrings $entry.Key $strings }
            $entry.Values = @($entry.Values | ForEach-Object { Expand-InfStrings $_ $strings })
        }
    }

    $sections
}

function Remove-InfComment([string] $line) {
    $at = Find-Unquoted $line ';'
    if ($at -ge 0) { $line.Substring(0, $at) } else { $line }
}

function Find-Unquoted([string] $text, [char] $character) {
    $quoted = $false
    for ($i = 0; $i -lt $text.Length; $i++) {
        if ($text[$i] -eq '"') { $quoted = -not $quoted }
        elseif (-not $quoted -and $text[$i] -eq $character) { return $i }
    }
    -1
}

function Split-InfValues([string] $text) {
    while ($true) {
        $comma = Find-Unquoted $text ','
        if ($comma -lt 0) { ConvertFrom-InfValue $text; return }
        ConvertFrom-InfValue $text.Substring(0, $comma)
        $text = $text.Substring($comma + 1)
    }
}

function ConvertFrom-InfValue([string] $text) {
    $text = $text.Trim()
    if ($text.Length -ge 2 -and $text.StartsWith('"') -and $text.EndsWith('"')) {
        $text = $text.Substring(1, $text.Length - 2).Replace('""', '"')
    }
    $text
}

function Expand-InfStrings([string] $text, [hashtable] $strings) {
    [regex]::Replace($text, '%([^%]*)%', {
        param($match)
        $name = $match.Groups[1].Value
        if ($name.Length -eq 0) { '%' }
        elseif ($strings.ContainsKey($name)) { $strings[$name] }
        else { $match.Value }
    })
}

function Get-DriverArchitecture {
    <# The running Windows' architecture as INFs and the package's folders name it. #>
    $native = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE }
    switch ($native) {
        'AMD64' { 'amd64' }
        'ARM64' { 'arm64' }
        default { throw "error WDK5010: This package has drivers for amd64 and arm64 Windows; this Windows is '$native'." }
    }
}

function Select-DecoratedSection {
    <#
    The install section Windows would take for this architecture and build: <Name>.NT<arch>[.<major>.<minor>.<type>.<suite>.<build>]
    with the highest build that is not above the running one, else <Name>.NT, else <Name>.
    #>
    param([System.Collections.IDictionary] $Sections, [string] $Name, [string] $Architecture, [int] $OsBuild)

    $best = $null
    $bestBuild = -1
    foreach ($section in $Sections.Keys) {
        $prefix = "$Name.NT$Architecture"
        if ($section -eq $prefix) {
            if ($bestBuild -lt 0) { $best = $section; $bestBuild = 0 }
        }
        elseif ($section.StartsWith("$prefix.", [System.StringComparison]::OrdinalIgnoreCase)) {
            $fields = $section.Substring($prefix.Length + 1).Split('.')
            # <major>.<minor>.<type>.<suite>.<build>; anything else (such as .Services) is another section.
            if ($fields.Count -ne 5) { continue }
            $build = 0
            if ($fields[4] -ne '' -and -not [int]::TryParse($fields[4], [ref] $build)) { continue }
            if ($build -le $OsBuild -and $build -gt $bestBuild) { $best = $section; $bestBuild = $build }
        }
    }

    if ($best) { return $best }
    foreach ($fallback in @("$Name.NT", $Name)) {
        if ($Sections.Contains($fallback)) { return $fallback }
    }
    $null
}

function Get-DriverInstallPlan {
    <#
    How Windows installs an INF: a PnP INF (models under [Manufacturer]) through pnputil, which adds it to the driver
    store and installs it on matching devices; a primitive or legacy INF through its [DefaultInstall] section, after
    which the services it adds are started.
    #>
    param(
        [Parameter(Mandatory)] [string] $InfPath,
        [Parameter(Mandatory)] [string] $Architecture,
        [int] $OsBuild = [Environment]::OSVersion.Version.Build
    )

    $sections = Read-InfFile $InfPath
    $name = Split-Path $InfPath -Leaf
    if ($sections.Contains('Manufacturer') -and $sections['Manufacturer'].Count -gt 0) {
        return [pscustomobject]@{ Inf = $InfPath; Kind = 'PnP'; InstallSection = $null; UninstallSection = $null; Services = @() }
    }

    $install = Select-DecoratedSection $sections 'DefaultInstall' $Architecture $OsBuild
    if (-not $install) {
        throw "${name}: error WDK5011: The INF has no [Manufacturer] models and no [DefaultInstall.NT$Architecture] section: Windows cannot install it on $Architecture."
    }

    $services = @()
    if ($sections.Contains("$install.Services")) {
        $services = @($sections["$install.Services"] | Where-Object { $_.Key -eq 'AddService' -and $_.Values.Count -gt 0 } | ForEach-Object { $_.Values[0] })
    }

    [pscustomobject]@{
        Inf = $InfPath
        Kind = 'DefaultInstall'
        InstallSection = $install
        UninstallSection = (Select-DecoratedSection $sections 'DefaultUninstall' $Architecture $OsBuild)
        Services = $services
    }
}

function Get-PackageInfs {
    <# The INFs of the package's driver folder for one architecture. #>
    param([Parameter(Mandatory)] [string] $PackageRoot, [Parameter(Mandatory)] [string] $Architecture)

    $folder = Join-Path (Join-Path $PackageRoot 'driver') $Architecture
    $infs = @(Get-ChildItem -Path $folder -Filter '*.inf' -File -ErrorAction SilentlyContinue | Sort-Object Name | ForEach-Object { $_.FullName })
    if ($infs.Count -eq 0) {
        throw "error WDK5012: The package has no driver for $Architecture ($folder holds no .inf)."
    }
    $infs
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

Export-ModuleMember -Function Read-InfFile, Get-DriverArchitecture, Select-DecoratedSection, Get-DriverInstallPlan, Get-PackageInfs,
    Invoke-WindowsTool, Assert-Administrator, Get-TestCertificate, Get-CertificateThumbprint, Get-PublishedInfNames, Remove-StoreCopies
