#!/usr/bin/env bash
# Profiles imap with chunk size 1 on platform threads only (issue 17, "Threads: imap with chunk
# size 1" in the README), with profile.sh's settings plus allocation samples at 5000/s (not 300/s),
# so that the allocation sites per chunk are counted well enough to list.
#
# Usage, from the repository root, after building the benchmarks jar:
#   bash pool4j-benchmarks/scripts/profile-threads.sh OUT_DIR [SECONDS] [JAR] [NAME]
# Writes NAME.cpu.txt (CpuPerChunkMain), NAME.jfr.txt (jfr_summary.py) and NAME.load.
set -euo pipefail
out=${1:?OUT_DIR}
secs=${2:-10}
jar=${3:-pool4j-benchmarks/target/benchmarks.jar}
name=${4:-threads-imap}
here=$(cd "$(dirname "$0")" && pwd)
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
tmp=$(mktemp -d /tmp/pool4j-profile.XXXXXX)
echo "recording in $tmp"
mkdir -p "$out"
jfc="$tmp/sampling.jfc"
sed -e '/name="jdk.ExecutionSample"/,/<\/event>/ s/>10 ms</>1 ms</' \
    -e '/name="jdk.NativeMethodSample"/,/<\/event>/ s/>20 ms</>10 ms</' \
    -e '/name="jdk.ObjectAllocationSample"/,/<\/event>/ s/>300\/s</>5000\/s</' \
    -e 's#</configuration>#<event name="dev.pool4j.Call"><setting name="enabled">false</setting></event><event name="dev.pool4j.Chunk"><setting name="enabled">false</setting></event></configuration>#' \
    "$java_home/lib/jfr/profile.jfc" > "$jfc"
diag="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
rec="settings=$jfc,delay=$((secs - 2))s,duration=$((secs + 2))s"
cat /proc/loadavg > "$out/$name.load"
java $diag -XX:StartFlightRecording=$rec,filename=$tmp/$name.jfr \
    -cp "$jar" dev.pool4j.benchmarks.CpuPerChunkMain threads imap 20000 "$secs" 2 \
    > "$out/$name.cpu.txt" 2>&1
cat /proc/loadavg >> "$out/$name.load"
python3 "$here/jfr_summary.py" --top 25 "$tmp/$name.jfr" > "$out/$name.jfr.txt"
echo "summary in $out/$name.jfr.txt"
