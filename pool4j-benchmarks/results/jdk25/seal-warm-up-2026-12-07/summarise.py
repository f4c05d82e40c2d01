#!/usr/bin/env python3
"""Medians and ranges of the cluster's tiny rows per build, from the A/B logs beside this script
(log*-BUILD-RUN.txt, each a Compare --only tiny --contenders pool4j-cluster run)."""
import glob, re, statistics, sys
from collections import defaultdict
rows = defaultdict(lambda: defaultdict(list))
for f in sorted(glob.glob(sys.argv[1] if len(sys.argv) > 1 else "log*.txt")):
    m = re.match(r"log\d*-(.+)-(\d+)\.txt", f.split("/")[-1])
    build = m.group(1)
    section = None
    for line in open(f):
        if "tiny tasks: map" in line:
            section = "map ns/item"
        elif "imap, chunk size 1" in line:
            section = "imap(1) µs/item"
        elif section and "pool4j-cluster" in line:
            rows[section][build].append(float(line.split()[1]))
for section, builds in rows.items():
    print(section)
    for build, v in sorted(builds.items()):
        print(f"  {build:10s} median {statistics.median(v):7.1f}  range {min(v):6.1f}-{max(v):6.1f}  rounds {len(v)}")
