#!/usr/bin/env bash
# The long mode of the reader fuzz tests (docs/fuzzing.md): at least 10^6 generated inputs over the six readers,
# one test process per reader, each printing its summary line (inputs, seconds, outcome counts).
# Usage: bench/fuzz_long.sh [scale]   (scale 1 = 1,040,000 inputs; 0.01 for a two-minute rehearsal)
# Needs a Release build: dotnet build tests/Distal.Tests -c Release
set -uo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1}
tests=${DISTAL_TESTS_DLL:-tests/Distal.Tests/bin/Release/net10.0/Distal.Tests.dll}
status=0
# Inputs per reader: the text readers are cheap per input, the columnar ones pay for writing a file with their
# library first.
for spec in "Csv_inputs 300000" "Npy_inputs 250000" "Csr_inputs 200000" "Model_files 200000" "Arrow_files 60000" "Parquet_files 30000"; do
  set -- $spec
  count=$(awk -v n="$2" -v s="$scale" 'BEGIN { printf "%d", n * s }')
  start=$(date +%s)
  DISTAL_FUZZ_ITERATIONS=$count dotnet "$tests" -noColor -method "*ReaderFuzzTests.$1*" -showLiveOutput > /tmp/distal-fuzz-long-$1.log 2>&1 || status=1
  grep -a -E '\[OUTPUT\]|input [0-9]+ \(' /tmp/distal-fuzz-long-$1.log | sed -E 's/^ +//' | cut -c1-900
  echo "$1: $(( $(date +%s) - start )) s wall, exit status $status"
done
exit $status
