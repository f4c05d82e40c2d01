#!/bin/bash
# ab5.sh: cluster tiny rows, 6 rounds a run: v2w (frames + background warm-up, this change),
# warm (main's seal + 16,000 rounds of warm-up when a Seal is made), 90069e4 (before the seal)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd "$(dirname "$0")"
r=0
for k in v2w warm 90069e4 90069e4 warm v2w; do
  r=$((r+1))
  echo "== $(date -u +%H:%M:%S) run$r $k $(cat /proc/loadavg)"
  if [ $k = warm ]; then export JAVA_TOOL_OPTIONS="-Dsealwarm=16000 -Dsealwarmbytes=1024"; else unset JAVA_TOOL_OPTIONS; fi
  $J -cp "bis-$k.jar" dev.pool4j.benchmarks.compare.Compare --only tiny \
    --contenders pool4j-cluster --rounds 6 --out "out5-$k-$r" > "log5-$k-$r.txt" 2>&1
  echo "   rc=$? $(date -u +%H:%M:%S)"
done
echo DONE
