#!/usr/bin/env bash
# Interleaved A/B of CpuPerChunkMain (issue 17, "Threads: imap with chunk size 1" in the README):
# each round runs every jar once, the order alternating from round to round; the load average is
# written before and after each run. Run it under `flock /tmp/pool4j-bench.lock` on a shared machine.
#
# Usage, from the repository root:
#   bash pool4j-benchmarks/scripts/ab-threads.sh OUT_FILE ROUNDS "ARGS" NAME=JAR NAME=JAR ...
# ARGS: CpuPerChunkMain's arguments, e.g. "threads imap 20000 5 2".
set -euo pipefail
out=${1:?OUT_FILE}
rounds=${2:?ROUNDS}
args=${3:?ARGS}
shift 3
mkdir -p "$(dirname "$out")"
: > "$out"
for ((r = 1; r <= rounds; r++)); do
  pairs=("$@")
  if ((r % 2 == 0)); then
    for ((i = 0, j = ${#pairs[@]} - 1; i < j; i++, j--)); do
      t=${pairs[i]}; pairs[i]=${pairs[j]}; pairs[j]=$t
    done
  fi
  for pair in "${pairs[@]}"; do
    name=${pair%%=*}
    jar=${pair#*=}
    {
      echo "== $name ($jar) round $r"
      echo "load before: $(cat /proc/loadavg)"
      # shellcheck disable=SC2086
      java -cp "$jar" dev.pool4j.benchmarks.CpuPerChunkMain $args 2>&1
      echo "load after: $(cat /proc/loadavg)"
    } >> "$out"
  done
done
echo "results in $out"
