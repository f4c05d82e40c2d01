#!/usr/bin/env bash
# Profiles imap with chunk size 1 (issue 17, item 1) with the JDK Flight Recorder: on threads, and
# on worker processes (the parent JVM and each worker JVM), and writes text summaries
# (jfr_summary.py) next to the per-thread CPU figures of CpuPerChunkMain.
#
# Usage, from the repository root, after building the benchmarks jar:
#   bash pool4j-benchmarks/scripts/profile.sh [OUT_DIR] [SECONDS]
# OUT_DIR: where the summaries go (pool4j-benchmarks/results/jdk17/profiles); the .jfr files stay
# in a temporary folder, whose name is printed. SECONDS: warm-up, then measurement (10).
#
# The recording settings are the JDK's "profile" with Java samples every 1 ms (not 10) and native
# samples every 10 ms (not 20), and pool4j's own Call and Chunk events off, so that the profile
# does not measure them. Each JVM runs with -XX:+DebugNonSafepoints, so that samples land on the
# right inlined frame. Recordings start after the warm-up (delay) and last the measurement.
set -euo pipefail
out=${1:-pool4j-benchmarks/results/jdk17/profiles}
secs=${2:-10}
jar=pool4j-benchmarks/target/benchmarks.jar
here=$(cd "$(dirname "$0")" && pwd)
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
tmp=$(mktemp -d /tmp/pool4j-profile.XXXXXX)
echo "recordings in $tmp"
mkdir -p "$out" "$tmp/workers"

jfc="$tmp/sampling.jfc"
sed -e '/name="jdk.ExecutionSample"/,/<\/event>/ s/>10 ms</>1 ms</' \
    -e '/name="jdk.NativeMethodSample"/,/<\/event>/ s/>20 ms</>10 ms</' \
    -e 's#</configuration>#<event name="dev.pool4j.Call"><setting name="enabled">false</setting></event><event name="dev.pool4j.Chunk"><setting name="enabled">false</setting></event></configuration>#' \
    "$java_home/lib/jfr/profile.jfc" > "$jfc"

diag="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
rec="settings=$jfc,delay=$((secs - 2))s,duration=$((secs + 2))s"

run() { # name backend items [extra java options...]
  local name=$1 backend=$2 items=$3
  shift 3
  uptime > "$out/$name.load"
  java $diag -XX:StartFlightRecording=$rec,filename=$tmp/$name.jfr "$@" \
      -cp "$jar" dev.pool4j.benchmarks.CpuPerChunkMain "$backend" imap "$items" "$secs" 2 \
      > "$out/$name.cpu.txt" 2>&1
  uptime >> "$out/$name.load"
  python3 "$here/jfr_summary.py" "$tmp/$name.jfr" > "$out/$name.jfr.txt"
}

run threads-imap threads 20000
# worker JVMs record into a folder (JDK 17 expands no %p in a file name): one file each
run processes-imap processes 5000 \
    "-Dpool4j.bench.workerJvmOptions=$diag -XX:StartFlightRecording=$rec,filename=$tmp/workers"
i=0
for f in "$tmp"/workers/*.jfr; do
  i=$((i + 1))
  python3 "$here/jfr_summary.py" "$f" > "$out/processes-imap-worker-$i.jfr.txt"
done
echo "summaries in $out"
