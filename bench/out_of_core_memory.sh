#!/usr/bin/env bash
# Peak resident memory and time of out-of-core runs (issue 13): covariance of a 4e6×10 CSV on 2 ranks, in memory and
# with --chunk-rows, and low-order moments of a ~10 GB CSV with --chunk-rows. Peak is GNU time's %M (VmHWM of the
# distal process). Needs ~11 GB free in DIR (default /tmp/distal-ooc), deleted at the end; about 2 minutes on a quiet
# machine. Usage: bench/out_of_core_memory.sh [DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-/tmp/distal-ooc}"
mkdir -p "$dir"
trap 'rm -f "$dir/c.npy" "$dir/c.csv" "$dir/big.csv"' EXIT
dotnet build "$root/src/Distal.Cli" -c Release -v quiet -nologo >/dev/null
distal="$root/src/Distal.Cli/bin/Release/net10.0/Distal.Cli"
measure() { /usr/bin/time -f "  peak %M KB, %e s wall, %U s user" "$distal" "$@" >/dev/null; }

# 4e6 × 10 normal values (17 significant digits in the CSV), written by numpy and converted by distal.
/usr/bin/python3 -c "
import numpy as np
r = np.random.default_rng(4)
np.save('$dir/c.npy', r.normal(size=(4_000_000, 10)) * 10 + np.arange(10))"
"$distal" convert "$dir/c.npy" "$dir/c.csv" >/dev/null
echo "$(uptime)"
echo "covariance --ranks 2, 4e6×10 CSV ($(stat -c %s "$dir/c.csv") bytes), in memory:"
measure covariance --ranks 2 "$dir/c.csv"
echo "covariance --ranks 2 --chunk-rows 50000:"
measure covariance --ranks 2 --chunk-rows 50000 "$dir/c.csv"

# ~10.5 GB: the same CSV 14 times (the bound concerns memory, not the values).
for _ in $(seq 14); do cat "$dir/c.csv"; done > "$dir/big.csv"
echo "low-order-moments --chunk-rows 65536, $(stat -c %s "$dir/big.csv") bytes of CSV:"
measure low-order-moments --chunk-rows 65536 "$dir/big.csv"
echo "$(uptime)"
