#!/bin/bash
for j in before after2; do
  echo "=== $j load $(cat /proc/loadavg)"
  timeout 280 java -cp /tmp/proc-$j.jar dev.pool4j.benchmarks.compare.Compare --only tiny --contenders pool4j-processes,pool4j-threads --rounds 3 --out /tmp/proc-res/cmp-$j 2>&1 | tail -30
  echo "--- load after $(cat /proc/loadavg)"
done
