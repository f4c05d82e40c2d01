#!/usr/bin/env python3
"""Summarizes a JFR recording's CPU samples as text: top frames by self time and by subtree,
samples per thread, and a split into categories (channel/syscalls, encoding/decoding,
locking/park-unpark, allocation/GC, the rest).

Usage: jfr_summary.py RECORDING.jfr [--jfr PATH] [--top N] [--thread REGEX]

Reads the recording with the JDK's `jfr print --json` (the `jfr` next to `java` on the PATH, or
--jfr). Standard library only.

What it counts:
- jdk.ExecutionSample: a thread running Java code (or JIT-compiled code) when sampled: on-CPU
  time. Parked or blocked threads are not sampled, so "locking/park-unpark" here is the CPU spent
  locking and waking, not time spent waiting.
- jdk.NativeMethodSample: a thread inside a native method when sampled, running or blocked in a
  syscall (a read that waits for the pipe counts here): reported apart, as wall time in native.
- allocation: jdk.ObjectAllocationSample's weights (bytes, estimated), per second of recording.
- GC: jdk.GarbageCollection events, their count and summed duration; GC threads are not Java
  threads and take no execution samples.

A sample's category is that of its innermost frame that matches one (syscalls first, then
locking, then encoding, then allocation); a sample no frame matches is "other".
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys

CATEGORIES = [
    (
        "channel/syscalls",
        re.compile(
            r"^(sun\.nio\.ch\.|java\.io\.FileInputStream\.(read|readBytes)|"
            r"java\.io\.FileOutputStream\.(write|writeBytes)|java\.io\.FileDescriptor|"
            r"java\.lang\.ProcessImpl|java\.net\.Socket|jdk\.internal\.misc\.Blocker|"
            r"java\.nio\.channels\.|java\.io\.RandomAccessFile)"
        ),
    ),
    (
        "locking/park-unpark",
        re.compile(
            r"^(java\.util\.concurrent\.locks\.|jdk\.internal\.misc\.Unsafe\.(park|unpark)|"
            r"java\.lang\.Object\.(wait|notify)|java\.lang\.Thread\.(yield|onSpinWait|sleep)|"
            r"java\.util\.concurrent\.(ArrayBlockingQueue|LinkedBlockingQueue|"
            r"SynchronousQueue|LinkedTransferQueue)\.)"
        ),
    ),
    (
        "encoding/decoding",
        re.compile(
            r"^(dev\.pool4j\.internal\.wire\.|java\.io\.Object(Input|Output)Stream|"
            r"java\.io\.Data(Input|Output)Stream|java\.io\.ObjectStreamClass|"
            r"java\.io\.Bits|dev\.pool4j\.internal\.process\.Wire\.)"
        ),
    ),
    (
        "allocation/GC",
        re.compile(r"^(java\.lang\.ref\.|jdk\.internal\.ref\.|java\.lang\.System\.gc)"),
    ),
]

# frames that are on every stack of a thread and say nothing
BORING = re.compile(
    r"^(java\.lang\.Thread\.run|java\.lang\.Thread\.runWith|"
    r"java\.util\.concurrent\.ThreadPoolExecutor|java\.util\.concurrent\.FutureTask\.run|"
    r"org\.openjdk\.jmh\.runner\.|java\.lang\.reflect\.|jdk\.internal\.reflect\.)"
)


def frame_name(frame):
    method = frame.get("method") or {}
    cls = (method.get("type") or {}).get("name", "?")
    return cls.replace("/", ".") + "." + method.get("name", "?")


def thread_group(event):
    thread = event.get("sampledThread") or event.get("eventThread") or {}
    name = thread.get("javaName") or thread.get("osName") or "?"
    return re.sub(r"-\d+", "-#", name)


def category(frames):
    for f in frames:
        for cat, pattern in CATEGORIES:
            if pattern.search(f):
                return cat
    return "other"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recording")
    ap.add_argument("--jfr", default=None)
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--thread", default=None, help="only threads whose name matches this regex")
    args = ap.parse_args()
    jfr = args.jfr or shutil.which("jfr") or os.path.join(
        os.path.dirname(os.path.realpath(shutil.which("java"))), "jfr"
    )
    events = (
        "jdk.ExecutionSample,jdk.NativeMethodSample,jdk.ObjectAllocationSample,"
        "jdk.GarbageCollection"
    )
    out = subprocess.run(
        [jfr, "print", "--json", "--stack-depth", "64", "--events", events, args.recording],
        check=True,
        capture_output=True,
    ).stdout
    data = json.loads(out)
    evs = data["recording"]["events"]
    only = re.compile(args.thread) if args.thread else None

    exec_samples = []
    native_samples = []
    alloc_bytes = 0
    alloc_by_class = collections.Counter()
    alloc_by_site = collections.Counter()
    gc_count = 0
    gc_nanos = 0
    start = None
    end = None
    for e in evs:
        t = e["type"]
        v = e["values"]
        ts = v.get("startTime")
        if ts:
            start = ts if start is None or ts < start else start
            end = ts if end is None or ts > end else end
        if t in ("jdk.ExecutionSample", "jdk.NativeMethodSample"):
            group = thread_group(v)
            if only and not only.search(group):
                continue
            st = v.get("stackTrace") or {}
            frames = [frame_name(f) for f in st.get("frames", [])]
            (exec_samples if t == "jdk.ExecutionSample" else native_samples).append(
                (group, frames)
            )
        elif t == "jdk.ObjectAllocationSample":
            w = int(v.get("weight", 0))
            alloc_bytes += w
            cls = ((v.get("objectClass") or {}).get("name") or "?").replace("/", ".")
            alloc_by_class[cls] += w
            frames = [frame_name(f) for f in (v.get("stackTrace") or {}).get("frames", [])]
            # the allocating frame, and the first pool4j frame above it when that is another
            site = frames[0] if frames else "?"
            own = next((f for f in frames if f.startswith("dev.pool4j.")), None)
            if own and own != site:
                site += " <- " + own
            alloc_by_site[cls + " @ " + site] += w
        elif t == "jdk.GarbageCollection":
            gc_count += 1
            gc_nanos += duration_nanos(v.get("duration"))

    print(f"recording: {os.path.basename(args.recording)}")
    if start and end:
        print(f"events from {start} to {end}")
    n = len(exec_samples)
    print(f"execution samples (on CPU, Java): {n}; native-method samples: {len(native_samples)}")
    if n == 0:
        return
    pct = lambda k: f"{100.0 * k / n:5.1f}%"

    print("\n-- execution samples by thread --")
    for g, k in collections.Counter(g for g, _ in exec_samples).most_common(12):
        print(f"{pct(k)}  {g}")

    print("\n-- categories (innermost matching frame) --")
    cats = collections.Counter(category(fr) for _, fr in exec_samples)
    for c, k in cats.most_common():
        print(f"{pct(k)}  {c}")

    print(f"\n-- top {args.top} frames by self time --")
    selfc = collections.Counter(fr[0] for _, fr in exec_samples if fr)
    for f, k in selfc.most_common(args.top):
        print(f"{pct(k)}  {f}")

    print(f"\n-- top {args.top} frames by subtree (total) time --")
    total = collections.Counter()
    for _, fr in exec_samples:
        for f in set(fr):
            if not BORING.search(f):
                total[f] += 1
    for f, k in total.most_common(args.top):
        print(f"{pct(k)}  {f}")

    if native_samples:
        m = len(native_samples)
        print("\n-- native-method samples (in native: running or blocked), top self frames --")
        for f, k in collections.Counter(
            (g + ": " + fr[0]) for g, fr in native_samples if fr
        ).most_common(8):
            print(f"{100.0 * k / m:5.1f}%  {f}")

    secs = seconds_between(start, end)
    print("\n-- allocation and GC --")
    if secs:
        print(f"allocation (sampled estimate): {alloc_bytes / secs / 1e6:.1f} MB/s over {secs:.1f} s")
    print(f"GC: {gc_count} collections, {gc_nanos / 1e6:.1f} ms in all")
    if alloc_bytes:
        print(f"\n-- top {args.top} allocated classes (share of sampled bytes) --")
        for c, w in alloc_by_class.most_common(args.top):
            print(f"{100.0 * w / alloc_bytes:5.1f}%  {c}")
        print(f"\n-- top {args.top} allocation sites: class @ frame (<- first pool4j frame) --")
        for c, w in alloc_by_site.most_common(args.top):
            print(f"{100.0 * w / alloc_bytes:5.1f}%  {c}")


def duration_nanos(d):
    # jfr's JSON prints durations as ISO-8601, e.g. "PT0.001234S"
    if not d:
        return 0
    m = re.match(r"PT(?:(\d+)M)?([\d.]+)S", d)
    if not m:
        return 0
    return int((int(m.group(1) or 0) * 60 + float(m.group(2))) * 1e9)


def seconds_between(a, b):
    from datetime import datetime

    if not a or not b:
        return None
    f = lambda s: datetime.fromisoformat(re.sub(r"(\.\d{6})\d*", r"\1", s).replace("Z", "+00:00"))
    try:
        return (f(b) - f(a)).total_seconds()
    except ValueError:
        return None


if __name__ == "__main__":
    sys.exit(main())
