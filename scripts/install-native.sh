#!/usr/bin/env bash
# Builds `distal` as a native executable (Native AOT, x86-64 with AVX2 and FMA) and installs it as DIR/distal.
# A native run has no runtime start-up and no JIT: a one-line CSV takes under 0.01 s instead of 0.14 s, and a 388 MB
# CSV into moments 0.44 s instead of 0.57 s on one thread (docs/benchmarks.md). Results are bitwise those of
# `dotnet Distal.Cli.dll` (scripts/check-native.sh compares them).
# Usage: scripts/install-native.sh [DIR]     (default DIR: ~/.local/bin)
# Needs clang and zlib's headers for the native link; installs them (Debian packages clang, zlib1g-dev) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-$HOME/.local/bin}

packages=()
compiler=$(command -v clang || ls /usr/bin/clang-[0-9]* 2>/dev/null | sort -V | tail -1 || true)
[[ -n "$compiler" ]] || packages+=(clang)
[[ -f /usr/include/zlib.h ]] || packages+=(zlib1g-dev)
if ((${#packages[@]} > 0)); then
  echo "installing: ${packages[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  compiler=$(command -v clang)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet publish src/Distal.Cli -c Release -r linux-x64 -p:PublishAot=true -p:CppCompilerAndLinker="$compiler" \
  -o "$work" -v quiet -nologo > "$work/publish.log" 2>&1 || { grep -E 'error|warning' "$work/publish.log" | sort -u | head -30; exit 1; }
mkdir -p "$target"
install -m 755 "$work/Distal.Cli" "$target/distal"
echo "installed $target/distal ($("$target/distal" --version))"
