#!/usr/bin/env bash
# The flight recorder's cost (issue 16) with JMH, in rounds: each round runs FlightRecorderBenchmark's
# three benchmarks (jfrOff: no recording; jfrJdkOnly: JFR's default recording with the dev.pool4j
# events disabled; jfrOn: the same recording with them) one fork each, in an order that rotates
# from round to round, so that a machine whose load drifts disturbs the three alike. The summary
# (jfr_cost.py) gives each round's ratios, and their medians and quartiles over the rounds, of the
# score (wall time per call) and of the fork's CPU time per call (CpuTimeProfiler), which a busy
# machine disturbs far less.
#
# Usage, from the repository root, after building the benchmarks jar:
#   bash pool4j-benchmarks/scripts/jfr-cost.sh OUT_DIR [ROUNDS] [ITEMS] [JAR]
# OUT_DIR gets one JMH JSON file per fork, the load average per round, and summary.txt.
set -euo pipefail
out=$1
rounds=${2:-10}
items=${3:-1000}
jar=${4:-pool4j-benchmarks/target/benchmarks.jar}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
modes=(jfrOff jfrJdkOnly jfrOn)
java -version 2>&1 | head -1 > "$out/java.txt"
for ((r = 1; r <= rounds; r++)); do
  uptime > "$out/round-$r.load"
  for ((k = 0; k < 3; k++)); do
    m=${modes[$(((r + k) % 3))]}
    java -cp "$jar" org.openjdk.jmh.Main "FlightRecorderBenchmark\.$m\$" -p items="$items" \
        -f 1 -wi 5 -i 5 -w 1s -r 1s -prof dev.pool4j.benchmarks.CpuTimeProfiler -rf json -rff "$out/round-$r-$m.json" > "$out/round-$r-$m.log" 2>&1
  done
  echo "round $r done: $(uptime)"
done
python3 "$here/jfr_cost.py" "$out" | tee "$out/summary.txt"
