#!/bin/bash
# probes.sh CORE_DIR: the probes beside this script, JDK 25, on pool4j-core jars in CORE_DIR:
# base.jar (pool4j-core at cef57f6) and new.jar (at 772440a), each `mvn -pl pool4j-core package
# -DskipTests` of that commit. Writes probes.txt.
#   Floor.java WORKERS N [v]: the scale table's floor without any pool: WORKERS threads claim 1 ms
#     sleeps from an AtomicInteger (cas-cursor), then newFixedThreadPool(WORKERS).invokeAll (with
#     v: a virtual thread per task, which is not WORKERS workers: left out below)
#   Scale.java WORKERS N [v]: pool4j's map of N 1 ms sleeps on WORKERS workers, -Drounds calls
#   Imap.java [v]: pool4j's imap(x * x, 20,000 items, chunk size 1) on 2 workers, 12 s, per second
#   Exec.java: newFixedThreadPool(2), a future per item, taken in order, 12 s, per second
set -u
D=${1:?CORE_DIR}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
cd "$(dirname "$0")"
C=$(mktemp -d)
$J/javac -cp "$D/base.jar" -d "$C" Scale.java Imap.java Exec.java
{
  echo "== $(date -u +%H:%M:%S) load $(cat /proc/loadavg)"
  echo "-- floor: threads claiming from an AtomicInteger, 25 rounds each"
  $J/java -Drounds=25 -Xms256m -Xmx256m Floor.java 1000 10000 | grep cas-cursor | awk '{printf "%s ", $NF} END {print " <- 1000 platform"}'
  $J/java -Drounds=25 -Xms256m -Xmx256m Floor.java 1000 10000 | grep executor | awk '{printf "%s ", $NF} END {print " <- newFixedThreadPool(1000).invokeAll"}'
  $J/java -Drounds=25 -Xms256m -Xmx256m Floor.java 1000 10000 v | grep cas-cursor | awk '{printf "%s ", $NF} END {print " <- 1000 virtual"}'
  $J/java -Drounds=25 -Xms256m -Xmx256m Floor.java 100 10000 | grep cas-cursor | awk '{printf "%s ", $NF} END {print " <- 100 platform"}'
  echo "-- pool4j map, 30 calls per JVM, builds in turn"
  for args in "1000 10000 v" "1000 10000" "100 10000"; do
    for j in base new new base; do
      echo -n "$j "; $J/java -Drounds=30 -Xms256m -Xmx256m -cp "$D/$j.jar:$C" Scale $args
    done
  done
  echo "-- imap chunk size 1, 2 workers, ns/item per second"
  for j in base new new base; do
    echo -n "$j threads "; $J/java -Xms1g -Xmx1g -cp "$D/$j.jar:$C" Imap
    echo -n "$j virtual "; $J/java -Xms1g -Xmx1g -cp "$D/$j.jar:$C" Imap v
  done
  $J/java -Xms1g -Xmx1g -cp "$C" Exec
  echo "== $(date -u +%H:%M:%S) load $(cat /proc/loadavg)"
} 2>&1
rm -rf "$C"
