"""Summarizes jfr-cost.sh: per round, the three benchmarks' wall time and CPU time per call (us)
and their ratios; then the median and quartiles of each ratio over the rounds, and each
benchmark's median."""
import glob
import json
import os
import re
import statistics
import sys

MODES = ("jfrOff", "jfrJdkOnly", "jfrOn")
RATIOS = (("jdk/off", "jfrJdkOnly", "jfrOff"), ("on/jdk", "jfrOn", "jfrJdkOnly"),
          ("on/off", "jfrOn", "jfrOff"))


def quartiles(xs):
    xs = sorted(xs)
    if len(xs) < 4:
        return xs[0], statistics.median(xs), xs[-1]
    q = statistics.quantiles(xs, n=4)
    return q[0], q[1], q[2]


def load(out):
    """round -> mode -> {"wall": us, "cpu": us}"""
    rounds = {}
    for path in glob.glob(os.path.join(out, "round-*-*.json")):
        m = re.search(r"round-(\d+)-(\w+)\.json$", path)
        with open(path) as f:
            data = json.load(f)
        if not data:
            continue
        result = data[0]
        cpu = [v["score"] for k, v in result.get("secondaryMetrics", {}).items() if "cpu.time" in k]
        rounds.setdefault(int(m.group(1)), {})[m.group(2)] = {
            "wall": result["primaryMetric"]["score"], "cpu": cpu[0] if cpu else None}
    return {r: s for r, s in sorted(rounds.items()) if len(s) == 3}


def report(full, metric):
    if any(s[m][metric] is None for s in full.values() for m in MODES):
        return
    print(f"\n{metric} time per call (us)")
    print("round      off   jdkOnly        on   " + "  ".join(f"{n:>7}" for n, _, _ in RATIOS))
    ratios = {n: [] for n, _, _ in RATIOS}
    for r, s in full.items():
        row = [s[a][metric] / s[b][metric] for _, a, b in RATIOS]
        for (n, _, _), v in zip(RATIOS, row):
            ratios[n].append(v)
        scores = "".join(f"{s[m][metric]:10.2f}" for m in MODES)
        print(f"{r:5d}{scores}   " + "  ".join(f"{v:7.3f}" for v in row))
    for n, xs in ratios.items():
        lo, med, hi = quartiles(xs)
        print(f"{n}: median {med:.3f}, quartiles {lo:.3f} .. {hi:.3f}")
    print("medians: " + ", ".join(
        f"{m} {statistics.median(s[m][metric] for s in full.values()):.2f}" for m in MODES))


def main(out):
    full = load(out)
    print(f"{len(full)} complete rounds")
    for metric in ("wall", "cpu"):
        report(full, metric)


if __name__ == "__main__":
    main(sys.argv[1])
