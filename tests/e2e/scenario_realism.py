#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that scenarios answer what a real driver could: per-process SM utilisation never adds
up to more than the device's own figure (both measure the same SMs), the two temperature calls
read one sensor, and nvmlDeviceGetMemoryInfo_v2 is not refused as NOT_SUPPORTED while v1 works
(NVML's signal of an integrated GPU; a driver without _v2 simply lacks the symbol).

    scenario_realism.py FILE...    one line per problem, exit 1 if any
"""
import json
import sys

GRID_S = 0.25     # sequences step at multiples of their step_s; the shipped ones use 0.5 s and up
HORIZON_S = 240.0


def value_at(num, t):
    if isinstance(num, dict):
        seq = num["seq"]
        return seq[int(t // num.get("step_s", 1.0)) % len(seq)]
    return num


def times(obj):
    """Every moment worth checking: the grid, over the horizon, if anything is a sequence."""
    if '"seq"' not in json.dumps(obj):
        return [0.0]
    return [i * GRID_S for i in range(int(HORIZON_S / GRID_S))]


def sm_problems(where, dev, processes):
    util = (dev.get("utilization") or {}).get("gpu")
    samples = [p for p in processes if p.get("sm") is not None]
    if util is None or not samples:
        return []
    for t in times([util, samples]):
        total = sum(value_at(p["sm"], t) for p in samples)
        device = value_at(util, t)
        if total > device:
            return ["%s: processes' SM utilisation adds up to %d%% at t=%gs, the device's is %d%%"
                    % (where, total, t, device)]
    return []


def error_problems(where, dev):
    errors = dev.get("errors") or {}
    out = []
    if "nvmlDeviceGetTemperatureV" in errors and "nvmlDeviceGetTemperature" not in errors:
        out.append("%s: nvmlDeviceGetTemperatureV fails (%s) while nvmlDeviceGetTemperature "
                   "reads the same sensor" % (where, errors["nvmlDeviceGetTemperatureV"]))
    if (errors.get("nvmlDeviceGetMemoryInfo_v2") == "NOT_SUPPORTED"
            and "nvmlDeviceGetMemoryInfo" not in errors):
        out.append("%s: nvmlDeviceGetMemoryInfo_v2 is NOT_SUPPORTED while v1 answers (NVML's sign "
                   "of an integrated GPU); model a driver without _v2 by its missing symbol"
                   % where)
    return out


def problems(path):
    with open(path) as f:
        scenario = json.load(f)
    out = []
    for i, dev in enumerate(scenario.get("devices") or []):
        where = "%s: devices[%d]" % (path, i)
        out += error_problems(where, dev)
        migs = dev.get("mig_devices") or []
        mig_procs = [p for m in migs for p in (m.get("processes") or [])]
        out += sm_problems(where, dev, (dev.get("processes") or []) + mig_procs)
        for k, mig in enumerate(migs):
            mig_where = "%s.mig_devices[%d]" % (where, k)
            out += error_problems(mig_where, mig)
            out += sm_problems(mig_where, mig, mig.get("processes") or [])
    return out


def main():
    found = [line for path in sys.argv[1:] for line in problems(path)]
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
