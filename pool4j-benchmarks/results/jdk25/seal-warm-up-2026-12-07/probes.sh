#!/bin/bash
# probes.sh: compiles and runs the probes beside it on JDK 17 (default java) and JDK 25, from the
# repository's root build (mvn -pl pool4j-hazelcast -am install -DskipTests first).
set -e
cd "$(dirname "$0")"
ROOT=$(git rev-parse --show-toplevel)
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin
CP=$ROOT/pool4j-hazelcast/target/classes:$ROOT/pool4j-core/target/classes
OUT=$(mktemp -d)
$J25/javac --release 17 -cp "$CP" -d "$OUT" Frames.java Raw.java BigAfterWarmUp.java SealPath.java
for j in java $J25/java; do
  for s in 4194304 1048576 65536 16384 8192; do echo "$($j -version 2>&1 | head -1): $($j -cp "$OUT" Frames $s 128)"; done
done > frames.txt
for j in java $J25/java; do
  for r in 0 2000 8000 12000 16000 150000; do echo "$($j -version 2>&1 | head -1), $r rounds:"; $j -cp "$OUT" Raw $r 4194304 | tail -3; done
done > raw.txt
for j in java $J25/java; do for m in cold warm warm; do $j -cp "$CP:$OUT" dev.pool4j.hazelcast.BigAfterWarmUp $m; done; done > big.txt
for m in cold bare seal; do for n in 65536 100; do $J25/java -cp "$CP:$OUT" dev.pool4j.hazelcast.SealPath $m $n; done; done > seal-path.txt
rm -rf "$OUT"
