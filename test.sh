#!/usr/bin/env bash
# Runs every Distal test set: unit/property/conformance tests (embedded ranks), the kernel tests once per SIMD
# path and per BLAS backend, the examples, and the MPI test program under MPICH and Open MPI.
# The last line is the total: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh || exit 1

passed=0
failed=0
log_dir=$(mktemp -d)

# Adds the counts of one xunit v3 run (its summary line) to the totals.
count_xunit() {
  local name=$1 log=$2 status=$3
  local line total failures errors skipped
  line=$(grep -a 'Total:' "$log" | tail -1)
  if [[ -z "$line" ]]; then
    echo "FAILED: $name produced no test summary (exit $status)"; tail -20 "$log"; failed=$((failed + 1)); return
  fi
  total=$(sed -E 's/.*Total: ([0-9]+).*/\1/' <<<"$line")
  errors=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
  failures=$(sed -E 's/.*Failed: ([0-9]+).*/\1/' <<<"$line")
  skipped=$(sed -E 's/.*Skipped: ([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + total - failures - skipped))
  failed=$((failed + failures + errors))
  if [[ "$failures" != 0 || "$errors" != 0 || "$status" != 0 ]]; then
    grep -a -E '\[FAIL\]|Assert|Exception' "$log" | head -40
    [[ "$failures" == 0 && "$errors" == 0 ]] && failed=$((failed + 1))
  fi
  echo "$name: $((total - failures - skipped)) passed, $((failures + errors)) failed, $skipped skipped"
}

# Runs a test script whose last line is "N passed, M failed", adds its counts, and prints its other lines with a prefix
# (at most the last 60). A script that ends another way, or fails with no failure counted, counts as one failure.
run_counted() {
  local prefix=$1 log="$log_dir/$1.log" status last
  shift
  "$@" > "$log" 2>&1
  status=$?
  last=$(tail -1 "$log")
  if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    [[ $status -ne 0 && ${BASH_REMATCH[2]} -eq 0 ]] && failed=$((failed + 1))
  else
    failed=$((failed + 1))
  fi
  sed '$d' "$log" | sed "s/^/$prefix: /" | tail -60
  echo "$prefix: $last"
}

echo "building (Release)..."
if ! dotnet build Distal.slnx -c Release -v quiet -nologo > "$log_dir/build.log" 2>&1; then
  grep -E 'error' "$log_dir/build.log" | sort -u | head -30
  echo "0 passed, 1 failed"
  exit 1
fi

tests=tests/Distal.Tests/bin/Release/net10.0/Distal.Tests.dll

dotnet "$tests" -noColor -trait- "Process=LoadsMpiLibrary" > "$log_dir/unit.log" 2>&1
count_xunit "unit, property and conformance tests" "$log_dir/unit.log" $?
# Tests that load the MPI libraries run apart: MPICH's UCX would turn any NullReferenceException in the same
# process into a crash (see MpiLibraryTests).
dotnet "$tests" -noColor -trait "Process=LoadsMpiLibrary" > "$log_dir/mpi-libraries.log" 2>&1
count_xunit "MPI library loading tests" "$log_dir/mpi-libraries.log" $?

# The kernel tests cover every vector width and both backends inside one process. The algorithm tests (trait
# Category=Algorithm; HarnessCoverageTests makes every algorithm test class carry it) run again with the
# process-wide switches forced: the scalar managed path, pure OpenBLAS, and the 128- and 512-bit widths.
for setting in "DISTAL_SIMD=scalar DISTAL_BLAS=managed" "DISTAL_BLAS=openblas" "DISTAL_SIMD=128" "DISTAL_SIMD=512"; do
  env $setting dotnet "$tests" -noColor -trait "Category=Algorithm" > "$log_dir/switch.log" 2>&1
  count_xunit "algorithms with $setting" "$log_dir/switch.log" $?
done

# The CSV number parser converts fraction digits with vectors, or with 8-byte words under DISTAL_SIMD=scalar.
DISTAL_SIMD=scalar dotnet "$tests" -noColor -class Distal.Tests.Data.DecimalParserTests -class Distal.Tests.Data.CsvExactnessTests > "$log_dir/parser-scalar.log" 2>&1
count_xunit "CSV parser with DISTAL_SIMD=scalar" "$log_dir/parser-scalar.log" $?

# Examples: each checks its distributed result against batch and exits non-zero on a mismatch. They run on
# 4 embedded ranks and under both MPI launchers with 4 processes.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
for example in examples/*/; do
  name=$(basename "$example")
  dll="$example/bin/Release/net10.0/$name.dll"
  [[ -f "$dll" ]] || continue
  for engine in embedded mpich openmpi; do
    case $engine in
      embedded) launcher=() ;;
      mpich) command -v mpiexec.mpich >/dev/null || continue; launcher=(mpiexec.mpich -n 4) ;;
      openmpi) command -v mpirun.openmpi >/dev/null || continue; launcher=(mpirun.openmpi --oversubscribe -n 4) ;;
    esac
    if TERM=dumb timeout 300 "${launcher[@]}" dotnet "$dll" --ranks 4 < /dev/null > "$log_dir/example-$name-$engine.log" 2>&1; then
      passed=$((passed + 1)); echo "example $name ($engine, 4 ranks): passed"
    else
      failed=$((failed + 1)); echo "example $name ($engine, 4 ranks): FAILED"; tail -20 "$log_dir/example-$name-$engine.log"
    fi
  done
done

# The packages as a user receives them: packed to a local feed, the tool installed and run, a fresh project built.
run_counted packages scripts/check-packages.sh

# The native `distal` (Native AOT, as scripts/install-native.sh installs it) prints and writes what the JIT build does.
run_counted native tests/run-native-tests.sh

# The MPI test program and the CLI under MPICH and Open MPI.
[[ -x tests/run-mpi-tests.sh ]] && run_counted mpi tests/run-mpi-tests.sh

# Slurm's srun with both MPI families, where a Slurm cluster answers (skipped elsewhere).
run_counted slurm tests/run-slurm-tests.sh

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
