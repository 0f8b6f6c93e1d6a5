@echo off
rem Uninstalls the driver package: Uninstall-Driver.cmd [-RemoveTestCertificate] [-Architecture amd64^|arm64]
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0Uninstall-Driver.ps1" %*
exit /b %ERRORLEVEL%
