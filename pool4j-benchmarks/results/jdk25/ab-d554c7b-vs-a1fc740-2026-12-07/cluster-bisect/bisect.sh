#!/bin/bash
# bisect.sh A B: the cluster's tiny rows (Compare --only tiny --contenders pool4j-cluster, 6 rounds
# a run) at two commits, A/B/B/A, from bis-A.jar and bis-B.jar beside this script, each built on
# JDK 25 in a worktree of its commit. As run: bisect.sh 90069e4 232c1f5 (run3.log: 232c1f5's
# harness cannot start a sealed cluster), then bisect.sh 90069e4 e79d8a9 (run4.log, log4-*.txt).
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
A=${1:?commit A}; B=${2:?commit B}
cd "$(dirname "$0")"
r=0
for k in "$A" "$B" "$B" "$A"; do
  r=$((r+1))
  echo "== $(date -u +%H:%M:%S) run$r $k $(cat /proc/loadavg)"
  flock /tmp/pool4j-bench.lock $J -cp "bis-$k.jar" dev.pool4j.benchmarks.compare.Compare --only tiny \
    --contenders pool4j-cluster --rounds 6 --out "out-$k-$r" > "log-$k-$r.txt" 2>&1
  echo "   rc=$? $(date -u +%H:%M:%S)"
done
echo DONE
