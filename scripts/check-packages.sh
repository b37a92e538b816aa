#!/usr/bin/env bash
# Checks Distal as a user receives it: follows the user guide's getting-started steps (docs/guide/getting-started.md:
# pack every package — the library, its add-ons and the `distal` tool — into a local folder feed, install the tool
# globally, build and run a first program against the feed), checks the packages share one version, installs the
# tool from the feed into a clean tool path and runs an analysis with it, and builds a fresh console project that
# references the library package from the feed and runs a distributed computation on embedded ranks.
# The last line is "N passed, N failed".
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
# The user guide's getting-started steps pack the feed: they run as written, for a user whose home is $work/home and
# whose clone of the repository is ~/distal.
home="$work/home"
feed="$home/distal-feed"

# Turns docs/guide/getting-started.md's ```sh package blocks, in order, into one script (so `cd` carries over, as in
# a terminal); its ```csharp program block becomes Program.cs in the directory the steps are in, and a ```text block
# after a step lists lines that step must print.
guide_script() {
  awk '
    /^```/ && kind == "text" { kind = ""; last = ""; next }
    /^```/ && kind != "" {
      if (kind == "program") print "GUIDE_PROGRAM"
      else {
        print "} > \"$logs/" line ".log\" 2>&1"
        print "cat \"$logs/" line ".log\""
      }
      last = (kind == "sh") ? line : ""; kind = ""; next
    }
    /^```text[ \t]*$/ && last != "" { kind = "text"; next }
    /^```sh package[ \t]*$/ { kind = "sh"; line = NR; print "{"; next }
    /^```csharp program[ \t]*$/ { kind = "program"; print "cat > Program.cs <<'"'"'GUIDE_PROGRAM'"'"'"; next }
    /^```/ { skip = !skip; last = ""; next }
    kind == "text" && $0 !~ /^[ \t]*(\.\.\.)?[ \t]*$/ {
      gsub(/'"'"'/, "'"'"'\\'"'"''"'"'"); print "grep -qF -- '"'"'" $0 "'"'"' \"$logs/" last ".log\" || { echo \"getting-started.md:" last " did not print: " $0 "\"; exit 1; }"; next
    }
    kind == "text" { next }
    kind != "" { print }
    kind == "" && !skip && NF { last = "" }
  ' docs/guide/getting-started.md
}
guide_steps() {
  mkdir -p "$home" "$work/logs" && ln -s "$repo" "$home/distal" || return 1
  guide_script > "$work/guide-steps.sh"
  # Under -e the first failing command ends the script; its step's log is the newest.
  HOME="$home" logs="$work/logs" bash -e "$work/guide-steps.sh" && return 0
  local newest
  newest=$(ls -t "$work/logs" | head -1)
  [[ -n "$newest" ]] && { cat "$work/logs/$newest"; echo "failed: the step at docs/guide/getting-started.md:${newest%.log}"; }
  return 1
}
one_version() {
  # Listings are read whole before grep looks at them: `unzip | grep -q` under pipefail fails at random, when grep
  # stops reading early and unzip dies of SIGPIPE.
  local package nuspec listing library addon dependency
  ls "$feed"/*.nupkg
  for package in "$feed"/*.nupkg; do
    [[ "$package" == *".$version.nupkg" ]] || { echo "$package is not version $version"; return 1; }
    nuspec=$(unzip -p "$package" '*.nuspec')
    grep -q '<license type="expression">MIT</license>' <<< "$nuspec" || { echo "$package: no license"; return 1; }
    grep -q '<readme>README.md</readme>' <<< "$nuspec" || { echo "$package: no readme"; return 1; }
    grep -q '<description>' <<< "$nuspec" || { echo "$package: no description"; return 1; }
  done
  # The libraries ship their XML documentation, so IntelliSense shows it.
  for library in Distal Distal.Parquet Distal.Arrow Distal.DataFrame; do
    listing=$(unzip -l "$feed/$library.$version.nupkg")
    grep -q "lib/net10.0/$library.xml" <<< "$listing" || { echo "$library: no XML documentation"; return 1; }
  done
  [[ -f "$feed/Distal.$version.nupkg" && -f "$feed/Distal.Cli.$version.nupkg" ]]
}
# The add-ons are packages of their own, and their dependencies stay out of the core package.
add_ons() {
  local addon dependency nuspec core
  core=$(unzip -p "$feed/Distal.$version.nupkg" '*.nuspec')
  for addon in Parquet:Parquet.Net Arrow:Apache.Arrow DataFrame:Microsoft.Data.Analysis; do
    dependency=${addon#*:}
    [[ -f "$feed/Distal.${addon%%:*}.$version.nupkg" ]] || { echo "no Distal.${addon%%:*} package"; return 1; }
    nuspec=$(unzip -p "$feed/Distal.${addon%%:*}.$version.nupkg" '*.nuspec')
    grep -q "id=\"$dependency\"" <<< "$nuspec" || { echo "Distal.${addon%%:*} does not depend on $dependency"; return 1; }
    if grep -q "id=\"$dependency\"" <<< "$core"; then echo "the core package depends on $dependency"; return 1; fi
  done
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

check "the user guide's getting-started steps: pack, install the tool, a first program from the feed" guide_steps
check "every package is version $version with license, readme and description; the libraries with XML docs" one_version
check "the add-ons (Parquet, Arrow, DataFrame) are packages of their own; the core does not depend on them" add_ons
check "dotnet tool install Distal.Cli from the local feed" install_tool
check "the installed distal runs covariance on 3 ranks" run_tool
check "a fresh console project references Distal from the feed and computes on 4 embedded ranks" console_project
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
