#!/bin/bash
# ab.sh ROUNDS JAR... : First 1000000 per jar, in turn; prints the wall line of each
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
R=$1; shift
for r in $(seq $R); do for j in "$@"; do
  echo "$j $($J/java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp $j.jar:. First 1000000 | grep wall)"
done; done
