#!/usr/bin/env bash
# What one --dependent file for an INPUT file split across ranks costs (issue 13): linear regression on 2 ranks of a
# ROWS×10 x.csv with its 2 responses as the last columns of xy.csv (--responses 2, no alignment needed), as one
# y.csv for all rows (each rank counts its shares, then reads its rows of y), and as y.npy; in memory and with
# --chunk-rows 50000; DISTAL_THREADS=1 and 2. Prints the minimum and median wall time of REPEATS runs each, and the
# load. Data (17 significant digits) is written once to DIR (default /tmp/distal-pairs) and deleted at the end.
# Run it alone: flock -x /work/cpu.lock bench/paired_targets.sh   (about 1.5 minutes with the defaults)
# Usage: bench/paired_targets.sh [ROWS (default 500000)] [REPEATS (default 3)] [DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows="${1:-500000}"
repeats="${2:-3}"
dir="${3:-/tmp/distal-pairs}"
mkdir -p "$dir"
trap 'rm -f "$dir/x.csv" "$dir/y.csv" "$dir/y.npy" "$dir/xy.csv"' EXIT
dotnet build "$root/src/Distal.Cli" -c Release -v quiet -nologo >/dev/null
distal="$root/src/Distal.Cli/bin/Release/net10.0/Distal.Cli"

/usr/bin/python3 -c "
import numpy as np
r = np.random.default_rng(13)
x = r.normal(size=($rows, 10)) * 3 + np.arange(10)
y = np.c_[x @ np.linspace(-1, 1, 10) + 2, x[:, 0] - x[:, 9]] + 0.1 * r.normal(size=($rows, 2))
np.savetxt('$dir/x.csv', x, delimiter=',', fmt='%.17g')
np.savetxt('$dir/y.csv', y, delimiter=',', fmt='%.17g')
np.save('$dir/y.npy', y)
np.savetxt('$dir/xy.csv', np.c_[x, y], delimiter=',', fmt='%.17g')"
echo "x.csv $(stat -c %s "$dir/x.csv") bytes, y.csv $(stat -c %s "$dir/y.csv") bytes, $rows rows"
echo "$(uptime)"

# time_runs LABEL ARGS...: REPEATS runs, prints min and median wall seconds.
time_runs() {
  local label=$1
  shift
  local times=()
  for _ in $(seq "$repeats"); do
    local start end
    start=$(date +%s.%N)
    "$distal" linear-regression-training --format json "$@" >/dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  printf '%-52s min %6.3f s  median %6.3f s\n' "$label" "$(echo "$sorted" | head -1)" "$(echo "$sorted" | sed -n "$(((repeats + 1) / 2))p")"
}

for threads in 1 2; do
  export DISTAL_THREADS=$threads
  for chunk in "" "--chunk-rows 50000"; do
    mode=${chunk:-in memory}
    # shellcheck disable=SC2086
    time_runs "threads $threads, $mode, xy.csv --responses 2" --ranks 2 $chunk --responses 2 "$dir/xy.csv"
    # shellcheck disable=SC2086
    time_runs "threads $threads, $mode, x.csv --dependent y.csv" --ranks 2 $chunk "$dir/x.csv" --dependent "$dir/y.csv"
    # shellcheck disable=SC2086
    time_runs "threads $threads, $mode, x.csv --dependent y.npy" --ranks 2 $chunk "$dir/x.csv" --dependent "$dir/y.npy"
  done
done
echo "$(uptime)"
