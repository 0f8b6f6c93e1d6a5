@echo off
rem Installs the driver package: Install-Driver.cmd [-TrustTestCertificate] [-Architecture amd64^|arm64]
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0Install-Driver.ps1" %*
exit /b %ERRORLEVEL%
