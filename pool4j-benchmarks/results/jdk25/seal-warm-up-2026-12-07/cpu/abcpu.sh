#!/bin/bash
# abcpu.sh BUILD...: the CPU-bound table's cluster row and the sequential baseline
# (Compare --only cpu --contenders pool4j-cluster,sequential, 5 rounds a run), one run per BUILD
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd "$(dirname "$0")"
r=0
for k in "$@"; do
  r=$((r+1))
  echo "== $(date -u +%H:%M:%S) run$r $k $(cat /proc/loadavg)"
  $J -cp "bis-$k.jar" dev.pool4j.benchmarks.compare.Compare --only cpu \
    --contenders pool4j-cluster,sequential --rounds 5 --out "outc-$k-$r" > "logc-$k-$r.txt" 2>&1
  echo "   rc=$? $(date -u +%H:%M:%S)"
done
echo DONE
