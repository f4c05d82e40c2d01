#!/usr/bin/env bash
# CPU per chunk of a cluster pool's imap with chunk size 1 against the bare Hazelcast executor round
# trip (issue 17; README, "Against a bare Hazelcast round trip"): runs CpuPerChunkMain once per
# backend named, on a fresh loopback cluster of 2 members x 1 worker, 2,000 items per call, and
# writes OUT_DIR/BACKEND.cpu.txt with the load average before and after.
#
# Usage, from the repository root, after building the benchmarks jar:
#   bash pool4j-benchmarks/scripts/cluster-cpu.sh JAR OUT_DIR SECONDS BACKEND...
# BACKEND: cluster, clusterCapped, roundTrip-1, roundTrip-2, roundTrip-16 (see CpuPerChunkMain).
# SECONDS: warm-up, then measurement; 15 or more (at 5 the client's JIT is not done).
# With JFR=1 in the environment, the client and each member also record with the JDK's "profile"
# settings (Java samples every 1 ms) and jfr_summary.py summarizes each recording into OUT_DIR.
set -euo pipefail
jar=$1; out=$2; secs=$3; shift 3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
OPTS="-Xms1g -Xmx1g -Djava.util.concurrent.ForkJoinPool.common.parallelism=2
 -Dhazelcast.logging.type=none -Dhazelcast.phone.home.enabled=false
 -Dhazelcast.wait.seconds.before.join=1 -Dhazelcast.heartbeat.interval.seconds=1
 -Dhazelcast.max.no.heartbeat.seconds=5 --add-modules java.se
 --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
 --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED
 --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"
for b in "$@"; do
  jfr=()
  if [[ "${JFR:-0}" == 1 ]]; then
    tmp=$(mktemp -d /tmp/pool4j-cluster-profile.XXXXXX)
    java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    sed -e '/name="jdk.ExecutionSample"/,/<\/event>/ s/>10 ms</>1 ms</' \
        -e 's#</configuration>#<event name="dev.pool4j.Call"><setting name="enabled">false</setting></event><event name="dev.pool4j.Chunk"><setting name="enabled">false</setting></event></configuration>#' \
        "$java_home/lib/jfr/profile.jfc" > "$tmp/sampling.jfc"
    diag="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
    # the members start a few seconds before the client's warm-up; {port}: a file per member
    jfr=($diag "-XX:StartFlightRecording=settings=$tmp/sampling.jfc,delay=$((secs - 2))s,duration=$((secs + 2))s,filename=$tmp/client.jfr"
         "-Dpool4j.bench.memberJvmOptions=$diag -XX:StartFlightRecording=settings=$tmp/sampling.jfc,delay=$((secs + 4))s,duration=$((secs - 3))s,dumponexit=true,filename=$tmp/member-{port}.jfr")
  fi
  echo "load before: $(cat /proc/loadavg)" > "$out/$b.cpu.txt"
  # shellcheck disable=SC2086
  timeout 300 java $OPTS "${jfr[@]}" -cp "$jar" dev.pool4j.benchmarks.CpuPerChunkMain "$b" imap 2000 "$secs" 2 \
      >> "$out/$b.cpu.txt" 2>&1
  echo "load after: $(cat /proc/loadavg)" >> "$out/$b.cpu.txt"
  if [[ "${JFR:-0}" == 1 ]]; then
    for f in "$tmp"/*.jfr; do
      python3 "$here/jfr_summary.py" "$f" > "$out/$b-$(basename "$f" .jfr).jfr.txt" || true
    done
  fi
  grep -E "^(load|wall|this JVM CPU|children CPU)" "$out/$b.cpu.txt"
done
