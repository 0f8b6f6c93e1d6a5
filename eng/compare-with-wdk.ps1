<#
.SYNOPSIS
Compares WdkDriver.Sdk with Microsoft's own tools on the same inputs, on Windows (the windows job of
.github/workflows/ci.yml runs it):
  stampinf  against `wdkdriver stamp` on the samples' and the template's .inx files (byte for byte);
  InfVerif  against `wdkdriver check-inf` on the corpus INFs (the verdict and the codes, universal mode);
  inf2cat   against the catalog the SDK wrote for the Booster package (the members and their digests);
  signtool  verify /pa on every signature in the Booster package, with the test certificate trusted;
  the package's install and uninstall scripts, run for real.
Every difference is printed; the script exits 1 if there was one.
.PARAMETER Tools
Folder holding the WDK and Windows SDK NuGet packages (nuget install Microsoft.Windows.WDK.x64 -OutputDirectory).
.PARAMETER Package
The Booster sample's package folder as the SDK laid it out (bin\Release\x64\package).
#>
param(
    [Parameter(Mandatory = $true)][string] $Tools,
    [Parameter(Mandatory = $true)][string] $Package,
    [string] $Corpus = (Join-Path $PSScriptRoot '..\..\shared\corpus\inf'),
    [string[]] $Wdkdriver = @('dotnet', 'run', '--project', (Join-Path $PSScriptRoot '..\cli'), '-c', 'Release', '--')
)

$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '..')
$Corpus = (Resolve-Path $Corpus).Path
$work = Join-Path ([IO.Path]::GetTempPath()) ('wdk-compare-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory $work | Out-Null
$script:differences = 0

function Find-Tool([string] $name) {
    # The x64 build, of the newest kit version the packages hold.
    $found = Get-ChildItem -Path $Tools -Recurse -Filter $name | Where-Object { $_.FullName -match '\\(x64|x86)\\' } |
        Sort-Object { $_.FullName -match '\\x64\\' }, FullName -Descending | Select-Object -First 1
    if (-not $found) { throw "$name is not under $Tools." }
    Write-Host "$name`: $($found.FullName)"
    return $found.FullName
}

function Invoke-Wdkdriver([string[]] $arguments) {
    $command = $Wdkdriver[0]
    $output = & $command @($Wdkdriver | Select-Object -Skip 1) @arguments 2>&1 | ForEach-Object { "$_" }
    return [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output }
}

function Report-Difference([string] $what) {
    Write-Host "DIFFERENT: $what" -ForegroundColor Red
    $script:differences++
}

$stampinf = Find-Tool 'stampinf.exe'
$infverif = Find-Tool 'infverif.exe'
$inf2cat = Find-Tool 'inf2cat.exe'
$signtool = Find-Tool 'signtool.exe'

Write-Host "`n== stampinf"
$sources = @(Get-ChildItem (Join-Path $root 'samples') -Recurse -Filter '*.inx') + @(Get-ChildItem (Join-Path $root 'templates\content') -Recurse -Filter '*.inx')
foreach ($inx in $sources) {
    $theirs = Join-Path $work "$($inx.BaseName).stampinf.inf"
    $ours = Join-Path $work "$($inx.BaseName).wdkdriver.inf"
    Copy-Item $inx.FullName $theirs
    & $stampinf -f $theirs -d 11/24/2026 -v 1.2.3.4 -a amd64 -c "$($inx.BaseName).cat" | Out-Null
    if ($LASTEXITCODE -ne 0) { Report-Difference "stampinf failed on $($inx.Name)"; continue }
    $result = Invoke-Wdkdriver @('stamp', $inx.FullName, '-o', $ours, '--arch', 'amd64', '--driver-ver', '11/24/2026,1.2.3.4', '--catalog', "$($inx.BaseName).cat")
    if ($result.ExitCode -ne 0) { Report-Difference "wdkdriver stamp failed on $($inx.Name): $($result.Output)"; continue }
    if ((Get-FileHash $theirs).Hash -ne (Get-FileHash $ours).Hash) {
        Report-Difference "$($inx.Name) stamped differently"
        Compare-Object (Get-Content $theirs) (Get-Content $ours) | Format-Table -AutoSize | Out-Host
    }
    else { Write-Host "same: $($inx.Name)" }
}

Write-Host "`n== InfVerif /u"
foreach ($inf in Get-ChildItem $Corpus -Recurse -Filter '*.inf') {
    $theirs = & $infverif /u $inf.FullName 2>&1 | ForEach-Object { "$_" }
    $theirVerdict = $LASTEXITCODE -eq 0
    $theirCodes = @($theirs | Select-String -Pattern '(ERROR|WARNING)\((\d+)\)' -AllMatches | ForEach-Object { $_.Matches } | ForEach-Object { "INF$($_.Groups[2].Value)" } | Sort-Object -Unique)
    $ours = Invoke-Wdkdriver @('check-inf', '--mode', 'universal', $inf.FullName)
    $ourVerdict = $ours.ExitCode -eq 0
    $ourCodes = @($ours.Output | Select-String -Pattern '(error|warning) (INF\d+):' -AllMatches | ForEach-Object { $_.Matches } | ForEach-Object { $_.Groups[2].Value } | Sort-Object -Unique)
    $relative = $inf.FullName.Substring($Corpus.Length)
    if ($theirVerdict -ne $ourVerdict -or (Compare-Object $theirCodes $ourCodes)) {
        Report-Difference "$relative`: InfVerif $(if ($theirVerdict) { 'valid' } else { 'NOT VALID' }) [$($theirCodes -join ' ')], wdkdriver $(if ($ourVerdict) { 'valid' } else { 'NOT VALID' }) [$($ourCodes -join ' ')]"
    }
    else { Write-Host "same: $relative [$($ourCodes -join ' ')]" }
}

Write-Host "`n== inf2cat"
$driver = Join-Path $Package 'driver\amd64'
$copy = Join-Path $work 'inf2cat'
Copy-Item $driver $copy -Recurse
Get-ChildItem $copy -Filter '*.cat' | Remove-Item
& $inf2cat "/driver:$copy" '/os:10_x64' | Out-Host
if ($LASTEXITCODE -ne 0) { Report-Difference 'inf2cat failed on the Booster package' }
else {
    foreach ($catalog in Get-ChildItem $driver -Filter '*.cat') {
        $members = { param($file) (Invoke-Wdkdriver @('catalog', 'show', $file)).Output | Where-Object { $_ -like 'member:*' } | Sort-Object }
        $theirs = & $members (Join-Path $copy $catalog.Name)
        $ours = & $members $catalog.FullName
        if (Compare-Object $theirs $ours) { Report-Difference "$($catalog.Name): members differ"; Compare-Object $theirs $ours | Out-Host }
        else { Write-Host "same members: $($catalog.Name) ($($ours.Count))" }
    }
}

Write-Host "`n== signtool verify /pa"
$certificate = Join-Path $Package 'WdkDriverTestCert.cer'
certutil -addstore Root $certificate | Out-Null
try {
    foreach ($file in Get-ChildItem $Package -Recurse -Include '*.sys', '*.exe', '*.dll', '*.cat') {
        & $signtool verify /pa /q $file.FullName | Out-Null
        if ($LASTEXITCODE -ne 0) { Report-Difference "signtool verify /pa rejects $($file.Name)"; & $signtool verify /pa /v $file.FullName | Out-Host }
        else { Write-Host "verified: $($file.Name)" }
    }
}
finally {
    certutil -delstore Root (Get-PfxCertificate $certificate).Thumbprint | Out-Null
}

Write-Host "`n== install scripts"
# A hosted runner cannot restart into test-signing mode: the driver installs, but Windows refuses to start a
# test-signed kernel driver (sc start: 577, ERROR_INVALID_IMAGE_HASH), which the script passes on as its exit code.
& (Join-Path $Package 'tools\Install-Driver.cmd') -TrustTestCertificate | Out-Host
$installed = $LASTEXITCODE
if ($installed -ne 0 -and $installed -ne 577) { Report-Difference "Install-Driver.cmd exited with $installed" }
else { Write-Host "Install-Driver.cmd exited with $installed" }
& (Join-Path $Package 'tools\Uninstall-Driver.cmd') -RemoveTestCertificate | Out-Host
if ($LASTEXITCODE -ne 0) { Report-Difference "Uninstall-Driver.cmd exited with $LASTEXITCODE" }
elseif (Get-Service -Name booster -ErrorAction SilentlyContinue) { Report-Difference 'the booster service is still there after uninstalling' }
else { Write-Host 'uninstalled' }

Remove-Item $work -Recurse -Force
Write-Host "`n$script:differences difference(s)"
exit ([int]($script:differences -gt 0))
