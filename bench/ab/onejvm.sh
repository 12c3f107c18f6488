#!/bin/bash
# Two commits' builds in one JVM (bench/ab/OneJvm.java), each order once: CPU ms per call and B/A.
# Usage: bench/ab/onejvm.sh A B [step|attention] [BATCH] [ROUNDS] [CALLS]
#   e.g. bench/ab/onejvm.sh HEAD~1 HEAD step 128
# The second build to run in a round tends to be ~2% faster (A against A gave 0.978); read the two orders together.
set -euo pipefail
cd "$(dirname "$0")/../.."
A=${1:?commit A}; B=${2:?commit B}; WHAT=${3:-step}; BATCH=${4:-128}; ROUNDS=${5:-30}; CALLS=${6:-30}
RUNNER=$([ "$WHAT" = attention ] && echo AttentionRunner || echo StepRunner)
WORK=$(mktemp -d /tmp/onejvm.XXXXXX)
trap 'git worktree remove --force "$WORK/a" 2>/dev/null || true; git worktree remove --force "$WORK/b" 2>/dev/null || true; rm -rf "$WORK"' EXIT
mvn -B -o -q package -DskipTests >/dev/null 2>&1 || { echo "build of this checkout failed"; exit 2; } # its libraries classpath
CP_FILE=app/target/classpath.txt
for x in a b; do
  commit=$([ $x = a ] && echo "$A" || echo "$B")
  git worktree add --detach -q "$WORK/$x" "$commit"
  (cd "$WORK/$x" && mvn -B -o -q package -DskipTests -pl common,figures,transformer -am >/dev/null 2>&1) || { echo "build of $commit failed"; exit 2; }
  mkdir -p "$WORK/run-$x"
  javac -nowarn -d "$WORK/run-$x" -cp "$WORK/$x/common/target/classes:$WORK/$x/transformer/target/classes:$(cat $CP_FILE)" \
    bench/ab/onejvm/$RUNNER.java 2>&1 | grep -v '^Note' || true
done
javac -d "$WORK" bench/ab/OneJvm.java
# MKL's path as bin/coop picks it: its AVX-512 shim where bin/coop built one (./coop --version builds it)
shim=$(ls ~/.cache/coopetition/mkl_intel_cpu-*.so 2>/dev/null | head -1 || true)
[ -z "$shim" ] || export LD_PRELOAD="$shim"
export OMP_WAIT_POLICY=PASSIVE MALLOC_ARENA_MAX=1 MALLOC_TOP_PAD_=134217728 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824
run() { java --add-modules jdk.incubator.vector -cp "$WORK" OneJvm "$CP_FILE" "$WORK/$1" "$WORK/$2" "$WORK/run-$1" "$WORK/run-$2" \
  $RUNNER "$BATCH" "$ROUNDS" "$CALLS" 2>/dev/null | grep "^$RUNNER"; }
echo "A $(git rev-parse --short "$A")  B $(git rev-parse --short "$B")  MKL: ${shim:-the default path}  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "A first: $(run a b)"
echo "B first (so A and B swap names): $(run b a)"
