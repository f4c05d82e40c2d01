#!/usr/bin/env python3
"""Every round of every run of both builds, pooled per table and contender: median (min-max), n.
Reads the Compare logs (log-<build>-<table>.txt and log2-<build>-<run>.txt) in this directory."""
import glob, re, statistics
vals = {}
for path in glob.glob('log-*.txt') + glob.glob('log2-*.txt'):
    build = path.split('-')[1]
    table = None
    for line in open(path):
        m = re.match(r'== (\S+):', line)
        if m: table = m.group(1); continue
        m = re.match(r'\s+(\S+)\s+([0-9.]+) ', line)
        if m and table: vals.setdefault((table, m.group(1)), {}).setdefault(build, []).append(float(m.group(2)))
print('| table | contender | base: median (min – max), rounds | new: median (min – max), rounds | new / base |')
print('|---|---|---|---|---:|')
for (table, c), by in sorted(vals.items()):
    if 'base' not in by or 'new' not in by or not c.startswith('pool4j'): continue
    cell = lambda v: f'{statistics.median(v):.4g} ({min(v):.4g} – {max(v):.4g}), {len(v)}'
    print(f'| {table} | {c} | {cell(by["base"])} | {cell(by["new"])} | {statistics.median(by["new"]) / statistics.median(by["base"]):.2f} |')
