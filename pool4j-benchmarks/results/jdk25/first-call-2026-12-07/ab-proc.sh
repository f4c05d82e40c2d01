#!/bin/bash
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
child() { $J "$@" 2>&1 | grep RESULT | sed 's/.*"seconds": \([0-9.e-]*\).*/\1/'; }
for i in $(seq 1 $ROUNDS); do
  for c in $BUILDS; do
    cp="jars/$c.jar"
    echo "$c ptinymap $(child -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp $cp dev.pool4j.benchmarks.compare.CompareChild --measure tiny-map --contender pool4j-processes --n 1000000 --warmup 2 --warmup-seconds 3 --workers 2 --iterations 0 --ms 0)"
    echo "$c ptinyimap $(child -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp $cp dev.pool4j.benchmarks.compare.CompareChild --measure tiny-imap --contender pool4j-processes --n 20000 --warmup 2 --warmup-seconds 3 --workers 2 --iterations 0 --ms 0)"
  done
done
