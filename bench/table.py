#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Turns the raw runs of bench/run.sh into its table (Python standard library only).

Reads a manifest, one tab-separated row per table row:
  scenario label, command label, runs file, calls file or "-", scenario file or "-", reference key
The runs file has one "wall_us cpu_us maxrss_kib" line per run (bench/measure.c); the calls
file is the NVML_SIM_CALLS dump of the last run. The reference key names the row whose wall
time the "x bare" column divides by ("-": none; "=": this row is a reference).
"""
import json
import re
import signal
import statistics
import sys


def fn_bases(sim_fn_h):
    """Exported NVML name -> base name, from the simulator's table (X(symbol, base, kind))."""
    bases = {}
    with open(sim_fn_h, encoding="utf-8") as f:
        for m in re.finditer(r"X\(\s*(\w+)\s*,\s*(\w+)\s*,", f.read()):
            bases[m.group(1)] = m.group(2)
    return bases


def latency_us(value):
    """A latency_us entry: a number, or a sequence (its mean: the value moves with time)."""
    if isinstance(value, dict):
        seq = value.get("seq") or [0]
        return sum(seq) / len(seq)
    return float(value)


def driver_ms(calls, scenario, bases):
    """Sum over functions of calls x the scenario's latency, as the simulator applies it: the
    exported name wins over the name without its version suffix."""
    with open(scenario, encoding="utf-8") as f:
        table = json.load(f).get("latency_us") or {}
    total = 0.0
    for name, n in calls.items():
        if name in table:
            total += n * latency_us(table[name])
        elif bases.get(name, name) in table:
            total += n * latency_us(table[bases.get(name, name)])
    return total / 1000.0


def fmt(x, digits=1):
    return "-" if x is None else f"{x:.{digits}f}"


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `bench/run.sh | head` ends quietly
    manifest, sim_fn_h = sys.argv[1], sys.argv[2]
    bases = fn_bases(sim_fn_h) if sim_fn_h != "-" else {}
    rows = []
    for line in open(manifest, encoding="utf-8"):
        scen_label, cmd_label, runs_file, calls_file, scenario, ref = line.rstrip("\n").split("\t")
        runs = [tuple(int(v) for v in l.split()) for l in open(runs_file) if l.strip()]
        wall = [r[0] / 1000.0 for r in runs]
        row = {
            "scenario": scen_label,
            "command": cmd_label,
            "ref": ref,
            "runs": len(runs),
            "wall_med": statistics.median(wall),
            "wall_max": max(wall),
            "cpu_med": statistics.median(r[1] / 1000.0 for r in runs),
            "rss_mib": max(r[2] for r in runs) / 1024.0,
            "calls": None,
            "driver": None,
        }
        if calls_file != "-":
            with open(calls_file, encoding="utf-8") as f:
                calls = json.load(f)
            row["calls"] = sum(calls.values())
            row["driver"] = driver_ms(calls, scenario, bases)
        row["own"] = None if row["driver"] is None else row["wall_med"] - row["driver"]
        rows.append(row)

    by_key = {(r["scenario"], r["command"]): r for r in rows}
    for r in rows:
        base = by_key.get((r["scenario"], r["ref"])) if r["ref"] not in ("-", "=") else None
        r["x_bare"] = r["wall_med"] / base["wall_med"] if base else None
        r["own_minus_bare"] = (
            r["own"] - base["own"] if base and r["own"] is not None and base["own"] is not None
            else None)

    sim = any(r["driver"] is not None for r in rows)
    head = ["scenario", "command", "runs", "wall med", "wall max", "CPU med", "peak RSS"]
    units = ["", "", "", "ms", "ms", "ms", "MiB"]
    if sim:
        head += ["NVML calls", "driver", "own", "own-bare"]
        units += ["", "ms", "ms", "ms"]
    head += ["x bare"]
    units += [""]
    table = []
    for r in rows:
        cells = [r["scenario"], r["command"], str(r["runs"]), fmt(r["wall_med"]),
                 fmt(r["wall_max"]), fmt(r["cpu_med"]), fmt(r["rss_mib"])]
        if sim:
            cells += ["-" if r["calls"] is None else str(r["calls"]), fmt(r["driver"], 2),
                      fmt(r["own"], 2),
                      "-" if r["own_minus_bare"] is None else f"{r['own_minus_bare']:+.2f}"]
        cells += ["-" if r["x_bare"] is None else f"{r['x_bare']:.2f}x"]
        table.append(cells)
    widths = [max(len(c[i]) for c in [head, units] + table) for i in range(len(head))]

    def show(cells):
        out = []
        for i, c in enumerate(cells):
            out.append(c.ljust(widths[i]) if i < 2 else c.rjust(widths[i]))
        print("  ".join(out).rstrip())

    show(head)
    show(units)
    last = None
    for r, cells in zip(rows, table):
        if last is not None and r["scenario"] != last:
            print()
        last = r["scenario"]
        show(cells)


if __name__ == "__main__":
    main()
