#!/bin/bash
# Training-step CPU time of two commits, measured alternately in one run (before/after of one change).
# Usage: bench/ab/commits.sh BEFORE AFTER [PAIRS] [ROUNDS]
#   e.g. bench/ab/commits.sh 5ab287d^ 5ab287d   (the hook points, issue 11: training runs with Hooks.NONE)
# Builds each commit in a temporary worktree (mvn -o package, no tests), then runs bench/ab/StepAt.java
# against each build in turn, PAIRS times, and prints per batch the median CPU ms per step and after/before.
set -euo pipefail
cd "$(dirname "$0")/../.."
BEFORE=${1:?before commit}; AFTER=${2:?after commit}; PAIRS=${3:-3}; ROUNDS=${4:-5}
WORK=$(mktemp -d /tmp/ab-commits.XXXXXX)
trap 'git worktree remove --force "$WORK/before" 2>/dev/null || true; git worktree remove --force "$WORK/after" 2>/dev/null || true; rm -rf "$WORK"' EXIT
build() { # $1 commit, $2 dir: prints the classpath
  git worktree add --detach -q "$2" "$1"
  (cd "$2" && mvn -B -o -q package -DskipTests >/dev/null)
  echo "$(ls "$2"/app/target/app-*.jar | head -1):$(cat "$2/app/target/classpath.txt")"
}
# The allocator settings of bin/coop (and so of `./coop bench train`): without them every batch-512 step
# page-faults its temporaries in again, which costs a third of the step and most of the noise.
export OMP_WAIT_POLICY=PASSIVE MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824
CP_B=$(build "$BEFORE" "$WORK/before"); CP_A=$(build "$AFTER" "$WORK/after")
echo "before $(git rev-parse --short "$BEFORE")  after $(git rev-parse --short "$AFTER")  load: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$PAIRS"); do
  java -cp "$CP_B" bench/ab/StepAt.java "$ROUNDS" before 2>/dev/null | grep '^before' >> "$WORK/times"
  java -cp "$CP_A" bench/ab/StepAt.java "$ROUNDS" after 2>/dev/null | grep '^after' >> "$WORK/times"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/times" <<'PY'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1])]
print(f"{'batch':>6} {'before ms':>10} {'after ms':>10} {'after/before time':>18} {'speed ratio':>12} {'rounds':>7}")
for b in ("b32", "b128", "b512"):
    bf = [float(r[2]) for r in rows if r[0] == "before" and r[1] == b]
    af = [float(r[2]) for r in rows if r[0] == "after" and r[1] == b]
    mb, ma = st.median(bf), st.median(af)
    print(f"{b:>6} {mb:10.3f} {ma:10.3f} {ma/mb:18.3f} {mb/ma:12.3f} {len(bf):>4}+{len(af)}")
print("speed ratio = before time / after time (>= 1: the after commit is not slower); CPU time of the stepping thread")
PY
