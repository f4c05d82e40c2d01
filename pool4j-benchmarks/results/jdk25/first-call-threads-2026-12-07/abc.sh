#!/bin/bash
# abc.sh N contender jarA jarB: the Compare child's cold first call, interleaved; medians in ms
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
N=$1; C=$2; A=$3; B=$4
export POOL4J_PROGRESS=0
for i in $(seq $N); do
  for k in A B; do
    jar=$A; [ $k = B ] && jar=$B
    s=$($J -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp $jar dev.pool4j.benchmarks.compare.CompareChild --measure first --contender $C --n 1000000 --workers 2 | grep RESULT | sed 's/.*"seconds": \([0-9.]*\).*/\1/')
    echo "$k $s"
  done
done > abc-last.txt
for k in A B; do grep "^$k " abc-last.txt | awk '{print $2*1000}' | sort -n | awk -v k=$k '{a[NR]=$1} END{print k, "median", a[int((NR+1)/2)], "of", NR, "min", a[1], "max", a[NR]}'; done
