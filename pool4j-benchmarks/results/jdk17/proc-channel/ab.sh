#!/bin/bash
# usage: ab.sh OUT ROUNDS jarA jarB ...  ; CpuPerChunkMain processes imap 20000 5 2, interleaved
out=$1; rounds=$2; shift 2
for r in $(seq 1 $rounds); do
  for j in "$@"; do
    echo "=== round $r jar $j load $(cat /proc/loadavg)"
    java -cp $j dev.pool4j.benchmarks.CpuPerChunkMain processes imap 20000 4 2 2>&1 | grep -v "^  [A-Z]\|JFR\|Cleaner\|Reference"
    echo "--- load after $(cat /proc/loadavg)"
  done
done >> $out
