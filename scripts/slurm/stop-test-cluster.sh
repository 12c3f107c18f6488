#!/usr/bin/env bash
# Stops the cluster of start-test-cluster.sh: slurmctld and slurmd via scontrol shutdown, munged by its pid.
set -uo pipefail
DIR="${COOP_SLURM_DIR:-/tmp/coop-slurm}"
say() { echo "test-cluster: $*" >&2; }
if command -v scontrol >/dev/null && scontrol ping 2>/dev/null | grep -q UP; then
  scontrol shutdown >/dev/null 2>&1 || true
fi
# wait for both daemons to go (scontrol shutdown also stops slurmd)
for f in "$DIR/slurmctld.pid" "$DIR/slurmd.pid"; do
  p="$(cat "$f" 2>/dev/null)" || continue   # a daemon that is gone removes its pid file
  for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 1; done
  kill -0 "$p" 2>/dev/null && { say "pid $p from $f still alive after 30 s; sending TERM"; kill "$p"; }
done
if [[ -f /run/munge/munged.pid ]]; then
  p="$(cat /run/munge/munged.pid)"
  kill "$p" 2>/dev/null || true
  for _ in $(seq 10); do kill -0 "$p" 2>/dev/null || break; sleep 1; done
fi
say "stopped"
