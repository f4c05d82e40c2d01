#!/usr/bin/env bash
# interleaved A/B of jfr-cost.sh: one round of each jar in turn
set -euo pipefail
cd /work/main
N=${1:-8}
for ((r=1; r<=N; r++)); do
  if (( r % 2 )); then order="gate before"; else order="before gate"; fi
  for j in $order; do
    tmp=/tmp/jfrab-$j/tmp; rm -rf $tmp; mkdir -p $tmp
    bash pool4j-benchmarks/scripts/jfr-cost.sh $tmp 1 1000 /tmp/bench-$j.jar > /dev/null 2>&1 || echo "fail $j $r"
    for f in $tmp/round-1*; do b=$(basename $f); mv $f /tmp/jfrab-$j/${b/round-1/round-$r}; done
    cp $tmp/java.txt /tmp/jfrab-$j/java.txt
  done
  echo "round $r $(cat /proc/loadavg)"
done
for j in gate before; do rm -rf /tmp/jfrab-$j/tmp; python3 pool4j-benchmarks/scripts/jfr_cost.py /tmp/jfrab-$j > /tmp/jfrab-$j/summary.txt; done
