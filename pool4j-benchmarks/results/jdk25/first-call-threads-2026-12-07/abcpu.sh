#!/bin/bash
# abcpu.sh N jarA jarB: CompareChild --measure cpu on pool4j-processes, interleaved; seconds
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
N=$1; A=$2; B=$3
export POOL4J_PROGRESS=0
for i in $(seq $N); do
  for k in A B; do
    jar=$A; [ $k = B ] && jar=$B
    s=$($J -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp $jar dev.pool4j.benchmarks.compare.CompareChild --measure cpu --contender pool4j-processes --n 64 --warmup 2 --warmup-seconds 3.0 --workers 0 --iterations 5926024 --ms 0 | grep RESULT | sed 's/.*"seconds": \([0-9.]*\).*/\1/')
    echo "$k $s"
  done
done > abcpu-last.txt
for k in A B; do grep "^$k " abcpu-last.txt | awk '{print $2}' | sort -n | awk -v k=$k '{a[NR]=$1} END{print k, "median", a[int((NR+1)/2)], "of", NR, "min", a[1], "max", a[NR]}'; done
