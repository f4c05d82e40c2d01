#!/bin/bash
# ab.sh N BUILD...: the cluster's tiny rows (Compare --only tiny --contenders pool4j-cluster, 6 rounds
# a run), one run per BUILD in the order given, from bis-BUILD.jar beside this script (see README);
# logs logN-BUILD-RUN.txt, times on stdout (abN.log). The build "warm" runs with
# JAVA_TOOL_OPTIONS="-Dsealwarm=16000 -Dsealwarmbytes=1024" (warm.patch). As run, one after another:
#   ab.sh 3 90069e4 main frames frames main 90069e4
#   ab.sh 4 warm main main warm
#   ab.sh 5 v2w warm 90069e4 90069e4 warm v2w
#   ab.sh 6 final 90069e4 90069e4 final
#   ab.sh 7 final2 90069e4 90069e4 final2
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
N=${1:?run set number}
shift
cd "$(dirname "$0")"
r=0
for k in "$@"; do
  r=$((r+1))
  echo "== $(date -u +%H:%M:%S) run$r $k $(cat /proc/loadavg)"
  if [ "$k" = warm ]; then
    export JAVA_TOOL_OPTIONS="-Dsealwarm=16000 -Dsealwarmbytes=1024"
  else
    unset JAVA_TOOL_OPTIONS
  fi
  $J -cp "bis-$k.jar" dev.pool4j.benchmarks.compare.Compare --only tiny \
    --contenders pool4j-cluster --rounds 6 --out "out$N-$k-$r" > "log$N-$k-$r.txt" 2>&1
  echo "   rc=$? $(date -u +%H:%M:%S)"
done
echo DONE
