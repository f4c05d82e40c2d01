#!/usr/bin/env python3
"""Per-row A/B of two comparison reports: median and spread, base against new.
A row is 'slower beyond spread' when new's best round is worse than base's worst."""
import re, sys, pathlib  # usage: summarise.py DIR TABLE... (DIR holds out-base-TABLE/benchmarks.md or report-base-TABLE.md, and new's)
def num(s):
    m = re.match(r'-?[0-9.]+', s.strip().replace(',', ''))
    try: return float(m.group(0)) if m else None
    except ValueError: return None
def tables(path):
    out = {}; title = None; unit = None
    for line in pathlib.Path(path).read_text().splitlines():
        if line.startswith('## '): title = line[3:].strip()
        m = re.match(r'\| contender \| median \(([^)]*)\)', line)
        if m: unit = m.group(1)
        if title and line.startswith('| ') and not line.startswith('| contender') and not line.startswith('|---'):
            cells = [c.strip() for c in line.strip().strip('|').split('|')]
            if len(cells) < 3: continue
            med = num(cells[1]); sp = cells[2].split('–')
            if med is None or len(sp) != 2: continue
            out[(title, cells[0])] = (unit, med, num(sp[0]), num(sp[1]))
    return out
root = pathlib.Path(sys.argv[1]); names = sys.argv[2:]
print('| table | contender | unit | base median (spread) | new median (spread) | new / base | verdict |')
print('|---|---|---|---|---|---:|---|')
counts = {}
for t in names:
    report = lambda k: (root / f'out-{k}-{t}' / 'benchmarks.md') if (root / f'out-{k}-{t}').is_dir() else root / f'report-{k}-{t}.md'
    b = tables(report('base')); n = tables(report('new'))
    for key in b:
        if key not in n: continue
        unit, bm, blo, bhi = b[key]; _, nm, nlo, nhi = n[key]
        higher_better = unit.strip() in ('x',) or 'speedup' in key[0].lower() or 'efficiency' in unit
        if higher_better:
            v = 'slower beyond spread' if nhi < blo else ('faster beyond spread' if nlo > bhi else 'within spread')
        else:
            v = 'slower beyond spread' if nlo > bhi else ('faster beyond spread' if nhi < blo else 'within spread')
        counts[v] = counts.get(v, 0) + 1
        print(f'| {key[0]} | {key[1]} | {unit} | {bm:g} ({blo:g} – {bhi:g}) | {nm:g} ({nlo:g} – {nhi:g}) | {nm/bm:.2f} | {v} |')
print()
print('; '.join(f'{k}: {v}' for k, v in sorted(counts.items())))
