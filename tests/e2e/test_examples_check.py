#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What examples/monitor_colored, snapshots and collector_csv must print for a scenario,
derived from the scenario alone (through test_examples_expect's model of the library).

    test_examples_check.py colored SCENARIO.json OUTPUT FRAMES CUDA_VISIBLE_DEVICES
    test_examples_check.py snapshots SCENARIO.json OUTPUT with|without
    test_examples_check.py csv SCENARIO.json OUTPUT ROWS
"""
import csv
import importlib.util
import json
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "expect", os.path.join(here, "test_examples_expect.py"))
expect = importlib.util.module_from_spec(spec)
spec.loader.exec_module(expect)

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
DATE = re.compile(r"^[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \d{4}$")
problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


def pids_of(dev):
    """The pids examples/devices would list for a device: '  - Processes (N): [a, b]'."""
    line = next(iter(dev.process_line()))
    m = re.match(r"  - Processes \((\d+)\): \[(.*)\]$", line)
    return [int(p) for p in m.group(2).split(", ") if p] if m else None


def leaves(scenario):
    """(label, Device model) of every leaf device, physical order, MIG devices after."""
    for i, d in enumerate(scenario.get("devices", [])):
        dev = expect.Device(d)
        migs = dev.migs()
        if not migs:
            yield f"gpu:{i}", dev
        for j, mig in enumerate(migs):
            yield f"gpu:({i}, {j})", mig


def colored(scenario, text, frames, visible):
    raw = text
    text = ANSI.sub("", text)
    check("\x1b[1;31m" in raw, "no bold red date")
    chunks = [c for c in re.split(r"^(?=[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d )", text, flags=re.M) if c]
    check(len(chunks) == frames, f"{len(chunks)} frames, expected {frames}")
    devices = scenario["devices"]
    order = [int(x) for x in visible.split(",")]
    for chunk in chunks:
        lines = chunk.splitlines()
        check(DATE.match(lines[0]) is not None, f"not a date: {lines[0]!r}")
        blocks = re.split(r"^(?=CudaDevice\()", "\n".join(lines[1:]), flags=re.M)
        blocks = [b for b in blocks if b.strip()]
        check(len(blocks) == len(order), f"{len(blocks)} devices, expected {len(order)}")
        for cuda, (index, block) in enumerate(zip(order, blocks)):
            dev = expect.Device(devices[index])
            want = list(dev.lines(""))
            got = block.splitlines()
            name = devices[index].get("name")
            check(got[0].startswith(f"CudaDevice(cuda_index={cuda}, physical_index={index}, "
                                    f"name=\"{name}\""), f"header {got[0]!r}")
            for n in range(1, 7):
                check(got[n] in want[n], f"cuda {cuda} line {n}: {got[n]!r} not in {want[n]}")
            pids = pids_of(dev)
            if not pids:
                check(got[7] == "  - No Running Processes", f"cuda {cuda}: {got[7]!r}")
                continue
            check(got[7] == f"  - Processes ({len(pids)}):", f"cuda {cuda}: {got[7]!r}")
            check(got[8].split() == ["PID", "USERNAME", "CPU%", "HOST-MEM", "TIME", "GPU-MEM",
                                     "SM%", "COMMAND"], f"table header {got[8]!r}")
            rows = [l for l in got[9:] if l.startswith("    ")]
            check(sorted(int(r.split()[0]) for r in rows) == pids,
                  f"cuda {cuda}: process rows {rows}, pids {pids}")


def snapshots(scenario, text, processes):
    got_devices = re.findall(r"^        DeviceSnapshot\(\n            real=(\S+)\(index=(\(\d+, \d+\)|\d+)",
                             text, flags=re.M)
    want_devices = []
    for i, d in enumerate(scenario.get("devices", [])):
        want_devices.append(("PhysicalDevice", str(i)))
        want_devices += [("MigDevice", f"({i}, {j})") for j in range(len(expect.Device(d).migs()))]
    check(got_devices == want_devices, f"devices {got_devices}, expected {want_devices}")
    got = sorted(re.findall(r"real=GpuProcess\(pid=(\d+), device=\w+\(index=(\(\d+, \d+\)|\d+)",
                            text))
    want = []
    if processes:
        for label, dev in leaves(scenario):
            want += [(str(p), label[4:]) for p in pids_of(dev) or []]
    check(got == sorted(want), f"processes {got}, expected {sorted(want)}")
    check(text.startswith("SnapshotResult(\n    devices=[\n") and text.endswith("    ]\n)\n"),
          "not a SnapshotResult")


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def collector_csv(scenario, path, rows):
    table = list(csv.reader(open(path)))
    header, body = table[0], table[1:]
    check(header[0] == "time", f"first column {header[0]!r}")
    check(len(body) == rows, f"{len(body)} rows, expected {rows}")
    for r in body:
        check(len(r) == len(header), f"a row of {len(r)} cells, header {len(header)}")
        check(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", r[0]) is not None, f"time {r[0]!r}")
    col = {k: i for i, k in enumerate(header)}
    for key in ("resources/duration (s)", "resources/timestamp", "resources/last_timestamp",
                "resources/host/memory_percent (%)/mean"):
        check(key in col, f"no column {key!r}")

    def cell(key):
        check(key in col, f"no column {key!r}")
        return [float(r[col[key]]) for r in body] if key in col else []

    durations = cell("resources/duration (s)")
    check(durations == sorted(durations), f"durations not growing: {durations}")
    for i, d in enumerate(scenario.get("devices", [])):
        total = d.get("memory", {}).get("total")
        if isinstance(total, int) and total:
            for v in cell(f"resources/gpu:{i}/memory_total (MiB)/mean"):
                check(close(v, total / 2**20), f"gpu:{i} total {v}, expected {total / 2**20}")
    for label, dev in leaves(scenario):
        procs = {p["pid"]: p for p in dev.d.get("processes", [])}
        for pid in pids_of(dev) or []:
            used = procs.get(pid, {}).get("used_memory")
            if isinstance(used, int):
                for v in cell(f"resources/pid:{pid}/{label}/gpu_memory (MiB)/last"):
                    check(close(v, used / 2**20), f"pid {pid} on {label}: {v} MiB")


def main():
    mode, scenario = sys.argv[1], json.load(open(sys.argv[2]))
    if mode == "colored":
        colored(scenario, open(sys.argv[3]).read(), int(sys.argv[4]), sys.argv[5])
    elif mode == "snapshots":
        snapshots(scenario, open(sys.argv[3]).read(), sys.argv[4] == "with")
    else:
        collector_csv(scenario, sys.argv[3], int(sys.argv[4]))
    if problems:
        sys.exit(f"{mode} {os.path.basename(sys.argv[2])}:\n  " + "\n  ".join(problems[:20]))


main()
