#!/bin/bash
# ab.sh TABLE CONTENDERS ROUNDS BUILD...: Compare --only TABLE --contenders CONTENDERS --rounds
# ROUNDS, one run per BUILD in the order given, from BUILD.jar beside this script (JDK 25), logs
# log-TABLE-BUILD-RUN.txt. BUILD.jar: the benchmarks jar (`JAVA_HOME=<JDK 25> mvn -pl
# pool4j-benchmarks -am package -DskipTests`) of base = cef57f6 (main before) and ra1 = 772440a's
# code (the shared read-ahead). As run, one after another (ab-*.log):
#   ab.sh tiny pool4j-threads,pool4j-virtual,executor 5 base ra1 ra1 base base ra1   (ab-tiny.log)
#   ab.sh scale pool4j-threads,pool4j-virtual,executor 3 ra1 base base ra1           (ab-scale.log)
#   ab.sh tiny pool4j-threads,pool4j-virtual 5 ra1 base base ra1                     (ab-tiny2.log)
# The second tiny set's runs 1 and 4 are log-tiny-ra1-1/-4 and its runs 2 and 3 log-tiny-base-2/-3
# (the first set's are base-1, ra1-2, ra1-3, base-4, base-5, ra1-6). summarise.py pools them.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
T=$1; C=$2; R=$3; shift 3
cd "$(dirname "$0")"
i=0
for k in "$@"; do
  i=$((i+1))
  echo "== $(date -u +%H:%M:%S) $T run$i $k $(cat /proc/loadavg)"
  $J -cp "$k.jar" dev.pool4j.benchmarks.compare.Compare --only $T --contenders $C --rounds $R --out "out-$T-$k-$i" > "log-$T-$k-$i.txt" 2>&1
  echo "   rc=$? $(date -u +%H:%M:%S)"
done
