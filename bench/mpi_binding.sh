#!/usr/bin/env bash
# Covariance 1e6×50 (computation only, Distal.MpiTests --bench-covariance) under both MPIs with 1 and 2 ranks, with
# the launchers' default settings and with Open MPI's binding turned off, and the same process pinned with taskset
# (no MPI) — rounds alternate, so a burst of load hits every configuration alike. Prints medianSeconds per run.
#   bench/mpi_binding.sh [ROUNDS] [THREADS]     THREADS: DISTAL_THREADS for every run (default 1; "auto" = unset)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
threads=${2:-1}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
[[ $threads == auto ]] || export DISTAL_THREADS=$threads
dotnet build tests/Distal.MpiTests -c Release -v quiet -nologo > /dev/null
program=tests/Distal.MpiTests/bin/Release/net10.0/Distal.MpiTests.dll
run() { "$@" dotnet "$program" --bench-covariance 1000000 50 2> /dev/null | tail -1 | sed -E 's/.*"threadsPerRank":([0-9]+),"medianSeconds":([0-9.]+).*/\2 s (\1 thr)/'; }
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), DISTAL_THREADS=${DISTAL_THREADS:-unset}"
for ((i = 1; i <= rounds; i++)); do
  echo "round $i"
  echo "  mpich   -n 1: $(run mpiexec.mpich -n 1)    -n 2: $(run mpiexec.mpich -n 2)"
  echo "  openmpi -n 1: $(run mpirun.openmpi -n 1)    -n 2: $(run mpirun.openmpi -n 2)    (default binding)"
  echo "  openmpi -n 1: $(run mpirun.openmpi --bind-to none -n 1)    -n 2: $(run mpirun.openmpi --bind-to none -n 2)    (--bind-to none)"
  echo "  no MPI: free $(run env DISTAL_MPI=none)    taskset -c 0: $(run env DISTAL_MPI=none taskset -c 0)"
done
echo "# load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
