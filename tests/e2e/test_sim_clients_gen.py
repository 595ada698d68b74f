#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Random scenarios for the NVML simulator and what an NVML client must read back from them.

    test_sim_clients_gen.py gen SEED SCENARIO.json EXPECTED.json
    test_sim_clients_gen.py compare EXPECTED.json ACTUAL.json LABEL

`gen` writes a seeded random scenario (values, nulls, absent keys, injected errors, processes,
MIG devices, NVLink) and the output tests/clients/nvml_client{.c,.py} must print for it, derived
here from docs/simulator.md independently of the simulator's code. `compare` checks a client's
output against that (NVLink counters, which grow with time, within bounds) and prints every
difference.
"""
import json
import random
import re
import sys

ABSENT = object()
NS = {"error": "NVML_ERROR_NOT_SUPPORTED"}
NA_MEMORY = 0xFFFFFFFFFFFFFFFF
NO_INSTANCE = 0xFFFFFFFF
ERROR_CODES = ["NO_PERMISSION", "UNKNOWN", "TIMEOUT", "NOT_SUPPORTED", "GPU_IS_LOST", "NO_DATA",
               "IN_USE"]
# Functions a scenario may make fail, by the name the clients call (and base names).
ERROR_TARGETS = [
    "nvmlDeviceGetName", "nvmlDeviceGetUUID", "nvmlDeviceGetSerial", "nvmlDeviceGetIndex",
    "nvmlDeviceGetMinorNumber", "nvmlDeviceGetBrand", "nvmlDeviceGetArchitecture",
    "nvmlDeviceGetPciInfo", "nvmlDeviceGetPciInfo_v3", "nvmlDeviceGetMemoryInfo",
    "nvmlDeviceGetMemoryInfo_v2", "nvmlDeviceGetBAR1MemoryInfo", "nvmlDeviceGetUtilizationRates",
    "nvmlDeviceGetEncoderUtilization", "nvmlDeviceGetFanSpeed", "nvmlDeviceGetFanSpeed_v2",
    "nvmlDeviceGetNumFans", "nvmlDeviceGetTemperature", "nvmlDeviceGetTemperatureV",
    "nvmlDeviceGetTemperatureThreshold", "nvmlDeviceGetPowerUsage",
    "nvmlDeviceGetPowerManagementLimit", "nvmlDeviceGetTotalEnergyConsumption",
    "nvmlDeviceGetPerformanceState", "nvmlDeviceGetEccMode", "nvmlDeviceGetTotalEccErrors",
    "nvmlDeviceGetClockInfo", "nvmlDeviceGetPcieThroughput", "nvmlDeviceGetCudaComputeCapability",
    "nvmlDeviceGetComputeRunningProcesses", "nvmlDeviceGetComputeRunningProcesses_v3",
    "nvmlDeviceGetGraphicsRunningProcesses_v3", "nvmlDeviceGetProcessUtilization",
    "nvmlDeviceGetMigMode", "nvmlDeviceGetFieldValues", "nvmlDeviceGetNvLinkState",
    "nvmlDeviceGetHandleByUUID", "nvmlDeviceGetHandleByPciBusId",
    "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetGpuInstanceId",
    "nvmlDeviceIsMigDeviceHandle", "nvmlDeviceGetMigDeviceHandleByIndex",
]
LOOKUPS = ("nvmlDeviceGetHandleByIndex", "nvmlDeviceGetHandleByUUID",
           "nvmlDeviceGetHandleByPciBusId")


# --- generation ---

def maybe(rng, make):
    r = rng.random()
    return make() if r < 0.8 else (None if r < 0.9 else ABSENT)


def clean(value):
    """Drops ABSENT keys (a key left out); in a list, ABSENT becomes null."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not ABSENT}
    if isinstance(value, (list, tuple)):
        return [None if v is ABSENT else clean(v) for v in value]
    return value


def text(rng, n):
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.\"\\/"
    return "".join(rng.choice(alphabet) for _ in range(n))


def hexid(rng, prefix):
    return "%s-%08x-%04x-%04x-%04x-%012x" % (prefix, rng.getrandbits(32), rng.getrandbits(16),
                                              rng.getrandbits(16), rng.getrandbits(16),
                                              rng.getrandbits(48))


def group(rng, keys, make):
    r = rng.random()
    if r < 0.1:
        return None
    if r < 0.15:
        return ABSENT
    return {k: maybe(rng, make) for k in keys}


def memory(rng, with_reserved=True):
    if rng.random() < 0.15:
        return rng.choice([None, ABSENT])
    total = rng.randint(1, 1 << 40)
    reserved = rng.randint(0, total // 10) if with_reserved and rng.random() < 0.7 else ABSENT
    used = rng.randint(0, total - (0 if reserved is ABSENT else reserved))
    out = {"total": total, "used": used if rng.random() < 0.9 else None}
    if with_reserved:
        out["reserved"] = reserved
    return out


def processes(rng, pids):
    out = []
    for _ in range(rng.randint(0, 5)):
        out.append({"pid": pids.pop(), "type": rng.choice(["C", "G", "C+G"]),
                    "used_memory": maybe(rng, lambda: rng.randint(0, 1 << 36)),
                    "sm": maybe(rng, lambda: rng.randint(0, 100)),
                    "mem": maybe(rng, lambda: rng.randint(0, 100)),
                    "enc": maybe(rng, lambda: rng.randint(0, 100)),
                    "dec": maybe(rng, lambda: rng.randint(0, 100))})
    return out


def errors(rng, star_ok=True):
    if rng.random() > 0.4:
        return ABSENT
    out = {fn: rng.choice(ERROR_CODES) for fn in rng.sample(ERROR_TARGETS, rng.randint(1, 4))}
    if star_ok and rng.random() < 0.15:
        out["*"] = rng.choice(ERROR_CODES)
    return out


def mig_devices(rng, pids, n):
    ids = rng.sample([(gi, ci) for gi in range(1, 15) for ci in range(0, 3)], n)
    return [{"gpu_instance_id": gi, "compute_instance_id": ci,
             "uuid": hexid(rng, "MIG") if rng.random() < 0.8 else ABSENT,
             "name": maybe(rng, lambda: text(rng, rng.randint(1, 40))),
             "memory": memory(rng, with_reserved=False),
             "bar1_memory": memory(rng, with_reserved=False),
             "utilization": group(rng, ["gpu", "memory"], lambda: rng.randint(0, 100)),
             "processes": processes(rng, pids), "errors": errors(rng, star_ok=False)}
            for gi, ci in ids]


def gen_nvlink(rng):
    if rng.random() < 0.3:
        return rng.choice([None, ABSENT])
    links = rng.randint(0, 4) if rng.random() < 0.9 else rng.randint(19, 36)  # up to 36 (CUDA 13.3)
    rate = lambda: maybe(rng, lambda: rng.randint(0, 100000))  # noqa: E731
    return {"links": links,
            "tx_kib_s": [rate() for _ in range(links)] if rng.random() < 0.5 else rate(),
            "rx_kib_s": rate()}


def device(rng, index, pids, buses):
    pct = lambda: rng.randint(0, 100)  # noqa: E731
    uint = lambda: rng.randint(0, 0xFFFFFFFF)  # noqa: E731
    while True:
        bus = (rng.choice([0, 0, 1, 0xABCD]), rng.randint(0, 255), rng.randint(0, 31))
        if bus not in buses:
            buses.add(bus)
            break
    fmt = rng.choice(["%08X:%02X:%02X.0", "%04x:%02x:%02x.0"])
    d = {
        "name": maybe(rng, lambda: text(rng, rng.randint(1, 40))),
        "uuid": hexid(rng, "GPU") if rng.random() < 0.9 else ABSENT,
        "serial": maybe(rng, lambda: str(rng.randint(10**4, 10**20))),
        "bus_id": maybe(rng, lambda: fmt % bus),
        "pci_device_id": maybe(rng, uint), "pci_subsystem_id": maybe(rng, uint),
        "minor_number": maybe(rng, lambda: index), "architecture": maybe(rng, lambda: 9),
        "brand": maybe(rng, lambda: rng.randint(0, 20)),
        "cuda_compute_capability": maybe(rng, lambda: [rng.randint(3, 12), rng.randint(0, 9)]),
        "memory": memory(rng), "bar1_memory": memory(rng, with_reserved=False),
        "utilization": group(rng, ["gpu", "memory"], pct),
        "encoder_utilization": maybe(rng, pct), "decoder_utilization": maybe(rng, pct),
        "fan_speed": rng.choice([None, ABSENT, pct(), [maybe(rng, pct)
                                                       for _ in range(rng.randint(0, 3))]]),
        "temperature": maybe(rng, lambda: rng.randint(0, 120)),
        "temperature_thresholds": group(rng, ["shutdown", "slowdown", "mem_max", "gpu_max"],
                                        lambda: rng.randint(60, 120)),
        "power_usage": maybe(rng, uint), "power_limit": maybe(rng, uint),
        "total_energy_consumption": maybe(rng, lambda: rng.randint(0, 1 << 50)),
        "performance_state": maybe(rng, lambda: rng.choice(list(range(16)) + [32])),
        "persistence_mode": maybe(rng, lambda: rng.randint(0, 1)),
        "display_mode": maybe(rng, lambda: rng.randint(0, 1)),
        "display_active": maybe(rng, lambda: rng.randint(0, 1)),
        "compute_mode": maybe(rng, lambda: rng.randint(0, 3)),
        "ecc_mode": rng.choice([None, ABSENT, 0, 1, [rng.randint(0, 1), rng.randint(0, 1)]]),
        "ecc_errors": group(rng, ["volatile_uncorrected", "aggregate_uncorrected",
                                  "volatile_corrected", "aggregate_corrected"],
                            lambda: rng.randint(0, 1000)),
        "clocks": group(rng, ["graphics", "sm", "mem", "video"], lambda: rng.randint(0, 5000)),
        "max_clocks": group(rng, ["graphics", "sm", "mem", "video"],
                            lambda: rng.randint(0, 5000)),
        "pcie": group(rng, ["tx_kib_s", "rx_kib_s", "max_link_gen", "max_link_width",
                            "curr_link_gen", "curr_link_width"], lambda: rng.randint(0, 100000)),
        "throttle_reasons": maybe(rng, lambda: rng.randint(0, 1 << 40)),
        "nvlink": gen_nvlink(rng),
        "processes": processes(rng, pids),
        "errors": errors(rng),
    }
    if rng.random() < 0.3:
        n = rng.randint(1, 3)
        d["mig_mode"] = rng.choice([1, [1, 0], [1, 1]])
        if rng.random() < 0.3:
            d["max_mig_device_count"] = rng.randint(n, 8)
        d["mig_devices"] = mig_devices(rng, pids, n)
    else:
        d["mig_mode"] = rng.choice([None, ABSENT, 0, [0, 1]])
    return d


def generate(seed):
    rng = random.Random(seed)
    pids = rng.sample(range(1, 1 << 32), 200)
    buses = set()
    return clean({
        "description": "random scenario, seed %d" % seed,
        "driver_version": maybe(rng, lambda: "%d.%d.%02d" % (rng.randint(400, 600),
                                                             rng.randint(0, 200),
                                                             rng.randint(0, 99))),
        "nvml_version": maybe(rng, lambda: "13.580.%d" % rng.randint(0, 999)),
        "cuda_driver_version": maybe(rng, lambda: rng.randint(10000, 13000)),
        "devices": [device(rng, i, pids, buses) for i in range(rng.randint(1, 4))],
    })


# --- what a client reads back (docs/simulator.md) ---

def base(fn):
    fn = re.sub(r"_v\d+$", "", fn)
    return "nvmlDeviceGetTemperature" if fn == "nvmlDeviceGetTemperatureV" else fn


def injected(d, fn, parent=None):
    errs = d.get("errors", {})
    code = errs.get(fn) or errs.get(base(fn))
    if code is None and base(fn) not in LOOKUPS:
        code = errs.get("*") or (parent or {}).get("errors", {}).get("*")
    return {"error": "NVML_ERROR_" + code} if code else None


class Reader:
    """The answers of one device (GPU, or MIG device with its parent)."""

    def __init__(self, d, parent=None):
        self.d, self.parent = d, parent

    def err(self, fn):
        return injected(self.d, fn, self.parent)

    def value(self, fn, v):
        return self.err(fn) or (NS if v is None else v)

    def field(self, fn, group, key):
        return self.value(fn, (self.d.get(group) or {}).get(key))

    def memory(self):
        m = self.d.get("memory")
        ok = m and m.get("total") is not None and m.get("used") is not None
        total, used = (m["total"], m["used"]) if ok else (0, 0)
        reserved = (m.get("reserved") or 0) if ok else 0
        free = total - reserved - used
        out = {"memory": self.err("nvmlDeviceGetMemoryInfo") or (
            {"total": total, "free": free, "used": used + reserved} if ok else NS),
            "memory_v2": self.err("nvmlDeviceGetMemoryInfo_v2") or (
            {"total": total, "reserved": reserved, "free": free, "used": used} if ok else NS)}
        b = self.d.get("bar1_memory")
        ok = b and b.get("total") is not None and b.get("used") is not None
        out["bar1"] = self.err("nvmlDeviceGetBAR1MemoryInfo") or (
            {"total": b["total"], "free": b["total"] - b["used"], "used": b["used"]}
            if ok else NS)
        u = self.d.get("utilization")
        ok = u and u.get("gpu") is not None and u.get("memory") is not None
        out["utilization"] = self.err("nvmlDeviceGetUtilizationRates") or (
            {"gpu": u["gpu"], "memory": u["memory"]} if ok else NS)
        return out

    def sources(self):
        """(device, MIG device whose ids its processes carry) for each process source."""
        if self.parent:
            return [(self.d, self.d)]
        return [(self.d, None)] + [(m, m) for m in self.d.get("mig_devices", [])]

    def processes(self, fn, kinds, v2=True):
        e = self.err(fn)
        if e:
            return e
        out = []
        for src, mig in self.sources():
            for p in src.get("processes", []):
                if p.get("type", "C") not in kinds:
                    continue
                used = p.get("used_memory")
                entry = {"pid": p["pid"], "used_memory": NA_MEMORY if used is None else used}
                if v2:
                    entry["gpu_instance_id"] = mig["gpu_instance_id"] if mig else NO_INSTANCE
                    entry["compute_instance_id"] = (mig["compute_instance_id"] if mig
                                                    else NO_INSTANCE)
                out.append(entry)
        return out

    def samples(self):
        e = self.err("nvmlDeviceGetProcessUtilization")
        if e:
            return e
        return [{"pid": p["pid"], "sm": p["sm"], "mem": p.get("mem") or 0,
                 "enc": p.get("enc") or 0, "dec": p.get("dec") or 0}
                for src, _ in self.sources() for p in src.get("processes", [])
                if p.get("sm") is not None]

    def identity(self, out):
        out["name"] = self.value("nvmlDeviceGetName", self.d.get("name"))
        out["uuid"] = self.value("nvmlDeviceGetUUID", self.d.get("uuid"))
        out["uuid_lookup"] = out["uuid"] if isinstance(out["uuid"], dict) else (
            injected(self.d, "nvmlDeviceGetHandleByUUID") or True)


def pci(r, d, out):
    bus_id = d.get("bus_id")
    if bus_id is None:
        out["pci"] = r.err("nvmlDeviceGetPciInfo_v3") or NS
        out["pci_v1"] = r.err("nvmlDeviceGetPciInfo") or NS
    else:
        dom, bus, dev = [int(x, 16) for x in re.split(r"[:.]", bus_id)[:3]]
        legacy = "%04X:%02X:%02X.0" % (dom & 0xFFFF, bus, dev)
        common = {"domain": dom, "bus": bus, "device": dev,
                  "pci_device_id": d.get("pci_device_id") or 0,
                  "pci_subsystem_id": d.get("pci_subsystem_id") or 0}
        out["pci"] = r.err("nvmlDeviceGetPciInfo_v3") or {
            "bus_id": "%08X:%02X:%02X.0" % (dom, bus, dev), "bus_id_legacy": legacy, **common}
        out["pci_v1"] = r.err("nvmlDeviceGetPciInfo") or {"bus_id": legacy, **common}
    out["pci_lookup"] = out["pci"] if "error" in out["pci"] else (
        injected(d, "nvmlDeviceGetHandleByPciBusId_v2") or True)


def fans(r, d, out):
    fan = d.get("fan_speed")
    speeds = [] if fan is None else (fan if isinstance(fan, list) else [fan])
    first = speeds[0] if speeds else None
    out["fan_speed"] = r.err("nvmlDeviceGetFanSpeed") or (NS if first is None else first)
    out["num_fans"] = r.err("nvmlDeviceGetNumFans") or len(speeds)
    if not isinstance(out["num_fans"], dict):
        out["fan_speeds"] = [r.value("nvmlDeviceGetFanSpeed_v2", s) for s in speeds]


def expected_nvlink(r, d):
    e = r.err("nvmlDeviceGetFieldValues")
    if e:
        return {"link_count": e}
    nv = d.get("nvlink")
    if nv is None:
        return {"link_count": NS, "links": []}
    n = nv.get("links", 0)
    links = []
    for i in range(n):
        rates = [nv.get(k) for k in ("tx_kib_s", "rx_kib_s")]
        rates = [rt[i] if isinstance(rt, list) else rt for rt in rates]
        links.append({"state": r.err("nvmlDeviceGetNvLinkState") or 1,
                      "tx": NS if rates[0] is None else {"~kib_rate": rates[0]},
                      "rx": NS if rates[1] is None else {"~kib_rate": rates[1]}})
    return {"link_count": n, "links": links}


def mig_entry(m, parent):
    r = Reader(m, parent)
    out = {"gpu_instance_id": r.value("nvmlDeviceGetGpuInstanceId", m["gpu_instance_id"]),
           "compute_instance_id": r.value("nvmlDeviceGetComputeInstanceId",
                                          m["compute_instance_id"]),
           "is_mig": r.value("nvmlDeviceIsMigDeviceHandle", 1),
           "parent_is_device": r.value("nvmlDeviceGetDeviceHandleFromMigDeviceHandle", True)}
    r.identity(out)
    out["index"] = r.err("nvmlDeviceGetIndex") or NS
    out["temperature"] = r.err("nvmlDeviceGetTemperature") or NS
    out.update(r.memory())
    out["compute_processes"] = r.processes("nvmlDeviceGetComputeRunningProcesses_v3", ("C", "C+G"))
    out["graphics_processes"] = r.processes("nvmlDeviceGetGraphicsRunningProcesses_v3",
                                            ("G", "C+G"))
    out["process_utilization"] = r.samples()
    return out


def mig(r, d, out):
    mode = d.get("mig_mode")
    cur, pend = (mode, mode) if isinstance(mode, int) else (mode or [None, None])
    out["mig_mode"] = r.err("nvmlDeviceGetMigMode") or (
        NS if mode is None else {"current": cur, "pending": pend})
    migs = d.get("mig_devices", [])
    count = d.get("max_mig_device_count", max(7, len(migs)) if cur == 1 else 0)
    out["max_mig_device_count"] = r.err("nvmlDeviceGetMaxMigDeviceCount") or (
        NS if mode is None else count)
    if isinstance(out["max_mig_device_count"], dict):
        return
    e = r.err("nvmlDeviceGetMigDeviceHandleByIndex")
    out["mig_devices"] = [{"handle": e} for _ in range(count)] if e else \
        [mig_entry(m, d) for m in migs]


def expected_device(i, d):
    e = injected(d, "nvmlDeviceGetHandleByIndex_v2")
    if e:
        return {"handle": e}
    r = Reader(d)
    out = {"index": r.value("nvmlDeviceGetIndex", i)}
    r.identity(out)
    out["serial"] = r.value("nvmlDeviceGetSerial", d.get("serial"))
    for key, fn in (("minor_number", "nvmlDeviceGetMinorNumber"),
                    ("brand", "nvmlDeviceGetBrand"), ("architecture", "nvmlDeviceGetArchitecture")):
        out[key] = r.value(fn, d.get(key))
    pci(r, d, out)
    out.update(r.memory())
    for key, fn in (("encoder", "nvmlDeviceGetEncoderUtilization"),
                    ("decoder", "nvmlDeviceGetDecoderUtilization")):
        v = d.get(key + "_utilization")
        out[key] = r.err(fn) or (NS if v is None else {"utilization": v,
                                                       "sampling_period_us": 100000})
    fans(r, d, out)
    out["temperature"] = r.value("nvmlDeviceGetTemperature", d.get("temperature"))
    out["temperature_v"] = r.value("nvmlDeviceGetTemperatureV", d.get("temperature"))
    out["thresholds"] = {k: r.field("nvmlDeviceGetTemperatureThreshold",
                                    "temperature_thresholds", k)
                         for k in ("shutdown", "slowdown", "mem_max", "gpu_max")}
    out["power_usage"] = r.value("nvmlDeviceGetPowerUsage", d.get("power_usage"))
    out["power_limit"] = r.value("nvmlDeviceGetPowerManagementLimit", d.get("power_limit"))
    out["enforced_power_limit"] = r.value("nvmlDeviceGetEnforcedPowerLimit", d.get("power_limit"))
    out["energy"] = r.value("nvmlDeviceGetTotalEnergyConsumption",
                            d.get("total_energy_consumption"))
    for key, fn in (("performance_state", "nvmlDeviceGetPerformanceState"),
                    ("persistence_mode", "nvmlDeviceGetPersistenceMode"),
                    ("display_mode", "nvmlDeviceGetDisplayMode"),
                    ("display_active", "nvmlDeviceGetDisplayActive"),
                    ("compute_mode", "nvmlDeviceGetComputeMode")):
        out[key] = r.value(fn, d.get(key))
    ecc = d.get("ecc_mode")
    out["ecc_mode"] = r.err("nvmlDeviceGetEccMode") or (
        NS if ecc is None else {"current": ecc if isinstance(ecc, int) else ecc[0],
                                "pending": ecc if isinstance(ecc, int) else ecc[1]})
    out["ecc_errors"] = {k: r.field("nvmlDeviceGetTotalEccErrors", "ecc_errors", k)
                         for k in ("volatile_uncorrected", "aggregate_uncorrected",
                                   "volatile_corrected", "aggregate_corrected")}
    for key, fn in (("clocks", "nvmlDeviceGetClockInfo"),
                    ("max_clocks", "nvmlDeviceGetMaxClockInfo")):
        out[key] = {k: r.field(fn, key, k) for k in ("graphics", "sm", "mem", "video")}
    out["pcie_tx"] = r.field("nvmlDeviceGetPcieThroughput", "pcie", "tx_kib_s")
    out["pcie_rx"] = r.field("nvmlDeviceGetPcieThroughput", "pcie", "rx_kib_s")
    for key, fn in (("max_link_gen", "nvmlDeviceGetMaxPcieLinkGeneration"),
                    ("max_link_width", "nvmlDeviceGetMaxPcieLinkWidth"),
                    ("curr_link_gen", "nvmlDeviceGetCurrPcieLinkGeneration"),
                    ("curr_link_width", "nvmlDeviceGetCurrPcieLinkWidth")):
        out[key] = r.field(fn, "pcie", key)
    out["cuda_compute_capability"] = r.value("nvmlDeviceGetCudaComputeCapability",
                                             d.get("cuda_compute_capability"))
    out["throttle_reasons"] = r.value("nvmlDeviceGetCurrentClocksThrottleReasons",
                                      d.get("throttle_reasons"))
    out["compute_processes"] = r.processes("nvmlDeviceGetComputeRunningProcesses_v3", ("C", "C+G"))
    out["graphics_processes"] = r.processes("nvmlDeviceGetGraphicsRunningProcesses_v3",
                                            ("G", "C+G"))
    out["mps_processes"] = r.processes("nvmlDeviceGetMPSComputeRunningProcesses_v3", ())
    out["compute_processes_v1"] = r.processes("nvmlDeviceGetComputeRunningProcesses",
                                              ("C", "C+G"), v2=False)
    out["process_utilization"] = r.samples()
    out["is_mig"] = r.value("nvmlDeviceIsMigDeviceHandle", 0)
    out["nvlink"] = expected_nvlink(r, d)
    mig(r, d, out)
    return out


def expected(sc):
    devices = sc.get("devices", [])
    cuda = sc.get("cuda_driver_version")
    return {"init": "NVML_SUCCESS",
            "driver_version": sc.get("driver_version") or NS,
            "nvml_version": sc.get("nvml_version") or NS,
            "cuda_driver_version": NS if cuda is None else cuda,
            "cuda_driver_version_v2": NS if cuda is None else cuda,
            "count": len(devices), "count_v2": len(devices),
            "devices": [expected_device(i, d) for i, d in enumerate(devices)],
            "shutdown": "NVML_SUCCESS"}


# --- comparison ---

def compare(want, got, path, problems):
    if isinstance(want, dict) and "~kib_rate" in want:
        # A cumulative counter: never negative, growing at most at that rate since init.
        if not isinstance(got, int) or got < 0 or got > want["~kib_rate"] * 600:
            problems.append("%s: %r is not a counter at %d KiB/s" % (path, got,
                                                                      want["~kib_rate"]))
        return
    if type(want) is not type(got):
        problems.append("%s: expected %r, got %r" % (path, want, got))
    elif isinstance(want, dict):
        for k in sorted(set(want) | set(got)):
            if k not in got or k not in want:
                problems.append("%s.%s: %s" % (path, k, "missing" if k not in got
                                               else "unexpected"))
            else:
                compare(want[k], got[k], path + "." + k, problems)
    elif isinstance(want, list):
        if len(want) != len(got):
            problems.append("%s: expected %d items, got %d: %r" % (path, len(want), len(got),
                                                                   got))
        for i, (w, g) in enumerate(zip(want, got)):
            compare(w, g, "%s[%d]" % (path, i), problems)
    elif want != got:
        problems.append("%s: expected %r, got %r" % (path, want, got))


def main(argv):
    if len(argv) == 5 and argv[1] == "gen":
        scenario = generate(int(argv[2]))
        with open(argv[3], "w") as f:
            json.dump(scenario, f, indent=1)
        with open(argv[4], "w") as f:
            json.dump(expected(scenario), f, indent=1)
        return 0
    if len(argv) == 5 and argv[1] == "compare":
        with open(argv[2]) as f:
            want = json.load(f)
        with open(argv[3]) as f:
            got = json.load(f)
        problems = []
        compare(want, got, "", problems)
        for p in problems:
            print("%s: %s" % (argv[4], p), file=sys.stderr)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
