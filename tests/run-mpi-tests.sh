#!/usr/bin/env bash
# Runs Distal on real MPI: the MPI test program (tests/Distal.MpiTests) under MPICH's mpiexec and Open MPI's mpirun
# with 1 to 4 ranks, the distal CLI under both launchers (same output as 4 embedded ranks; a missing file on rank 2
# gives one line on every rank and a non-zero exit), a killed rank ending the job, and the fail-fast cases (an
# unagreed exception, a stopped rank past DISTAL_TIMEOUT, unwritable per-rank outputs, a missing option file).
# The LAST line is always "N passed, M failed" (a run that crashes or times out counts as failed).
# Without MPI: "skipped: install mpich" on a laptop; a failure when CI=true.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

finish() {
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]] && exit 0 || exit 1
}

launchers=()
command -v mpiexec.mpich >/dev/null 2>&1 && launchers+=(mpich)
command -v mpirun.openmpi >/dev/null 2>&1 && launchers+=(openmpi)
if [[ ${#launchers[@]} -lt 2 ]]; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "FAILED: CI needs both MPICH (mpiexec.mpich) and Open MPI (mpirun.openmpi); found: ${launchers[*]:-none}"
    failed=$((failed + 1))
    finish
  fi
  if [[ ${#launchers[@]} -eq 0 ]]; then
    echo "skipped: install mpich (apt-get install mpich) and openmpi-bin to run the MPI tests"
    finish
  fi
  echo "skipped for the missing MPI: install mpich and openmpi-bin to run both"
fi

echo "building (Release)..."
if ! dotnet build tests/Distal.MpiTests -c Release -v quiet -nologo > "$work/build.log" 2>&1 ||
   ! dotnet build src/Distal.Cli -c Release -v quiet -nologo >> "$work/build.log" 2>&1; then
  grep -E 'error' "$work/build.log" | sort -u | head -20
  failed=$((failed + 1))
  finish
fi
program=tests/Distal.MpiTests/bin/Release/net10.0/Distal.MpiTests.dll
cli=src/Distal.Cli/bin/Release/net10.0/Distal.Cli.dll

# Open MPI refuses root without these. (TERM is left as it is: Distal must keep terminal control codes out of the
# output of Open MPI's ranks, whose stdout is a pseudo-terminal, and the CLI output comparison checks that.)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export TERM=${TERM:-xterm}

launch() { # launch FLAVOUR RANKS COMMAND...
  local flavour=$1 ranks=$2
  shift 2
  if [[ $flavour == mpich ]]; then
    mpiexec.mpich -n "$ranks" "$@"
  else
    mpirun.openmpi --oversubscribe -n "$ranks" "$@"
  fi
}

pass() { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAILED $1"; }

# 1. The test program: its rank 0 prints the agreed "N passed, M failed" of all ranks as its only stdout line.
for flavour in "${launchers[@]}"; do
  for ranks in 1 2 3 4; do
    name="$flavour -n $ranks"
    timeout 300 bash -c "$(declare -f launch); launch $flavour $ranks dotnet $program" \
      < /dev/null > "$work/out" 2> "$work/err"
    status=$?
    last=$(tail -1 "$work/out")
    if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
      passed=$((passed + BASH_REMATCH[1]))
      failed=$((failed + BASH_REMATCH[2]))
      if [[ ${BASH_REMATCH[2]} -ne 0 || $status -ne 0 ]]; then
        [[ ${BASH_REMATCH[2]} -eq 0 ]] && failed=$((failed + 1))
        echo "FAILED $name: $last (exit $status)"
        grep -a 'FAILED' "$work/err" | head -20
      else
        echo "ok $name: $last"
      fi
    else
      fail "$name: no tally (exit $status; 124 = timed out)"
      tail -20 "$work/err"
    fi
  done
done

# 2. The CLI: daal4py's covariance example split over 4 files, as upstream splits it (first n % 4 files one row more).
# Upstream's data live in shared/daal4py-data in some directory above the repository.
data=
for dir in "$PWD" "$(dirname "$PWD")" "$(dirname "$(dirname "$PWD")")" "$(dirname "$(dirname "$(dirname "$PWD")")")"; do
  [[ -f "$dir/shared/daal4py-data/covcormoments_dense.csv" ]] && { data="$dir/shared/daal4py-data/covcormoments_dense.csv"; break; }
done
if [[ -n "$data" ]]; then
  rows=$(wc -l < "$data")
  start=1
  for r in 0 1 2 3; do
    count=$((rows / 4 + (r < rows % 4 ? 1 : 0)))
    tail -n +"$start" "$data" | head -n "$count" > "$work/part$r.csv"
    start=$((start + count))
  done
  parts=("$work/part0.csv" "$work/part1.csv" "$work/part2.csv" "$work/part3.csv")
  lr=("$(dirname "$data")"/linear_regression_train_{1,2,3,4}.csv)
  cat "${lr[@]}" | cut -d, -f1-10 > "$work/lr-x.csv"
  cat "${lr[@]}" | cut -d, -f11-12 > "$work/lr-y.csv"
  head -n 999 "$work/lr-y.csv" > "$work/lr-short.csv"
  dotnet "$cli" linear-regression-training --format table --chunk-rows 97 --ranks 3 "$work/lr-x.csv" --dependent "$work/lr-y.csv" \
    > "$work/embedded.pair" 2> /dev/null < /dev/null
  if timeout 120 dotnet "$cli" covariance --ranks 4 "${parts[@]}" > "$work/embedded.json" 2> "$work/err" < /dev/null; then
    for flavour in "${launchers[@]}"; do
      timeout 120 bash -c "$(declare -f launch); launch $flavour 4 dotnet $cli covariance ${parts[*]}" \
        < /dev/null > "$work/$flavour.json" 2> "$work/err"
      status=$?
      if [[ $status -eq 0 ]] && cmp -s "$work/embedded.json" "$work/$flavour.json"; then
        pass "CLI covariance under $flavour -n 4 prints exactly the output of --ranks 4 (rank 0 only)"
      else
        fail "CLI covariance under $flavour -n 4 (exit $status)"; head -5 "$work/err"
      fi

      # --format table and --plot under MPI: R² and the plot's row sample are collectives; rank 0 prints and draws.
      if timeout 120 dotnet "$cli" linear-regression-training --responses 1 --format table --ranks 4 "${parts[@]}" \
          > "$work/embedded.table" 2> "$work/err" < /dev/null &&
         timeout 120 bash -c "$(declare -f launch); launch $flavour 4 dotnet $cli linear-regression-training --responses 1 --format table --plot $work/$flavour.svg ${parts[*]}" \
          < /dev/null > "$work/$flavour.table" 2> "$work/err" &&
         cmp -s "$work/embedded.table" "$work/$flavour.table" && grep -q '^response 0 ' "$work/$flavour.table" &&
         [[ $(grep -c 'class="point"' "$work/$flavour.svg") -eq $rows ]]; then
        pass "CLI regression --format table --plot under $flavour -n 4: the table of --ranks 4, a picture of all $rows rows"
      else
        fail "CLI regression --format table --plot under $flavour -n 4"; head -5 "$work/err"
      fi

      # One x file split over the ranks with one y file, streamed: the table (beta, R² from the second pass) of
      # --ranks 3; a y file one row short is one input error naming both files, on every rank.
      if timeout 120 bash -c "$(declare -f launch); launch $flavour 3 dotnet $cli linear-regression-training --format table --chunk-rows 97 $work/lr-x.csv --dependent $work/lr-y.csv" \
          < /dev/null > "$work/$flavour.pair" 2> "$work/err" &&
         cmp -s "$work/embedded.pair" "$work/$flavour.pair" && grep -q '^response 1 ' "$work/$flavour.pair"; then
        pass "CLI one x file split with one --dependent file under $flavour -n 3, streamed: the table of --ranks 3"
      else
        fail "CLI one x file split with one --dependent file under $flavour -n 3"; head -5 "$work/err"
      fi
      timeout 60 bash -c "$(declare -f launch); launch $flavour 3 dotnet $cli linear-regression-training --chunk-rows 97 $work/lr-x.csv --dependent $work/lr-short.csv" \
        < /dev/null > "$work/out" 2> "$work/err"
      status=$?
      if [[ $status -ne 0 && $status -ne 124 && ! -s "$work/out" && $(grep '^distal: ' "$work/err" | sort -u | wc -l) -eq 1 ]] &&
         grep -q "lr-short.csv: 999 rows for the 1000 rows of $work/lr-x.csv" "$work/err"; then
        pass "CLI --dependent one row short under $flavour -n 3: $(grep -m1 '^distal: ' "$work/err"), exit $status"
      else
        fail "CLI --dependent one row short under $flavour -n 3 (exit $status)"; head -5 "$work/err"
      fi

      # A missing file on rank 2: every rank exits non-zero with the same single line, within seconds.
      missing=("${parts[0]}" "${parts[1]}" "$work/missing.csv" "${parts[3]}")
      started=$(date +%s)
      timeout 60 bash -c "$(declare -f launch); launch $flavour 4 dotnet $cli covariance ${missing[*]}" \
        < /dev/null > "$work/out" 2> "$work/err"
      status=$?
      elapsed=$(($(date +%s) - started))
      lines=$(grep -c '^distal: ' "$work/err")
      distinct=$(grep '^distal: ' "$work/err" | sort -u | wc -l)
      if [[ $status -ne 0 && $status -ne 124 && $lines -eq 4 && $distinct -eq 1 && ! -s "$work/out" && $elapsed -le 20 ]] &&
         grep -q "^distal: rank 2: .*missing.csv" "$work/err"; then
        pass "CLI missing file on rank 2 under $flavour: $(grep -m1 '^distal: ' "$work/err") on all 4 ranks, exit $status, ${elapsed}s"
      else
        fail "CLI missing file on rank 2 under $flavour (exit $status, $lines error lines, $distinct distinct, ${elapsed}s)"; head -8 "$work/err"
      fi
    done
  else
    fail "CLI covariance --ranks 4 (embedded reference run)"; head -5 "$work/err"
  fi
else
  fail "shared/daal4py-data/covcormoments_dense.csv not found above the repository"
fi

# 3. The other family's library forced under a launcher: a clear mismatch error on every rank, not a world of 1.
for flavour in "${launchers[@]}"; do
  [[ $flavour == mpich ]] && other=openmpi || other=mpich
  timeout 60 bash -c "$(declare -f launch); DISTAL_MPI=$other launch $flavour 2 dotnet $program" \
    < /dev/null > "$work/out" 2> "$work/err"
  status=$?
  if [[ $status -ne 0 && $status -ne 124 ]] && grep -q 'the launcher and the MPI library do not match' "$work/err"; then
    pass "DISTAL_MPI=$other under $flavour -n 2 fails with the mismatch message"
  else
    fail "DISTAL_MPI=$other under $flavour -n 2 (exit $status)"; head -5 "$work/err"
  fi
done

# 4. A rank killed (SIGKILL) while the others wait in a collective: the launcher must end the job, non-zero, < 30 s.
for flavour in "${launchers[@]}"; do
  started=$(date +%s)
  timeout 60 bash -c "$(declare -f launch); launch $flavour 3 dotnet $program --die-on-rank 1" \
    < /dev/null > /dev/null 2> "$work/err"
  status=$?
  elapsed=$(($(date +%s) - started))
  if [[ $status -ne 0 && $status -ne 124 && $elapsed -lt 30 ]]; then
    pass "killed rank under $flavour: job ended with exit $status after ${elapsed}s"
  else
    fail "killed rank under $flavour: exit $status after ${elapsed}s"
  fi
done

# 5. Fail fast: a failure on one rank ends the whole job within seconds with one line "distal: rank r: cause" (an
# agreed error on every rank, or MPI_Abort for what cannot be agreed), under both launchers. Each case runs under
# `timeout`; pass = exit status non-zero (and not timeout's 124) within 30 s, with the expected line on stderr.
expect_fast_failure() { # NAME FLAVOUR REGEX COMMAND... (COMMAND runs under the launcher with 3 ranks)
  local name=$1 flavour=$2 regex=$3
  shift 3
  local started status elapsed
  started=$(date +%s)
  timeout 60 bash -c "$(declare -f launch); launch $flavour 3 $*" < /dev/null > "$work/out" 2> "$work/err"
  status=$?
  elapsed=$(($(date +%s) - started))
  if [[ $status -ne 0 && $status -ne 124 && $elapsed -lt 30 ]] && grep -Eq "^distal: rank [0-9]+: $regex" "$work/err"; then
    pass "fail fast under $flavour: $name: exit $status after ${elapsed}s: $(grep -Em1 '^distal: rank' "$work/err")"
  else
    fail "fail fast under $flavour: $name (exit $status after ${elapsed}s)"; grep -v '^$' "$work/err" | head -8
  fi
}

kmeans_data=$(dirname "${data:-/nonexistent/x}")/kmeans_dense.csv
mkdir -p "$work/unwritable/assignments_1.csv" "$work/unwritable/transformedData_1.csv"
[[ -f "$kmeans_data" ]] && dotnet "$cli" pca --output "$work/pca-model.json" "$kmeans_data" < /dev/null > /dev/null 2>&1
for flavour in "${launchers[@]}"; do
  expect_fast_failure "an exception nobody catches on rank 1 (Spmd.Init's handler aborts)" "$flavour" \
    "InvalidOperationException: user code failed on rank 1 only" dotnet "$program" --throw-on-rank 1
  DISTAL_TIMEOUT=3 expect_fast_failure "rank 1 stopped (SIGSTOP) with DISTAL_TIMEOUT=3" "$flavour" \
    "no answer from the other ranks after 3 s" dotnet "$program" --stop-on-rank 1
  if [[ -f "$kmeans_data" ]]; then
    expect_fast_failure "kmeans per-rank output unwritable on rank 1" "$flavour" \
      ".*assignments_1.csv" dotnet "$cli" kmeans --clusters 3 --local-output-dir "$work/unwritable" "$kmeans_data"
    expect_fast_failure "pca-transform per-rank output unwritable on rank 1" "$flavour" \
      ".*transformedData_1.csv" dotnet "$cli" pca-transform --model "$work/pca-model.json" --local-output-dir "$work/unwritable" "$kmeans_data"
    expect_fast_failure "kmeans --centroids file missing (read inside the world, agreed)" "$flavour" \
      ".*missing-centroids.json" dotnet "$cli" kmeans --clusters 3 --centroids "$work/missing-centroids.json" "$kmeans_data"
  fi
done

# 6. MPI_Finalize that hangs: MPICH 4.0.2 over UCX's TCP transport with 4 ranks on 2 cores leaves ranks in
#    MPI_Finalize for ever about one run in two. The result must be printed whole and the job must end (the
#    finalize watchdog, 10 s); three runs, so a missing watchdog fails this with probability ~7/8.
if command -v mpiexec.mpich >/dev/null; then
  for run in 1 2 3; do
    started=$(date +%s)
    env UCX_TLS=tcp DISTAL_THREADS=1 timeout 60 mpiexec.mpich -n 4 dotnet "$cli" benchmark pca --cols 20 --rows 40000 --repeat 1 \
      < /dev/null > "$work/out" 2> "$work/err"
    status=$?
    elapsed=$(($(date +%s) - started))
    if [[ $status -ne 124 && $elapsed -lt 40 ]] && grep -q '"medianSeconds"' "$work/out" &&
       { [[ $status -eq 0 ]] || grep -q "MPI_Finalize has not returned" "$work/err"; }; then
      pass "MPICH over UCX_TLS=tcp -n 4, run $run: result printed, job ended after ${elapsed}s (exit $status$(grep -q 'MPI_Finalize has not' "$work/err" && echo ', finalize cut short'))"
    else
      fail "MPICH over UCX_TLS=tcp -n 4, run $run (exit $status after ${elapsed}s)"; head -5 "$work/err"
    fi
  done
fi

# 7. Opt-in (DISTAL_TEST_LARGE=1, about 5 GiB of memory per rank): messages of 2 GiB and more under both launchers;
#    then a covariance partial of 16 384 columns (2 GiB, sent in 1 GiB segments) reduced over 2 ranks under both
#    launchers and on 2 embedded ranks, each process's heap capped (DOTNET_GCHeapHardLimit: 7.5 GiB per MPI rank,
#    15 GiB for the two embedded ranks) so that the GC collects the dropped 2 GiB copies before the machine runs out.
if [[ "${DISTAL_TEST_LARGE:-}" == "1" ]]; then
  large_check() { # large_check WHAT HEAP_LIMIT(- for none) COMMAND...
    local what=$1 limit=$2
    shift 2
    if [[ $limit == - ]]; then limit=; fi
    env ${limit:+DOTNET_GCHeapHardLimit=$limit} timeout 900 "$@" < /dev/null > "$work/out" 2> "$work/err"
    status=$?
    last=$(tail -1 "$work/out")
    if [[ $status -eq 0 && "$last" =~ ^([0-9]+)\ passed,\ 0\ failed$ ]]; then
      pass "$what: $last"
    else
      fail "$what (exit $status): $last"; tail -5 "$work/err"
    fi
  }
  for flavour in "${launchers[@]}"; do
    large_check "messages of 2 GiB and more under $flavour -n 2" - bash -c "$(declare -f launch); launch $flavour 2 dotnet $program --large"
    large_check "a 2 GiB partial (16 384 columns) under $flavour -n 2" 0x1E0000000 bash -c "$(declare -f launch); launch $flavour 2 dotnet $program --large-partial"
  done
  large_check "a 2 GiB partial (16 384 columns) on 2 embedded ranks" 0x3C0000000 dotnet "$program" --large-partial-embedded 2
else
  echo "skipped: messages of 2 GiB and more, and a 2 GiB partial (set DISTAL_TEST_LARGE=1; needs about 7.5 GiB of memory per rank)"
fi

finish
