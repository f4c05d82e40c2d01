#!/bin/bash
# Bisect step: the cluster's tiny rows at 90069e4 (before "Cluster safe by default") and e79d8a9 (it, with the harness given the secret)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd "$(dirname "$0")"   # beside bis-COMMIT.jar, each built on JDK 25 in a worktree of COMMIT
r=0
for k in 90069e4 e79d8a9 e79d8a9 90069e4; do
  r=$((r+1))
  echo "== $(date -u +%H:%M:%S) run$r $k $(cat /proc/loadavg)"
  flock /tmp/pool4j-bench.lock $J -cp bis-$k.jar dev.pool4j.benchmarks.compare.Compare --only tiny --contenders pool4j-cluster --rounds 6 --out out4-$k-$r > log4-$k-$r.txt 2>&1
  echo "   rc=$? $(date -u +%H:%M:%S)"
done
echo DONE
