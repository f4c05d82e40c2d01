#!/bin/bash
# ab4.sh: cluster tiny rows, 6 rounds a run: main (27f131f) against warm (main's seal + 16,000
# seal-and-open rounds of 1 KiB when a Seal is made, every JVM: -Dsealwarm via JAVA_TOOL_OPTIONS)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd "$(dirname "$0")"
r=0
for k in warm main main warm; do
  r=$((r+1))
  echo "== $(date -u +%H:%M:%S) run$r $k $(cat /proc/loadavg)"
  if [ $k = warm ]; then export JAVA_TOOL_OPTIONS="-Dsealwarm=16000 -Dsealwarmbytes=1024"; else unset JAVA_TOOL_OPTIONS; fi
  $J -cp "bis-$k.jar" dev.pool4j.benchmarks.compare.Compare --only tiny \
    --contenders pool4j-cluster --rounds 6 --out "out4-$k-$r" > "log4-$k-$r.txt" 2>&1
  echo "   rc=$? $(date -u +%H:%M:%S)"
done
echo DONE
