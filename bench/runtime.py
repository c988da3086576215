#!/usr/bin/env python3
"""Runs the runtime benchmark (benches/load.rs) several times and prints the
median of divan's medians as a markdown table, with each loader's ratio to
hand-written code.

    python3 bench/runtime.py [--runs 3]
"""

import argparse
import re
import statistics
import subprocess
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = {"ns": 1e-3, "µs": 1.0, "ms": 1e3, "s": 1e6}


def run():
    out = subprocess.run(["cargo", "bench", "-q", "-p", "credenv-bench", "--bench", "load"], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout
    results, source, size = {}, None, None
    for line in out.splitlines():
        name = re.search(r"[├╰]─ (\S+(?: \S+)?)\s", line)
        if not name:
            continue
        label = name.group(1).strip()
        if label.startswith("from_"):
            source = label
        elif label.startswith("fields_"):
            size = int(label[7:])
        else:
            # After the label: fastest │ slowest │ median │ mean │ samples │ iters.
            cells = [c.strip() for c in line[name.end():].split("│")]
            value, unit = cells[2].split()
            results[(source, size, label)] = float(value) * UNITS[unit]
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    samples = defaultdict(list)
    for _ in range(args.runs):
        for key, value in run().items():
            samples[key].append(value)
    medians = {key: statistics.median(values) for key, values in samples.items()}
    print("| source | fields | loader | median | ÷ hand-written |")
    print("|---|---:|---|---:|---:|")
    order = {"from_env": 0, "from_padded_env": 1, "from_env_behind_padding": 2, "from_map": 3}
    for (source, size, loader) in sorted(medians, key=lambda k: (order[k[0]], k[1], k[2] != "hand-written", k[2])):
        value = medians[(source, size, loader)]
        floor = medians[(source, size, "hand-written")]
        print(f"| {source.replace('_', ' ')} | {size} | {loader} | {value:.2f} µs | {value / floor:.2f} |")


if __name__ == "__main__":
    main()
