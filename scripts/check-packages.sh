#!/usr/bin/env bash
# Checks Distal as a user receives it: packs every package (the library, its add-ons and the `distal` tool) into a
# local folder feed, checks they share one version, installs the tool from the feed into a clean tool path and runs
# an analysis with it, and builds a fresh console project that references the library package from the feed and
# runs a distributed computation on embedded ranks. The last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
data="$repo/../shared/daal4py-data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private package folder: a package of the same version cached by an earlier run must not stand in for this one.
export NUGET_PACKAGES="$work/packages" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
passed=0
failed=0

check() {
  local name=$1
  shift
  if "$@" > "$work/step.log" 2>&1; then
    passed=$((passed + 1)); echo "ok $name"
  else
    failed=$((failed + 1)); echo "FAILED $name"; tail -25 "$work/step.log"
  fi
}

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)
feed="$work/feed"

pack() { dotnet pack Distal.slnx -c Release -o "$feed" -v quiet; }
one_version() {
  ls "$feed"/*.nupkg
  for package in "$feed"/*.nupkg; do
    [[ "$package" == *".$version.nupkg" ]] || { echo "$package is not version $version"; return 1; }
    unzip -p "$package" '*.nuspec' | grep -q '<license type="expression">MIT</license>' || { echo "$package: no license"; return 1; }
    unzip -p "$package" '*.nuspec' | grep -q '<readme>README.md</readme>' || { echo "$package: no readme"; return 1; }
    unzip -p "$package" '*.nuspec' | grep -q '<description>' || { echo "$package: no description"; return 1; }
  done
  [[ -f "$feed/Distal.$version.nupkg" && -f "$feed/Distal.Cli.$version.nupkg" ]]
}
install_tool() {
  dotnet tool install Distal.Cli --version "$version" --tool-path "$work/tools" --add-source "$feed"
}
run_tool() {
  "$work/tools/distal" covariance --ranks 3 --output "$work/covariance.json" "$data/covcormoments_dense.csv" &&
    grep -q '"covariance"' "$work/covariance.json" &&
    # The installed tool draws (its glyphs are a resource inside it) and prints tables.
    "$work/tools/distal" pca --format table --plot "$work/scree.png" "$data/covcormoments_dense.csv" | grep '^PC10 ' >/dev/null &&
    [[ "$(head -c 8 "$work/scree.png" | od -An -tx1 | tr -d ' \n')" == 89504e470d0a1a0a ]]
}
console_project() {
  mkdir -p "$work/app" && cd "$work/app" || return 1
  cat > app.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Distal" Version="$version" />
  </ItemGroup>
</Project>
XML
  cat > Program.cs <<'CS'
using Distal;
using Distal.Algorithms;

// 4 embedded ranks, each with its share of the rows (one empty): the result must equal batch on every rank.
var random = new Random(7);
var rows = new double[1000, 5];
for (int i = 0; i < 1000; i++)
{
    for (int j = 0; j < 5; j++)
    {
        rows[i, j] = (j * 10) + random.NextDouble();
    }
}

var data = Table.FromArray(rows);
var batch = new Covariance().Compute(data).Covariance!.Span.ToArray();
int[] starts = [0, 300, 300, 700, 1000];
var distributed = Spmd.RunLocal(4, s => new Covariance { Distributed = true }
    .Compute(data.SliceRows(starts[s.Rank], starts[s.Rank + 1] - starts[s.Rank])).Covariance!.Span.ToArray());
foreach (var result in distributed)
{
    for (int k = 0; k < batch.Length; k++)
    {
        if (Math.Abs(result[k] - batch[k]) > 1e-12 * Math.Abs(batch[k]))
        {
            Console.Error.WriteLine($"entry {k}: {result[k]} vs {batch[k]}");
            return 1;
        }
    }
}

Console.WriteLine("distributed covariance on 4 embedded ranks equals batch");
return 0;
CS
  cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="distal-local" value="$feed" />
  </packageSources>
</configuration>
XML
  dotnet run -c Release
}

check "dotnet pack (library, add-ons, tool)" pack
check "every package is version $version with license, readme and description" one_version
check "dotnet tool install Distal.Cli from the local feed" install_tool
check "the installed distal runs covariance on 3 ranks" run_tool
check "a fresh console project references Distal from the feed and computes on 4 embedded ranks" console_project
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
