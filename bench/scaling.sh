#!/usr/bin/env bash
# The measurements behind docs/scaling.md (a few minutes on the quiet 2-core VM):
#   1. communication terms (ping-pong, allreduce, broadcast, 8 B … 8 MiB) on embedded ranks, Open MPI over shared
#      memory (vader) and TCP loopback, MPICH over its default UCX transports (shared memory) and UCX_TLS=tcp;
#   2. each algorithm on 1–64 embedded ranks at fixed size (strong scaling), one compute thread per rank;
#   3. covariance with a wide partial (p = 400) on 1–64 embedded ranks;
#   4. covariance and PCA on 2 and 4 MPI processes over each transport.
# Needs: dotnet build Distal.slnx -c Release. Prints JSON lines; docs/scaling.md quotes them.
set -uo pipefail
cd "$(dirname "$0")/.."
cli=src/Distal.Cli/bin/Release/net10.0/Distal.Cli.dll
bench=bench/Distal.Benchmarks/bin/Release/net10.0/Distal.Benchmarks.dll
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 DISTAL_THREADS=1
openmpi_shm=(mpirun.openmpi --oversubscribe --mca pml ob1 --mca btl vader,self)
openmpi_tcp=(mpirun.openmpi --oversubscribe --mca pml ob1 --mca btl tcp,self)
mpich=(mpiexec.mpich)
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "# 1. communication terms"
dotnet "$bench" comm --ranks 2
"${openmpi_shm[@]}" -n 2 dotnet "$bench" comm | sed 's/"mpi"/"openmpi-shm"/'
"${openmpi_tcp[@]}" -n 2 dotnet "$bench" comm | sed 's/"mpi"/"openmpi-tcp"/'
"${mpich[@]}" -n 2 dotnet "$bench" comm | sed 's/"mpi"/"mpich-ucx"/'
UCX_TLS=tcp "${mpich[@]}" -n 2 dotnet "$bench" comm | sed 's/"mpi"/"mpich-ucx-tcp"/'

summary() { tr -d '\n ' | sed -E 's/.*"algorithm":"([^"]+)".*"rows":([0-9]+).*"cols":([0-9]+).*"ranks":([0-9]+).*"medianSeconds":([0-9.eE-]+).*"minSeconds":([0-9.eE-]+).*/{"algorithm": "\1", "rows": \2, "cols": \3, "ranks": \4, "median": \5, "min": \6}/'; echo; }

echo "# 2. embedded ranks, n = 400000, p = 20"
for algorithm in low-order-moments covariance pca qr linear-regression-training; do
  for ranks in 1 2 4 8 16 32 64; do
    extra=(); [[ $algorithm == linear-regression-training ]] && extra=(--responses 2)
    dotnet "$cli" benchmark "$algorithm" "${extra[@]}" --rows 400000 --cols 20 --ranks "$ranks" --repeat 5 | summary
  done
done
for ranks in 1 8 64; do
  dotnet "$cli" benchmark kmeans --clusters 8 --max-iterations 5 --rows 400000 --cols 20 --ranks "$ranks" --repeat 3 2>/dev/null | summary
done

echo "# 3. a wide partial: covariance, n = 20000, p = 400 (a p×p partial of 1.25 MB)"
for ranks in 1 2 4 8 16 32 64; do
  dotnet "$cli" benchmark covariance --rows 20000 --cols 400 --ranks "$ranks" --repeat 3 2>/dev/null | summary
done

echo "# 4. MPI processes (2 cores: 4 processes are oversubscribed)"
for transport in openmpi-shm openmpi-tcp mpich-ucx mpich-ucx-tcp; do
  for ranks in 2 4; do
    for algorithm in covariance pca; do
      case $transport in
        openmpi-shm) launch=("${openmpi_shm[@]}" -n "$ranks") ;;
        openmpi-tcp) launch=("${openmpi_tcp[@]}" -n "$ranks") ;;
        mpich-ucx) launch=(env "${mpich[@]}" -n "$ranks") ;;
        mpich-ucx-tcp) launch=(env UCX_TLS=tcp "${mpich[@]}" -n "$ranks") ;;
      esac
      echo -n "$transport "
      "${launch[@]}" dotnet "$cli" benchmark "$algorithm" --rows 400000 --cols 20 --repeat 5 | summary
    done
  done
done
echo "# end $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
