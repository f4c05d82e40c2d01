#!/usr/bin/env python3
"""Per table, workload and contender: the median and range of every round, pooled per build, from
the A/B logs beside this script (log-TABLE-BUILD-RUN.txt, each a Compare --only TABLE run)."""
import glob, re, statistics, sys
from collections import defaultdict
rows = defaultdict(lambda: defaultdict(list))
for f in sorted(glob.glob(sys.argv[1] if len(sys.argv) > 1 else "log-*.txt")):
    m = re.match(r"log-(\w+)-(.+)-(\d+)\.txt", f.split("/")[-1])
    build = m.group(2)
    section = None
    for line in open(f):
        h = re.match(r"== (\S+):", line)
        if h:
            section = h.group(1)
            continue
        r = re.match(r"\s+([a-z]\S*)\s+([0-9.]+) (\S+)$", line)
        if section and r:
            rows[(section, r.group(1), r.group(3))][build].append(float(r.group(2)))
for (section, who, unit), builds in sorted(rows.items()):
    print(f"{section} {who} ({unit})")
    for build, v in sorted(builds.items()):
        print(f"  {build:6s} median {statistics.median(v):9.4g}  range {min(v):9.4g} - {max(v):9.4g}  rounds {len(v)}")
