#!/bin/bash
# interleaved A/B of builds (jars/<name>.jar): scale at 100 and 1,000 workers, tiny imap and tiny map on threads
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
child() { local jar=$1; shift; $J "$@" 2>&1 | grep RESULT | sed 's/.*"seconds": \([0-9.e-]*\).*/\1/'; }
for i in $(seq 1 $ROUNDS); do
  for c in $BUILDS; do
    cp="jars/$c.jar"
    echo "$c scale100 $(child $c -Xms256m -Xmx256m -cp $cp dev.pool4j.benchmarks.compare.CompareChild --measure scale --contender pool4j-threads --n 10000 --warmup 2 --warmup-seconds 0 --workers 100 --iterations 0 --ms 1)"
    echo "$c scale1000 $(child $c -Xms256m -Xmx256m -cp $cp dev.pool4j.benchmarks.compare.CompareChild --measure scale --contender pool4j-threads --n 10000 --warmup 2 --warmup-seconds 0 --workers 1000 --iterations 0 --ms 1)"
    echo "$c vscale1000 $(child $c -Xms256m -Xmx256m -cp $cp dev.pool4j.benchmarks.compare.CompareChild --measure scale --contender pool4j-virtual --n 10000 --warmup 2 --warmup-seconds 0 --workers 1000 --iterations 0 --ms 1)"
    echo "$c tinyimap $(child $c -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp $cp dev.pool4j.benchmarks.compare.CompareChild --measure tiny-imap --contender pool4j-threads --n 20000 --warmup 2 --warmup-seconds 3 --workers 2 --iterations 0 --ms 0)"
    echo "$c tinymap $(child $c -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp $cp dev.pool4j.benchmarks.compare.CompareChild --measure tiny-map --contender pool4j-threads --n 1000000 --warmup 2 --warmup-seconds 3 --workers 2 --iterations 0 --ms 0)"
  done
done
