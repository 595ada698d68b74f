#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generates the benchmark scenarios of the NVML simulator (deterministic: fixed seeds).

    sim/scenarios/gen-large.py [OUTPUT_DIR]

writes node-64gpu-4000proc.json (64 H100s, 4,000 processes) and node-8gpu-100proc.json
(8 H100s, 100 processes) next to this script (or into OUTPUT_DIR). Both carry the call latencies
measured on a real H100 (reference/h100/nvml-call-costs.txt) so that benchmarks see the cost of
a real driver. The generated files are committed; rerun this after changing it.
"""
import json
import os
import random
import sys

# Measured on an H100, driver 580.159.04 (µs, rounded; sub-microsecond calls left out).
H100_LATENCY_US = {
    "nvmlInit": 10983,
    "nvmlShutdown": 3003,
    "nvmlDeviceGetPciInfo_v3": 1,
    "nvmlDeviceGetMemoryInfo": 6,
    "nvmlDeviceGetUtilizationRates": 3,
    "nvmlDeviceGetTemperature": 1,
    "nvmlDeviceGetPowerUsage": 2,
    "nvmlDeviceGetFanSpeed": 128,
    "nvmlDeviceGetClockInfo": 1,
    "nvmlDeviceGetPcieThroughput": 20700,
    "nvmlDeviceGetComputeRunningProcesses": 32,
    "nvmlDeviceGetGraphicsRunningProcesses": 20,
    "nvmlDeviceGetProcessUtilization": 1,
}

MIB = 1024 * 1024
TOTAL = 85520809984
RESERVED = 503775232
BAR1_TOTAL = 137438953472


def seq(rng, lo, hi, n=8, step=1.0):
    return {"seq": [rng.randint(lo, hi) for _ in range(n)], "step_s": step}


def process(rng, pid, budget):
    used = rng.randint(64, max(64, budget // MIB)) * MIB
    kind = rng.choices(["C", "C+G", "G"], weights=[90, 5, 5])[0]
    proc = {"pid": pid, "type": kind, "used_memory": used}
    if rng.random() < 0.9:  # some processes have no utilization sample yet
        proc.update(sm=rng.randint(0, 100), mem=rng.randint(0, 60), enc=0, dec=0)
    return proc


def fit_process_sm(procs, gpu_util):
    """Scales the processes' SM shares down so that their sum never exceeds the device's
    utilisation (its lowest value over the sequence), as on real hardware: NVML's per-process
    SM utilisation is a share of the same SMs the device figure measures. Draws nothing from
    the generator, so every other value stays as it was."""
    cap = min(gpu_util["seq"])
    total = sum(p.get("sm", 0) for p in procs)
    if total <= cap:
        return
    for p in procs:
        if "sm" in p:
            p["sm"] = p["sm"] * cap // total


def device(rng, index, n_procs, pids):
    budget = (TOTAL - RESERVED - 2048 * MIB) // max(1, n_procs)
    procs = [process(rng, pids.pop(), budget) for _ in range(n_procs)]
    used = min(TOTAL - RESERVED, sum(p["used_memory"] for p in procs) + 512 * MIB)
    bus = 0x18 + index * 4
    gpu = {

        "name": "NVIDIA H100 80GB HBM3",
        "uuid": "GPU-%08x-%04x-%04x-%04x-%012x" % (
            rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16),
            rng.getrandbits(16), rng.getrandbits(48)),
        "serial": str(1653723031174 + index),
        "bus_id": "%08X:%02X:00.0" % (index // 32, bus % 256),
        "pci_device_id": 590352606,
        "pci_subsystem_id": 381751518,
        "minor_number": index,
        "architecture": 9,
        "brand": 14,
        "cuda_compute_capability": [9, 0],
        "memory": {"total": TOTAL, "reserved": RESERVED, "used": used},
        "bar1_memory": {"total": BAR1_TOTAL, "used": min(BAR1_TOTAL, used + 2 * MIB)},
        "utilization": {"gpu": seq(rng, 60, 100), "memory": seq(rng, 10, 60)},
        "encoder_utilization": 0,
        "decoder_utilization": 0,
        "fan_speed": None,
        "temperature": seq(rng, 45, 75, step=2.0),
        "temperature_thresholds": {"shutdown": 95, "slowdown": 89, "mem_max": 95,
                                   "gpu_max": 87},
        "power_usage": seq(rng, 350000, 700000),
        "power_limit": 700000,
        "total_energy_consumption": rng.randint(10**7, 10**10),
        "performance_state": 0,
        "persistence_mode": 1,
        "display_mode": 0,
        "display_active": 0,
        "compute_mode": 0,
        "ecc_mode": 1,
        "ecc_errors": {"volatile_uncorrected": 0, "aggregate_uncorrected": 0},
        "clocks": {"graphics": 1980, "sm": 1980, "mem": 2619, "video": 1545},
        "max_clocks": {"graphics": 1980, "sm": 1980, "mem": 2619, "video": 1545},
        "pcie": {"tx_kib_s": seq(rng, 1000, 60000), "rx_kib_s": seq(rng, 1000, 60000),
                 "max_link_gen": 5, "max_link_width": 16, "curr_link_gen": 5,
                 "curr_link_width": 16},
        "nvlink": {"links": 18, "tx_kib_s": rng.randint(10**5, 10**7),
                   "rx_kib_s": rng.randint(10**5, 10**7)},
        "throttle_reasons": 0,
        "mig_mode": 0,
        "processes": procs,
    }
    fit_process_sm(procs, gpu["utilization"]["gpu"])
    return gpu


def node(seed, n_gpus, n_procs, description):
    rng = random.Random(seed)
    # Distinct pids spread over the usual range of a busy host.
    pids = rng.sample(range(1000, 4194304), n_procs)
    per_gpu = [n_procs // n_gpus + (1 if i < n_procs % n_gpus else 0) for i in range(n_gpus)]
    return {
        "description": description,
        "driver_version": "580.159.04",
        "nvml_version": "13.580.159.04",
        "cuda_driver_version": 13000,
        "latency_us": H100_LATENCY_US,
        "devices": [device(rng, i, per_gpu[i], pids) for i in range(n_gpus)],
    }


def dump(value, indent=0):
    """JSON with one line per process and per small object, so diffs stay readable."""
    pad = "  " * indent
    if isinstance(value, dict) and len(json.dumps(value)) > 100:
        items = ",\n".join('%s  %s: %s' % (pad, json.dumps(k), dump(v, indent + 1))
                           for k, v in value.items())
        return "{\n%s\n%s}" % (items, pad)
    if isinstance(value, list) and len(json.dumps(value)) > 100:
        items = ",\n".join("%s  %s" % (pad, dump(v, indent + 1)) for v in value)
        return "[\n%s\n%s]" % (items, pad)
    return json.dumps(value)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    nodes = {
        "node-64gpu-4000proc.json": node(
            64, 64, 4000,
            "Benchmark: 64 H100s with 4,000 processes and the call latencies of a real H100. "
            "Generated by gen-large.py."),
        "node-8gpu-100proc.json": node(
            8, 8, 100,
            "Benchmark: 8 H100s with 100 processes and the call latencies of a real H100. "
            "Generated by gen-large.py."),
    }
    for name, scenario in nodes.items():
        with open(os.path.join(out, name), "w") as f:
            f.write(dump(scenario) + "\n")


if __name__ == "__main__":
    main()
