#!/bin/bash
# abm.sh N jarA jarB CHILD-ARGS...: the comparison's child with the given arguments, two builds
# interleaved N times; prints each build's median, min and max of the reported seconds. As run:
#   abm.sh 6 old.jar new.jar --measure cpu --contender pool4j-processes --n 64 --warmup 2 \
#       --warmup-seconds 3.0 --workers 0 --iterations 5926024 --ms 0
#   abm.sh 10 old.jar new.jar --measure tutorial-virtual --contender pool4j-virtual --virtual \
#       --n 1000 --warmup 2 --warmup-seconds 0 --workers 1000 --iterations 0 --ms 10
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
N=$1; A=$2; B=$3; shift 3
export POOL4J_PROGRESS=0
for i in $(seq $N); do
  for k in A B; do
    jar=$A; [ $k = B ] && jar=$B
    s=$($J -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp $jar dev.pool4j.benchmarks.compare.CompareChild "$@" | grep RESULT | sed 's/.*"seconds": \([0-9.]*\).*/\1/')
    echo "$k $s"
  done
done > abm-last.txt
for k in A B; do grep "^$k " abm-last.txt | awk '{print $2}' | sort -n | awk -v k=$k '{a[NR]=$1} END{print k, "median", a[int((NR+1)/2)], "of", NR, "min", a[1], "max", a[NR]}'; done
