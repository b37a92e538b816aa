#!/usr/bin/env bash
# Installs the Debian packages Distal's tests, benchmarks and MPI runs use, when they are missing.
# Usage: scripts/install-prerequisites.sh [--with-python]
set -euo pipefail

packages=()
command -v mpiexec.mpich >/dev/null 2>&1 || packages+=(mpich)
command -v mpirun.openmpi >/dev/null 2>&1 || packages+=(openmpi-bin)
# The cache is read whole first: `ldconfig -p | grep -q` under pipefail fails when grep stops early (SIGPIPE).
grep -q 'libopenblas.so.0' <<< "$(ldconfig -p 2>/dev/null)" || packages+=(libopenblas0-pthread)
command -v unzip >/dev/null 2>&1 || packages+=(unzip)
# GNU time: the peak-memory tests read a child process's peak resident memory with it (they skip without it).
[[ -x /usr/bin/time ]] || packages+=(time)
if [[ "${1:-}" == "--with-python" ]]; then
  /usr/bin/python3 -c 'import numpy, sklearn' >/dev/null 2>&1 || packages+=(python3-numpy python3-sklearn)
fi

if ((${#packages[@]} > 0)); then
  echo "installing: ${packages[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET 10 SDK (dotnet) is required: https://dot.net" >&2; exit 1; }
