#!/bin/bash
# before = main (libtorch-ops Adam, default malloc); after = this branch (Java-loop Adam, malloc keeps freed memory)
cd "$(dirname "$0")/../.."
CP="${CP:?set CP to the classpath: app/target/classpath.txt with the module jars or classes}"
uptime
for i in 1 2; do
  OMP_WAIT_POLICY=PASSIVE java -Dkernel=LIBTORCH_OPS -cp "$CP" bench/ab/Step.java 7 "before" 2>&1 | grep -v "WARN\|INFO"
  MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824 OMP_WAIT_POLICY=PASSIVE java -Dkernel=JAVA_LOOP -cp "$CP" bench/ab/Step.java 7 "after " 2>&1 | grep -v "WARN\|INFO"
done
uptime
