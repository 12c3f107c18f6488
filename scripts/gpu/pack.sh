#!/usr/bin/env bash
# Packs what the lent GPU machine needs into .gpu-carry/ (ignored by git; <64 MiB):
# a jlink'd Java 17 runtime and the project's jars minus the CPU libtorch jar.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mvn -B -q -DskipTests package
rm -rf .gpu-carry && mkdir -p .gpu-carry/lib
jlink --add-modules java.base,java.logging,java.management,jdk.unsupported,java.naming,java.xml,java.desktop \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output .gpu-carry/jre
for jar in comparison/target/comparison-*.jar $(tr ':' ' ' < comparison/target/classpath.txt); do
  case "$jar" in *pytorch-native-cpu*) continue ;; esac
  cp "$jar" .gpu-carry/lib/
done
tar -C .gpu-carry -czf .gpu-carry/jre.tgz jre && rm -rf .gpu-carry/jre
cp scripts/gpu/run-on-device.sh .gpu-carry/
du -sh .gpu-carry
grep -qx '/.gpu-carry/' .git/info/exclude 2>/dev/null || echo '/.gpu-carry/' >> .git/info/exclude
