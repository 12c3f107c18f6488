#!/usr/bin/env bash
# A single-node SLURM cluster on localhost for tests and demos (Debian/Ubuntu, run as root; no systemd needed).
#   scripts/slurm/start-test-cluster.sh   installs slurmctld slurmd slurm-client munge if missing, writes
#                                         /etc/slurm/slurm.conf (one node, CPUs=2), starts munged, slurmctld
#                                         and slurmd, and waits until sinfo shows the node idle.
#   scripts/slurm/stop-test-cluster.sh    stops them again.
# Idempotent: a cluster that already answers is left running. State, spool and logs live in
# $COOP_SLURM_DIR (default /tmp/coop-slurm). It refuses to overwrite a slurm.conf it did not write.
# Exit 3 = this machine cannot host the cluster (not root, no apt, packages not installable): tests skip on 3.
set -euo pipefail
DIR="${COOP_SLURM_DIR:-/tmp/coop-slurm}"
CPUS="${COOP_SLURM_CPUS:-2}"
CONF=/etc/slurm/slurm.conf
MARK="# written by coopetition scripts/slurm/start-test-cluster.sh"
say() { echo "test-cluster: $*" >&2; }
cannot() { say "cannot host the test cluster: $*"; exit 3; }

[[ "$(id -u)" == 0 ]] || cannot "run as root (it installs packages and starts daemons)"

cluster_up() { command -v sinfo >/dev/null && timeout 10 sinfo -h -N -o '%t' 2>/dev/null | grep -qx 'idle\|mix\|alloc'; }
if cluster_up; then say "already running (sinfo: $(sinfo -h -N -o '%N %t'))"; exit 0; fi

install_packages() {
  command -v apt-get >/dev/null || cannot "no apt-get (install slurmctld slurmd slurm-client munge yourself)"
  say "installing slurmctld slurmd slurm-client munge (apt-get; about a minute)..."
  # apt must not start the daemons (no systemd here, and we start them ourselves with our config).
  local policy=/usr/sbin/policy-rc.d created=0
  if [[ ! -e "$policy" ]]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 755 "$policy"; created=1; fi
  local log; log="$(mktemp)"
  if ! { timeout 300 apt-get update -q && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q \
        --no-install-recommends slurmctld slurmd slurm-client munge; } >"$log" 2>&1; then
    tail -n 5 "$log" >&2; rm -f "$log"; [[ $created == 1 ]] && rm -f "$policy"
    cannot "apt-get could not install the packages (offline? see the lines above)"
  fi
  rm -f "$log"; [[ $created == 1 ]] && rm -f "$policy"
  return 0
}
for b in slurmctld slurmd sinfo munged; do
  command -v "$b" >/dev/null || { install_packages; break; }
done

mkdir -p "$DIR"/{state,spool,log} /etc/slurm
if [[ -f "$CONF" ]] && ! grep -qF "$MARK" "$CONF"; then
  cannot "$CONF exists and was not written by this script; this machine has a real SLURM setup, use it instead"
fi
host="$(hostname -s)"
mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
cat >"$CONF" <<CONF
$MARK
ClusterName=cooptest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
SwitchType=switch/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
# slurmd must not drain the node when the host has fewer or more CPUs than configured
SlurmdParameters=config_overrides
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=60
MinJobAge=600
KillWait=30
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

# munge: key, runtime dir, daemon as user munge
id munge >/dev/null 2>&1 || cannot "no user munge after installing munge"
mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
if [[ ! -s /etc/munge/munge.key ]]; then
  if command -v mungekey >/dev/null; then mungekey -c -f -k /etc/munge/munge.key; else
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; fi
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 700 /etc/munge; chmod 400 /etc/munge/munge.key; chmod 755 /run/munge
if ! { [[ -f /run/munge/munged.pid ]] && kill -0 "$(cat /run/munge/munged.pid)" 2>/dev/null; }; then
  rm -f /run/munge/munged.pid /run/munge/munge.socket.2*
  if command -v runuser >/dev/null; then runuser -u munge -- munged --force; else su -s /bin/sh munge -c "munged --force"; fi
fi
munge -n | unmunge >/dev/null || cannot "munged does not answer (see /var/log/munge/munged.log)"

# slurmctld then slurmd; -i ignores stale state of an earlier cluster in $DIR
pidalive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
pidalive "$DIR/slurmctld.pid" || slurmctld -i
for _ in $(seq 30); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 1; done
pidalive "$DIR/slurmd.pid" || slurmd -N localhost

for _ in $(seq 60); do
  if cluster_up; then say "up: $(sinfo -h -N -o '%N %c CPUs %t') (state in $DIR)"; exit 0; fi
  sleep 1
done
say "the node did not become idle within 60 s: $(sinfo -h -N -o '%N %t %E' 2>&1 || true)"
say "logs: $DIR/log/slurmctld.log, $DIR/log/slurmd.log"
exit 1
