#!/usr/bin/env python3
"""Turns JMH JSON result files (-rf json) into one markdown table.

usage: python3 pool4j-benchmarks/scripts/summarize.py results/*.json > results.md

Columns: benchmark (class.method, without the package), params, score, error (the 99.9%
confidence half-width JMH reports; "-" when there were too few measurements), unit, and the
JDK and fork count each file came from. Standard library only.
"""

import json
import math
import sys


def fmt(x):
    # JMH writes NaN (too few measurements for an error) as the string "NaN"
    try:
        x = float(x)
    except (TypeError, ValueError):
        return "-"
    if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))):
        return "-"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3f}"


def rows(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for run in data:
        name = run["benchmark"]
        short = ".".join(name.split(".")[-2:])
        params = ", ".join(f"{k}={v}" for k, v in sorted((run.get("params") or {}).items()))
        metric = run["primaryMetric"]
        yield (
            short,
            params or "-",
            fmt(metric.get("score")),
            fmt(metric.get("scoreError")),
            metric.get("scoreUnit", ""),
            f'{run.get("jdkVersion", "?")} ({run.get("vmName", "?")})',
            f'{run.get("forks", "?")} x {run.get("measurementIterations", "?")}',
        )


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    header = ("benchmark", "params", "score", "error (99.9%)", "unit", "JDK", "forks x iterations")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for path in argv[1:]:
        for row in rows(path):
            print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
