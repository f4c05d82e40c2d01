#!/bin/bash
# Second A/B: the two rows whose median moved most (tiny map on the cluster, imap(1) on threads), 8 rounds a run, base/new/new/base
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
B=${BASE:?the benchmarks jar built at d554c7b}
N=${NEW:?the benchmarks jar built at a1fc740}
cd "$(dirname "$0")"
r=0
for k in base new new base; do
  r=$((r+1)); jar=$B; [ $k = new ] && jar=$N
  echo "== $(date -u +%H:%M:%S) run$r $k $(cat /proc/loadavg)"
  flock /tmp/pool4j-bench.lock $J -cp $jar dev.pool4j.benchmarks.compare.Compare --only tiny --contenders pool4j-threads,pool4j-cluster --rounds 8 --out out2-$k-$r > log2-$k-$r.txt 2>&1
  echo "   rc=$? $(date -u +%H:%M:%S)"
done
echo DONE
