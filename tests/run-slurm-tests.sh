#!/usr/bin/env bash
# The CLI under Slurm's srun with both MPI families, where a Slurm controller and node answer on this machine
# (docs/guide/cluster.md; scripts/start-local-slurm.sh starts one); elsewhere it prints that it skipped. Needs a
# Release build.
# The LAST line is always "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAILED $1"; sed 's/^/  | /' "$work/out" | head -8; }

# Only an idle node: a job left holding it would make every srun below wait for its timeout.
if ! command -v srun >/dev/null || ! timeout 10 sinfo -h -o %t 2>/dev/null | grep -q -x 'idle'; then
  echo "no Slurm cluster answers here: skipped"
  echo "0 passed, 0 failed"
  exit 0
fi

cli=src/Distal.Cli/bin/Release/net10.0/Distal.Cli.dll
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
awk 'BEGIN { srand(7); for (i = 0; i < 500; i++) printf "%.17g,%.17g,%.17g\n", rand(), rand() * 3, rand() - 0.5 }' > "$work/data.csv"
printf '1,2,3\n4,x,6\n' > "$work/bad.csv"
export DISTAL_THREADS=1 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
step() { timeout 60 srun --kill-on-bad-exit=1 -n 2 "$@" > "$work/out" 2>&1; }

# Each plugin's MPI family is found without DISTAL_MPI, and the result is bitwise the embedded ranks' result.
dotnet "$cli" pca --components 2 --format json --ranks 2 "$work/data.csv" > "$work/embedded.json" 2>/dev/null
for case in "pmi2 MPICH" "pmix Open MPI"; do
  plugin=${case%% *} family=${case#* }
  if step --mpi="$plugin" dotnet "$cli" pca --components 2 --format json --output "$work/$plugin.json" "$work/data.csv" \
    && cmp -s "$work/$plugin.json" "$work/embedded.json" \
    && step --mpi="$plugin" dotnet "$cli" benchmark covariance --rows 1000 --cols 3 --repeat 1 \
    && grep -q "\"engine\": \"MPI ($family" "$work/out"; then
    pass "srun --mpi=$plugin: $family, 2 ranks, PCA bitwise equal to 2 embedded ranks"
  else
    fail "srun --mpi=$plugin: $family, 2 ranks, PCA bitwise equal to 2 embedded ranks"
  fi

  # A bad file on rank 1: one clear line with file:line:column, exit 1, and the step ends.
  step --mpi="$plugin" dotnet "$cli" pca --format json "$work/data.csv" "$work/bad.csv"
  status=$?
  if [[ $status -eq 1 ]] && grep -q "bad.csv:2:3" "$work/out" && ! grep -q "   at " "$work/out"; then
    pass "srun --mpi=$plugin: a bad file on rank 1 ends the step with exit 1 and its file:line:column"
  else
    fail "srun --mpi=$plugin: a bad file on rank 1 ends the step with exit 1 (got $status)"
  fi
done

# Two tasks without an MPI plugin would be two independent copies of the job: a usage error instead.
step --mpi=none dotnet "$cli" pca --format json "$work/data.csv"
status=$?
if [[ $status -eq 2 ]] && grep -q -- "--mpi=pmi2" "$work/out"; then
  pass "srun --mpi=none with 2 tasks: usage error (exit 2) naming the plugins"
else
  fail "srun --mpi=none with 2 tasks: usage error (got $status)"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
