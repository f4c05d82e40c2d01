#!/bin/bash
# ab3.sh: cluster tiny rows, 6 rounds a run, in turn: 90069e4, main (27f131f), frames (this change)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd "$(dirname "$0")"
r=0
for k in 90069e4 main frames frames main 90069e4; do
  r=$((r+1))
  echo "== $(date -u +%H:%M:%S) run$r $k $(cat /proc/loadavg)"
  $J -cp "bis-$k.jar" dev.pool4j.benchmarks.compare.Compare --only tiny \
    --contenders pool4j-cluster --rounds 6 --out "out-$k-$r" > "log-$k-$r.txt" 2>&1
  echo "   rc=$? $(date -u +%H:%M:%S)"
done
echo DONE
