#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Value-by-value comparisons for scripts/gpu-verify.sh (standard library only).

  gpu-verify-compare.py smi NVITOP_JSON NVIDIA_SMI_XML
      `nvitop --json` against `nvidia-smi -q -x`, GPU by GPU (matched by UUID).
  gpu-verify-compare.py replay REAL_JSON REPLAY_JSON
      `nvitop --json` on the driver against `nvitop --json` on the simulator replaying a
      recording of it: identity and static values equal, what is not available unavailable
      for the same reason, live values within a tolerance.

Prints one line per value (ok / DIFF / skip) and a total; exits 1 when a value differs.
Static values must be equal; values that move between two reads (utilisation, temperature,
power, clocks, memory in use) only within the tolerance of each row.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

MIB = 1024 * 1024


class Report:
    def __init__(self):
        self.ok = self.diff = self.skip = 0

    def check(self, where, what, ours, theirs, tol=0):
        if ours is None or theirs is None:
            if ours is None and theirs is None:
                self.ok += 1
                print(f"ok    {where} {what}: N/A")
            else:
                self.skip += 1
                print(f"skip  {where} {what}: nvitop {ours!r}, other {theirs!r} (one side N/A)")
            return
        same = abs(ours - theirs) <= tol if isinstance(ours, (int, float)) and isinstance(
            theirs, (int, float)) else ours == theirs
        if same:
            self.ok += 1
            print(f"ok    {where} {what}: {ours!r}" + (f" ~ {theirs!r}" if ours != theirs else ""))
        else:
            self.diff += 1
            print(f"DIFF  {where} {what}: nvitop {ours!r}, other {theirs!r}"
                  + (f" (tolerance {tol})" if tol else ""))

    def strict(self, where, what, ours, theirs):
        """Both sides must agree, N/A included."""
        if ours == theirs:
            self.ok += 1
            print(f"ok    {where} {what}: {ours!r}")
        else:
            self.diff += 1
            print(f"DIFF  {where} {what}: nvitop {ours!r}, other {theirs!r}")

    def total(self):
        print(f"total: {self.ok} equal, {self.diff} different, {self.skip} skipped")
        return 1 if self.diff else 0


def number(text):
    """'81559 MiB' -> 81559.0, '16x' -> 16.0, 'P0' -> 0.0; None for N/A and the like."""
    if text is None:
        return None
    m = re.search(r"-?\d+(\.\d+)?", text.strip())
    if not m or "N/A" in text or "Not" in text or "Unknown" in text:
        return None
    return float(m.group(0))


def enabled(text):
    if text is None:
        return None
    t = text.strip()
    return {"Enabled": 1, "Disabled": 0}.get(t)


COMPUTE_MODES = {"Default": 0, "Exclusive_Thread": 1, "Prohibited": 2, "Exclusive_Process": 3}


def mib(value):
    return None if value is None else value / MIB


def compare_smi(nvitop, smi, rep):
    root = smi.getroot()
    rep.check("system", "driver_version", nvitop.get("driver_version"),
              root.findtext("driver_version"))
    text = root.findtext("cuda_version")
    rep.check("system", "cuda_version", nvitop.get("cuda_driver_version"),
              None if not text or "N/A" in text else text)
    gpus = {g.findtext("uuid"): g for g in root.findall("gpu")}
    devices = nvitop.get("devices", [])
    rep.strict("system", "GPU count", len(devices), len(gpus))
    for dev in devices:
        where = "GPU %s" % dev.get("index")
        g = gpus.get(dev.get("uuid"))
        if g is None:
            rep.strict(where, "uuid in nvidia-smi", dev.get("uuid"), None)
            continue
        f = g.findtext
        rep.check(where, "name", dev.get("name"), f("product_name"))
        rep.check(where, "serial", dev.get("serial"), None if f("serial") in (None, "N/A") else f("serial"))
        rep.check(where, "bus_id", dev.get("bus_id"), f("pci/pci_bus_id"))
        rep.check(where, "minor_number", dev.get("minor_number"), number(f("minor_number")))
        rep.check(where, "persistence_mode", dev.get("persistence_mode"), enabled(f("persistence_mode")))
        rep.check(where, "compute_mode", dev.get("compute_mode"), COMPUTE_MODES.get(f("compute_mode")))
        rep.check(where, "performance_state", dev.get("performance_state"), number(f("performance_state")))
        rep.check(where, "ecc_mode", dev.get("ecc_mode"), enabled(f("ecc_mode/current_ecc")))
        rep.check(where, "mig_mode", dev.get("mig_mode"), enabled(f("mig_mode/current_mig")))
        rep.check(where, "memory total MiB", mib(dev.get("memory_total_bytes")),
                  number(f("fb_memory_usage/total")), tol=1)
        rep.check(where, "memory reserved MiB", mib(dev.get("memory_reserved_bytes")),
                  number(f("fb_memory_usage/reserved")), tol=1)
        total = number(f("fb_memory_usage/total")) or 0
        rep.check(where, "memory used MiB", mib(dev.get("memory_used_bytes")),
                  number(f("fb_memory_usage/used")), tol=max(16, total * 0.02))
        rep.check(where, "BAR1 total MiB", mib(dev.get("bar1_total_bytes")),
                  number(f("bar1_memory_usage/total")), tol=1)
        rep.check(where, "BAR1 used MiB", mib(dev.get("bar1_used_bytes")),
                  number(f("bar1_memory_usage/used")), tol=max(16, total * 0.02))
        rep.check(where, "fan %", dev.get("fan_speed_percent"), number(f("fan_speed")), tol=10)
        rep.check(where, "temperature C", dev.get("temperature_c"),
                  number(f("temperature/gpu_temp")), tol=5)
        limit = dev.get("power_limit_mw")
        rep.check(where, "power limit W", None if limit is None else limit / 1000,
                  number(f("gpu_power_readings/current_power_limit") or f("power_readings/power_limit")),
                  tol=1)
        draw = dev.get("power_usage_mw")
        smi_draw = number(f("gpu_power_readings/instant_power_draw") or
                          f("gpu_power_readings/power_draw") or f("power_readings/power_draw"))
        rep.check(where, "power draw W", None if draw is None else draw / 1000, smi_draw,
                  tol=max(50, (smi_draw or 0) * 0.3))
        rep.check(where, "GPU utilisation %", dev.get("gpu_utilization_percent"),
                  number(f("utilization/gpu_util")), tol=30)
        for name in ("graphics", "sm", "mem", "video"):
            key = "memory" if name == "mem" else name
            rep.check(where, "max %s clock MHz" % name, dev.get("max_clock_%s_mhz" % key),
                      number(f("max_clocks/%s_clock" % name)))
        rep.check(where, "PCIe max gen", dev.get("pcie_link_gen_max"),
                  number(f("pci/pci_gpu_link_info/pcie_gen/max_link_gen")))
        rep.check(where, "PCIe max width", dev.get("pcie_link_width_max"),
                  number(f("pci/pci_gpu_link_info/link_widths/max_link_width")))
        # nvidia-smi lists a MIG device's processes under its GPU.
        uuids = {dev.get("uuid")} | {m.get("uuid") for m in dev.get("mig_devices", [])}
        ours = sorted(p["pid"] for p in nvitop.get("processes", [])
                      if p.get("device_uuid") in uuids)
        theirs = sorted(int(p.findtext("pid")) for p in g.findall("processes/process_info"))
        rep.check(where, "process ids", ours, theirs)


# Device keys of `nvitop --json` that do not change while a machine runs.
STATIC = ("name", "uuid", "bus_id", "serial", "minor_number", "brand", "architecture",
          "cuda_capability_major", "cuda_capability_minor", "memory_total_bytes",
          "memory_reserved_bytes", "bar1_total_bytes", "max_clock_graphics_mhz",
          "max_clock_sm_mhz", "max_clock_memory_mhz", "max_clock_video_mhz",
          "temperature_slowdown_c", "temperature_shutdown_c", "power_limit_mw", "persistence_mode",
          "display_mode", "compute_mode", "ecc_mode", "mig_mode", "max_mig_device_count",
          "pcie_link_gen_max", "pcie_link_width_max", "is_mig", "memory_is_host",
          "gpu_instance_id", "compute_instance_id")
# Live keys and their tolerance.
LIVE = {"memory_used_bytes": 0.02, "bar1_used_bytes": 0.02, "gpu_utilization_percent": 30,
        "memory_utilization_percent": 30, "temperature_c": 5, "power_usage_mw": 0.3,
        "clock_graphics_mhz": 0.3, "clock_sm_mhz": 0.3, "clock_memory_mhz": 0.3,
        "clock_video_mhz": 0.3, "fan_speed_percent": 10, "performance_state": 2}


def tolerance(key, value):
    t = LIVE[key]
    if t >= 1 or value is None:
        return t
    return max(1, abs(value) * t)


def compare_device(where, real, rep_dev, rep):
    for key in STATIC:
        rep.strict(where, key, real.get(key), rep_dev.get(key))
    for key in LIVE:
        rep.check(where, key, real.get(key), rep_dev.get(key), tol=tolerance(key, real.get(key)))
    # A value missing on the driver must be missing on the replay for the same reason (the
    # sampled-only ones aside: both runs skip them alike).
    ra = {k: v for k, v in real.get("unavailable", {}).items() if v != "not sampled"}
    pa = {k: v for k, v in rep_dev.get("unavailable", {}).items() if v != "not sampled"}
    rep.strict(where, "unavailable values", ra, pa)


def compare_replay(real, replay, rep):
    for key in ("driver_version", "nvml_version", "cuda_driver_version"):
        rep.strict("system", key, real.get(key), replay.get(key))
    rd, pd = real.get("devices", []), replay.get("devices", [])
    rep.strict("system", "device count", len(rd), len(pd))
    for a, b in zip(rd, pd):
        where = "GPU %s" % a.get("index")
        compare_device(where, a, b, rep)
        ma, mb = a.get("mig_devices", []), b.get("mig_devices", [])
        rep.strict(where, "MIG devices", len(ma), len(mb))
        for x, y in zip(ma, mb):
            compare_device("MIG %s" % x.get("index"), x, y, rep)
    procs = lambda doc: sorted((p["device_uuid"], p["pid"], p["type"]) for p in doc.get("processes", []))
    rep.check("system", "processes (device, pid, type)", procs(real), procs(replay))


def main(argv):
    if len(argv) != 4 or argv[1] not in ("smi", "replay"):
        sys.stderr.write(__doc__)
        return 2
    rep = Report()
    with open(argv[2]) as f:
        ours = json.load(f)
    if argv[1] == "smi":
        compare_smi(ours, ET.parse(argv[3]), rep)
    else:
        with open(argv[3]) as f:
            compare_replay(ours, json.load(f), rep)
    return rep.total()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
