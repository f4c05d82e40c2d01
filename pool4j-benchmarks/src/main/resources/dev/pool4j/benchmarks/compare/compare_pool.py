#!/usr/bin/env python3
"""Python's side of pool4j's comparison harness (dev.pool4j.benchmarks.compare.Compare).

Runs one measurement of one workload with Python's own multiprocessing.Pool (or a plain loop,
the sequential baseline) and prints one JSON line: {"seconds": wall seconds of the measured run,
"first": seconds to the first result (streaming), "startup": seconds from before the pool's
creation until every worker is ready (has run its initializer), "checksum": sum of the results mod
2**61, "n": items, "rss_mb": peak RSS of this process in MiB (VmHWM)}. The first-call and start-up
measures ("first", "startup") run no warm-up: their call is the pool's first. Standard library
only.

  python3 compare_pool.py --calibrate                      # spin iterations of about 10 ms
  python3 compare_pool.py --measure tiny-map --variant map --n 1000000 --warmup 2
"""

import argparse
import json
import multiprocessing
import multiprocessing.pool
import resource
import sys
import threading
import time

MASK64 = (1 << 64) - 1
MASK61 = (1 << 61) - 1


def square(x):
    return x * x


def spin(n):
    """The same xorshift loop as the Java side: equal results for equal n."""
    x = 0x9E3779B97F4A7C15
    for _ in range(n):
        x ^= (x << 13) & MASK64
        x ^= x >> 7
        x ^= (x << 17) & MASK64
    return x


def sleep_ms(ms):
    time.sleep(ms / 1000.0)
    return ms


def peak_rss_mb():
    """Peak RSS of this process: VmHWM where Linux has it (ru_maxrss keeps the peak of whatever
    process exec'd this one, a JVM's spawn helper included), else ru_maxrss."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def calibrate():
    n = 20000
    for _ in range(3):
        spin(n)
    t0 = time.perf_counter()
    spin(n)
    seconds = time.perf_counter() - t0
    return max(1, int(n * 0.010 / seconds))


def inputs_for(args, warm):
    m = args.measure
    if m in ("tiny-map", "tiny-imap", "first", "startup"):
        return list(range(args.n))
    if m == "cpu":
        return [args.iterations + i for i in range(args.n)]
    if m in ("tutorial-3", "tutorial-sleep", "tutorial-virtual", "streaming", "scale"):
        ms = [int(v) for v in args.ms.split(",")]
        return [0 if warm else ms[min(i, len(ms) - 1)] for i in range(args.n)]
    raise SystemExit("unknown measure " + m)


def task_for(measure):
    if measure in ("tiny-map", "tiny-imap", "memory", "first", "startup"):
        return square
    if measure == "cpu":
        return spin
    return sleep_ms


def _ready(barrier):
    """A worker's initializer: it is ready once every worker and the parent reach the barrier."""
    barrier.wait(60)


def start_pool(variant, workers):
    """The pool, once every worker has run its initializer: start-up is not part of a call."""
    threads = variant == "threadpool"
    n = workers if workers is not None else multiprocessing.cpu_count()
    barrier = threading.Barrier(n + 1) if threads else multiprocessing.Barrier(n + 1)
    kind = multiprocessing.pool.ThreadPool if threads else multiprocessing.Pool
    pool = kind(n, _ready, (barrier,))
    barrier.wait(60)
    return pool


def run_once(args, pool, warm):
    task = task_for(args.measure)
    variant = args.variant
    if args.measure == "memory":
        source = (i for i in range(args.n))  # lazily generated, never a list
        t0 = time.perf_counter()
        total = 0
        if variant == "seq":
            for x in source:
                total += task(x)
        else:
            for r in pool.imap(task, source, args.chunksize):
                total += r
        return time.perf_counter() - t0, 0.0, total & MASK61
    xs = inputs_for(args, warm)
    first = None
    t0 = time.perf_counter()
    if variant == "seq":
        if args.measure in ("tiny-imap", "streaming"):
            total = 0
            for x in xs:
                total += task(x)
                if first is None:
                    first = time.perf_counter()
        else:
            results = [task(x) for x in xs]
            total = sum(results)
    elif variant in ("map", "threadpool"):
        results = pool.map(task, xs) if args.chunksize <= 0 else pool.map(task, xs, args.chunksize)
        total = sum(results)
    else:
        it = pool.imap(task, xs, max(1, args.chunksize)) if variant == "imap" \
            else pool.imap_unordered(task, xs, max(1, args.chunksize))
        total = 0
        for r in it:
            if first is None:
                first = time.perf_counter()
            total += r
    seconds = time.perf_counter() - t0
    return seconds, (first - t0) if first is not None else 0.0, total & MASK61


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--calibrate", action="store_true")
    p.add_argument("--measure")
    p.add_argument("--variant", default="seq",
                   choices=["seq", "map", "imap", "imap_unordered", "threadpool"])
    p.add_argument("--n", type=int, default=0)
    p.add_argument("--workers", type=int, default=0)
    p.add_argument("--chunksize", type=int, default=0)
    p.add_argument("--warmup", type=int, default=0)
    p.add_argument("--iterations", type=int, default=0)
    p.add_argument("--ms", default="0")
    args = p.parse_args()
    if args.calibrate:
        print(json.dumps({"iterations": calibrate()}))
        return
    workers = args.workers if args.workers > 0 else None
    pool = None
    cold = args.measure in ("first", "startup")
    s0 = time.perf_counter()
    if args.variant != "seq":
        pool = start_pool(args.variant, workers)
    startup = time.perf_counter() - s0
    try:
        for _ in range(0 if cold else args.warmup):
            if args.measure != "memory":
                run_once(args, pool, True)
        seconds, first, checksum = run_once(args, pool, False)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    print(json.dumps({"seconds": seconds, "first": first, "startup": startup,
                      "checksum": checksum, "n": args.n, "rss_mb": peak_rss_mb()}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
