#!/usr/bin/env bash
# Builds and packs a sample driver from this working tree, as a user of the SDK would:
#   eng/build-sample.sh [Booster|Zero|PrebuiltDriver] [extra dotnet pack arguments...]
# Installs the prerequisites, packs the SDK into artifacts/packages as version 0.0.0-local (the version the samples'
# global.json pins), then runs dotnet pack on the sample, which builds it and writes the installable .nupkg and .zip. The sample restores through a NuGet cache of its own under
# artifacts/, cleared of the local SDK first: NuGet's cache keeps the first package it saw for a version forever.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sample="${1:-Booster}"
shift || true
version="0.0.0-local"

bash "$root/eng/install-prerequisites.sh"

dotnet pack "$root/sdk/WdkDriver.Sdk.csproj" -c Release -o "$root/artifacts/packages" \
  -p:EnableGitVersioning=false -p:PackageVersion="$version" -nologo -v:q

export NUGET_PACKAGES="$root/artifacts/nuget-packages"
rm -rf "$NUGET_PACKAGES/wdkdriver.sdk/$version"

dotnet pack "$root/samples/$sample" -p:DriverPackageZip=true --disable-build-servers -nodeReuse:false "$@"
echo
echo "Package folders: $(ls -d "$root/samples/$sample"/bin/*/*/package 2>/dev/null | tr '\n' ' ')"
echo "Installable packages: $(ls "$root/samples/$sample"/bin/*/*/*.nupkg "$root/samples/$sample"/bin/*/*/*.zip 2>/dev/null | tr '\n' ' ')"
