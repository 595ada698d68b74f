#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What examples/devices must print for a scenario, derived from the scenario alone.

    test_examples_expect.py SCENARIO.json OUTPUT.txt LABEL

The NVML answers come from test_sim_clients_gen.Reader (the simulator's documented rules:
nulls, injected errors, MIG); on top of them the library's documented behaviour: the order it
asks in (name, memory, utilization, fan, temperature, then processes, then MIG devices), a GPU
that answers GPU_IS_LOST once is lost for the rest of the run, a device without memory figures
(not supported or total 0) shows the host's memory (the fixture host: 125.9GiB) when NVML says
it shares it (addressing mode ATS, asked then), N/A otherwise, MIG devices answer no fan or
temperature. Per-process detail lines are not compared (host data).
"""
import importlib.util
import json
import os
import sys

spec = importlib.util.spec_from_file_location(
    "gen", os.path.join(os.path.dirname(os.path.abspath(__file__)), "test_sim_clients_gen.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)

KiB, MiB, GiB, TiB = 1 << 10, 1 << 20, 1 << 30, 1 << 40
HOST_MEMORY = ("125.9GiB", "1559MiB", "122.7GiB")  # tests/fixtures/proc/basic


def human(b):
    """nvitop's bytes2human (Python's rounding: half to even)."""
    if b < KiB:
        return f"{b}B"
    if b < MiB:
        return f"{round(b / KiB)}KiB"
    if b < 100 * MiB:
        return f"{b / MiB:.2f}MiB"
    if b < 1000 * MiB:
        return f"{b / MiB:.1f}MiB"
    if b < 20 * GiB:
        return f"{round(b / MiB)}MiB"
    if b < 100 * GiB:
        return f"{b / GiB:.2f}GiB"
    if b < 1000 * GiB:
        return f"{b / GiB:.1f}GiB"
    return f"{b / TiB:.2f}TiB" if b < 100 * TiB else f"{b / TiB:.1f}TiB"


def options(v):
    """Every value a number may take (a seq may step while the example runs)."""
    if isinstance(v, dict) and "seq" in v:
        return set(v["seq"])
    return {v}


class Device:
    def __init__(self, d, parent=None):
        self.r = gen.Reader(d, parent)
        self.d, self.lost = d, False
        # Without a handle every answer is missing (lost: for good).
        self.no_handle = None if parent else gen.injected(d, "nvmlDeviceGetHandleByIndex_v2")
        if self.no_handle and self.no_handle["error"] == "NVML_ERROR_GPU_IS_LOST":
            self.lost = True

    def ask(self, answer):
        """NVML's answer as the library keeps it: None when missing."""
        if self.lost or self.no_handle:
            return None
        if isinstance(answer, dict) and "error" in answer:
            if answer["error"] == "NVML_ERROR_GPU_IS_LOST":
                self.lost = True
            return None
        return answer

    def lines(self, header):
        name = self.ask(self.r.value("nvmlDeviceGetName", self.d.get("name")))
        mem_answer = self.r.memory()["memory_v2"]
        mem = self.ask(mem_answer)
        no_memory = not self.lost and not self.no_handle and (
            mem_answer == gen.NS or (mem is not None and min(options(mem["total"])) == 0))
        ats = no_memory and self.ask(self.r.value(
            "nvmlDeviceGetAddressingMode", self.d.get("addressing_mode"))) == 2
        util = self.ask(self.r.memory()["utilization"])
        out = {}
        gen.fans(self.r, self.d, out)
        fan = self.ask(out["fan_speed"]) if not self.r.parent else self.ask(gen.NS)
        temp = self.ask(self.r.value("nvmlDeviceGetTemperatureV", self.d.get("temperature"))
                        if not self.r.parent else gen.NS)
        if ats:
            total, used, free = ({m} for m in HOST_MEMORY)
        elif mem:
            totals, useds = options(mem["total"]), options(mem["used"])
            reserved = mem.get("reserved", 0)
            total = {human(t) for t in totals}
            used = {human(u) for u in useds}
            free = {human(t - reserved - u) for t in totals for u in useds}
        else:
            total = used = free = {"N/A"}
        pct = lambda v: {f"{x}%" for x in options(v)} if v is not None else {"N/A"}
        yield {f"{header}name=\"{name if name is not None else 'N/A'}\", total_memory={t})"
               for t in total}
        yield {f"  - Fan speed:       {x}" for x in pct(fan)}
        yield {f"  - Temperature:     {x}" for x in
               ({f"{t}C" for t in options(temp)} if temp is not None else {"N/A"})}
        yield {f"  - GPU utilization: {x}" for x in pct(util["gpu"] if util else None)}
        yield {f"  - Total memory:    {x}" for x in total}
        yield {f"  - Used memory:     {x}" for x in used}
        yield {f"  - Free memory:     {x}" for x in free}
        yield self.process_line()

    def process_line(self):
        compute = self.ask(self.r.processes("nvmlDeviceGetComputeRunningProcesses_v3", ("C", "C+G")))
        graphics = self.ask(self.r.processes("nvmlDeviceGetGraphicsRunningProcesses_v3",
                                             ("G", "C+G")))
        if self.lost:
            return {"  - Processes: N/A (GPU is lost)"}
        if self.no_handle:
            return {"  - Processes (0): []"}
        pids = sorted({p["pid"] for p in (compute or []) + (graphics or [])})
        return {f"  - Processes ({len(pids)}): [{', '.join(map(str, pids))}]"}

    def migs(self):
        if self.lost or self.no_handle or self.r.parent:
            return []
        mode = self.ask(self.r.value("nvmlDeviceGetMigMode", self.d.get("mig_mode")))
        mode = mode[0] if isinstance(mode, list) else mode
        if mode != 1 or self.ask(self.r.value("nvmlDeviceGetMaxMigDeviceCount", 7)) is None:
            return []
        if self.r.err("nvmlDeviceGetMigDeviceHandleByIndex"):
            return []
        return [Device(m, self.d) for m in self.d.get("mig_devices", [])]


def expected(scenario):
    for i, d in enumerate(scenario.get("devices", [])):
        dev = Device(d)
        yield from dev.lines(f"PhysicalDevice(index={i}, ")
        for j, mig in enumerate(dev.migs()):
            yield from mig.lines(f"MigDevice(index=({i}, {j}), ")


def main():
    scenario = json.load(open(sys.argv[1]))
    got = [l for l in open(sys.argv[2]).read().splitlines()
           if not l.startswith("    - ") and not l.startswith("-" * 20)]
    want = list(expected(scenario))
    problems = [f"line {n}: got {g!r}, want one of {sorted(w)}"
                for n, (g, w) in enumerate(zip(got, want), 1) if g not in w]
    if len(got) != len(want):
        problems.append(f"{len(got)} lines, expected {len(want)}")
    if problems:
        sys.exit(f"{sys.argv[3]}:\n  " + "\n  ".join(problems[:20]))


if __name__ == "__main__":
    main()
