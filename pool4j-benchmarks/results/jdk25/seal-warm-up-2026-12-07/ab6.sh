#!/bin/bash
# ab6.sh: cluster tiny rows, 6 rounds a run: final (frames + a warm-up of the bare AES-GCM cipher,
# 16,000 rounds of 1 KiB; not kept) against 90069e4 (before the seal), in turn
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd "$(dirname "$0")"
r=0
for k in final 90069e4 90069e4 final; do
  r=$((r+1))
  echo "== $(date -u +%H:%M:%S) run$r $k $(cat /proc/loadavg)"
  $J -cp "bis-$k.jar" dev.pool4j.benchmarks.compare.Compare --only tiny \
    --contenders pool4j-cluster --rounds 6 --out "out6-$k-$r" > "log6-$k-$r.txt" 2>&1
  echo "   rc=$? $(date -u +%H:%M:%S)"
done
echo DONE
