#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (Debian 12: Slurm 22.05 with the pmi2 and pmix plugins), so that
# tests/run-slurm-tests.sh can run the CLI under a real srun. Needs root; installs slurmctld, slurmd, munge and
# libpmix-dev (the pmix plugin loads libpmix.so). Safe to run again: daemons already running are left alone.
set -euo pipefail
if ! command -v slurmctld >/dev/null || [[ ! -e /usr/lib/x86_64-linux-gnu/libpmix.so ]]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurmd slurmctld slurm-client munge libpmix-dev >/dev/null
fi
host=$(hostname)
if [[ ! -f /etc/slurm/slurm.conf ]]; then
  cat > /etc/slurm/slurm.conf <<CONF
ClusterName=local
SlurmctldHost=$host
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurmctld.log
SlurmdLogFile=/var/log/slurmd.log
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$(nproc) RealMemory=$(( $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) * 8 / 10 )) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
fi
mkdir -p /var/spool/slurmctld /var/spool/slurmd
pgrep -x munged >/dev/null || /usr/sbin/munged --force
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 30); do
  sinfo -h -o %t 2>/dev/null | grep -q -E 'idle|mix|alloc' && { sinfo; exit 0; }
  sleep 1
done
echo "start-local-slurm: the node did not come up; see /var/log/slurmctld.log and /var/log/slurmd.log" >&2
exit 1
