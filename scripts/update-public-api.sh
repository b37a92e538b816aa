#!/usr/bin/env bash
# Records the libraries' current public surface in src/*/PublicAPI.Unshipped.txt (what the PublicApiAnalyzers
# would ask to add), so an API change is a reviewed diff rather than a surprise. Run after changing public API.
set -euo pipefail
# The core and the add-on reader packages each track their own surface.
root="$(cd "$(dirname "$0")/.." && pwd)"
for project in Distal Distal.Parquet Distal.Arrow Distal.DataFrame; do
  cd "$root/src/$project"
  # Start from nothing, so symbols that are gone drop out as well as new ones coming in.
  echo '#nullable enable' > PublicAPI.Unshipped.txt
  for _ in 1 2; do
    symbols=$(dotnet build -c Release --no-incremental 2>&1 | grep -oP "error RS0016: Symbol '\K[^']+(?=' is not part of the declared public API)" | sort -u || true)
    [[ -z "$symbols" ]] && break
    { cat PublicAPI.Unshipped.txt; echo "$symbols"; } | grep -v '^#nullable enable$' | sed '/^$/d' | sort -u > PublicAPI.tmp
    { echo '#nullable enable'; cat PublicAPI.tmp; } > PublicAPI.Unshipped.txt
    rm PublicAPI.tmp
  done
  dotnet build -c Release 2>&1 | grep -E 'error RS00' | sort -u || echo "$project: public API file is up to date"
done
