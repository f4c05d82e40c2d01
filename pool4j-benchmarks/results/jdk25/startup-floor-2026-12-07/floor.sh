#!/bin/bash
# floor.sh: K bare JVMs started at once with pool4j's worker flags (Floor: each runs Ready, a main
# that prints one line), against the comparison's own start-up child for K worker processes, in
# alternating rounds; CPU (user + sys, children included) from /usr/bin/time. As run here:
#   JAR=pool4j-benchmarks/target/benchmarks.jar K=16 ROUNDS=8 floor.sh
#   FLOOR_JAR=$JAR ...   # the bare JVMs with the benchmarks' jar (14,453 entries) on their class path too
J=${J:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=$(realpath "${JAR:?the benchmarks jar}")
K=${K:-16}
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
"$(dirname "$J")/javac" -d "$D" "$(dirname "$0")"/Ready.java "$(dirname "$0")"/Floor.java
export POOL4J_PROGRESS=0
for i in $(seq "${ROUNDS:-8}"); do
  /usr/bin/time -f "CPU bare user=%U sys=%S wall=%e" "$J" -cp "$D" Floor "$K" "${FLOOR_JAR:+$FLOOR_JAR:}$D" 2>&1 \
    | sed "s/^/bare $i /"
  /usr/bin/time -f "CPU pool4j user=%U sys=%S wall=%e" "$J" -cp "$JAR" \
    dev.pool4j.benchmarks.compare.CompareChild --measure startup --contender pool4j-processes \
    --n "$K" --workers "$K" 2>&1 | grep -E 'RESULT|CPU' | sed "s/^/pool4j $i /"
done
