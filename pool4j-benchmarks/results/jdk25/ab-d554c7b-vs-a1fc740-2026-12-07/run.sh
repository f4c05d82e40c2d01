#!/bin/bash
# Interleaved A/B of the comparison's tables: base d554c7b (the report issue 17 was filed on) against new
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
B=${BASE:?the benchmarks jar built at d554c7b}
N=${NEW:?the benchmarks jar built at a1fc740}
cd "$(dirname "$0")"
i=0
for t in ${TABLES:-tiny cpu tutorial streaming memory}; do
  if [ $((i % 2)) = 0 ]; then order="base new"; else order="new base"; fi
  for k in $order; do
    jar=$B; [ $k = new ] && jar=$N
    echo "== $(date -u +%H:%M:%S) $t $k $(cat /proc/loadavg)"
    flock /tmp/pool4j-bench.lock $J -cp $jar dev.pool4j.benchmarks.compare.Compare --only $t --out out-$k-$t > log-$k-$t.txt 2>&1
    echo "   rc=$? $(date -u +%H:%M:%S)"
  done
  i=$((i+1))
done
echo DONE
