#!/usr/bin/env python3
"""Medians and ranges of the CPU-bound table's cluster row and sequential baseline per build,
from the logs beside this script (logcS-BUILD-RUN.txt: set S, build, run)."""
import glob, re, statistics
d = {}
for f in sorted(glob.glob("logc*-*.txt")):
    build = re.match(r"logc\d-(.+)-\d+\.txt", f).group(1)
    for line in open(f):
        p = line.split()
        if len(p) >= 2 and p[0] in ("pool4j-cluster", "sequential"):
            d.setdefault((build, p[0]), []).append(float(p[1]))
for (build, contender), v in sorted(d.items()):
    print(f"{build:8s} {contender:15s} median {statistics.median(v):.4f} s  range "
          f"{min(v):.4f}-{max(v):.4f}  rounds {len(v)}")
