#!/bin/bash
# abtv.sh N jarA jarB: CompareChild --measure tutorial-virtual on pool4j-virtual, interleaved; seconds
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
N=$1; A=$2; B=$3
export POOL4J_PROGRESS=0
for i in $(seq $N); do
  for k in A B; do
    jar=$A; [ $k = B ] && jar=$B
    s=$($J -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp $jar dev.pool4j.benchmarks.compare.CompareChild --measure tutorial-virtual --contender pool4j-virtual --virtual --n 1000 --warmup 2 --warmup-seconds 0 --workers 1000 --iterations 0 --ms 10 | grep RESULT | sed 's/.*"seconds": \([0-9.]*\).*/\1/')
    echo "$k $s"
  done
done > abtv-last.txt
for k in A B; do grep "^$k " abtv-last.txt | awk '{print $2}' | sort -n | awk -v k=$k '{a[NR]=$1} END{print k, "median", a[int((NR+1)/2)], "of", NR, "min", a[1], "max", a[NR]}'; done
