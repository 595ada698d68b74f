#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""An independent NVML client in Python, binding libnvidia-ml.so.1 with ctypes the way pynvml
does (its own structure declarations, written from the public NVML API reference).

    nvml_client.py [LIBRARY]

loads LIBRARY (default: libnvidia-ml.so.1 from the loader's search path) and prints, as JSON,
every value it reads for every device and MIG device; a failed call prints
{"error": "NVML_ERROR_..."}. Same output as nvml_client.c.
"""
import ctypes
import json
import sys

ERROR_NAMES = [
    "NVML_SUCCESS", "NVML_ERROR_UNINITIALIZED", "NVML_ERROR_INVALID_ARGUMENT",
    "NVML_ERROR_NOT_SUPPORTED", "NVML_ERROR_NO_PERMISSION", "NVML_ERROR_ALREADY_INITIALIZED",
    "NVML_ERROR_NOT_FOUND", "NVML_ERROR_INSUFFICIENT_SIZE", "NVML_ERROR_INSUFFICIENT_POWER",
    "NVML_ERROR_DRIVER_NOT_LOADED", "NVML_ERROR_TIMEOUT", "NVML_ERROR_IRQ_ISSUE",
    "NVML_ERROR_LIBRARY_NOT_FOUND", "NVML_ERROR_FUNCTION_NOT_FOUND",
    "NVML_ERROR_CORRUPTED_INFOROM", "NVML_ERROR_GPU_IS_LOST", "NVML_ERROR_RESET_REQUIRED",
    "NVML_ERROR_OPERATING_SYSTEM", "NVML_ERROR_LIB_RM_VERSION_MISMATCH", "NVML_ERROR_IN_USE",
    "NVML_ERROR_MEMORY", "NVML_ERROR_NO_DATA", "NVML_ERROR_VGPU_ECC_NOT_SUPPORTED",
    "NVML_ERROR_INSUFFICIENT_RESOURCES", "NVML_ERROR_FREQ_NOT_SUPPORTED",
    "NVML_ERROR_ARGUMENT_VERSION_MISMATCH", "NVML_ERROR_DEPRECATED", "NVML_ERROR_NOT_READY",
    "NVML_ERROR_GPU_NOT_FOUND", "NVML_ERROR_INVALID_STATE",
]
NOT_FOUND, INSUFFICIENT_SIZE, FUNCTION_NOT_FOUND = 6, 7, 13
FI_NVLINK_LINK_COUNT, FI_NVLINK_DATA_TX, FI_NVLINK_DATA_RX = 91, 138, 139

uint, ulonglong, c_int = ctypes.c_uint, ctypes.c_ulonglong, ctypes.c_int


class struct_c_nvmlDevice_t(ctypes.Structure):
    pass


c_nvmlDevice_t = ctypes.POINTER(struct_c_nvmlDevice_t)


class PciInfo(ctypes.Structure):
    _fields_ = [("busIdLegacy", ctypes.c_char * 16), ("domain", uint), ("bus", uint),
                ("device", uint), ("pciDeviceId", uint), ("pciSubSystemId", uint),
                ("busId", ctypes.c_char * 32)]


class PciInfoV1(ctypes.Structure):
    _fields_ = [("busId", ctypes.c_char * 16), ("domain", uint), ("bus", uint),
                ("device", uint), ("pciDeviceId", uint), ("pciSubSystemId", uint),
                ("reserved", uint * 4)]


class Memory(ctypes.Structure):
    _fields_ = [("total", ulonglong), ("free", ulonglong), ("used", ulonglong)]


class MemoryV2(ctypes.Structure):
    _fields_ = [("version", uint), ("total", ulonglong), ("reserved", ulonglong),
                ("free", ulonglong), ("used", ulonglong)]


class BAR1Memory(ctypes.Structure):
    _fields_ = [("bar1Total", ulonglong), ("bar1Free", ulonglong), ("bar1Used", ulonglong)]


class Utilization(ctypes.Structure):
    _fields_ = [("gpu", uint), ("memory", uint)]


class TemperatureV1(ctypes.Structure):
    _fields_ = [("version", uint), ("sensorType", uint), ("temperature", c_int)]


class ProcessInfoV1(ctypes.Structure):
    _fields_ = [("pid", uint), ("usedGpuMemory", ulonglong)]


class ProcessInfoV2(ctypes.Structure):
    _fields_ = [("pid", uint), ("usedGpuMemory", ulonglong), ("gpuInstanceId", uint),
                ("computeInstanceId", uint)]


class ProcessSample(ctypes.Structure):
    _fields_ = [("pid", uint), ("timeStamp", ulonglong), ("smUtil", uint), ("memUtil", uint),
                ("encUtil", uint), ("decUtil", uint)]


class Value(ctypes.Union):
    _fields_ = [("dVal", ctypes.c_double), ("uiVal", uint), ("ulVal", ctypes.c_ulong),
                ("ullVal", ulonglong), ("sllVal", ctypes.c_longlong)]


class FieldValue(ctypes.Structure):
    _fields_ = [("fieldId", uint), ("scopeId", uint), ("timestamp", ctypes.c_longlong),
                ("latencyUsec", ctypes.c_longlong), ("valueType", c_int),
                ("nvmlReturn", c_int), ("value", Value)]


def version(struct, ver):
    return ctypes.sizeof(struct) | (ver << 24)


def address(handle):
    return ctypes.cast(handle, ctypes.c_void_p).value


class Client:
    def __init__(self, path):
        self.lib = ctypes.CDLL(path)

    def call(self, name, *args):
        try:
            fn = getattr(self.lib, name)
        except AttributeError:
            return FUNCTION_NOT_FOUND
        fn.restype = c_int
        return fn(*args)

    @staticmethod
    def error(rc):
        if 0 <= rc < len(ERROR_NAMES):
            return {"error": ERROR_NAMES[rc]}
        return {"error": "NVML_ERROR_UNKNOWN" if rc == 999 else "NVML_ERROR_%d" % rc}

    def value(self, name, ctype, *args, convert=lambda v: v.value):
        v = ctype()
        rc = self.call(name, *args, ctypes.byref(v))
        return (convert(v) if rc == 0 else self.error(rc)), rc

    def string(self, name, dev, length):
        buf = ctypes.create_string_buffer(length)
        rc = self.call(name, dev, buf, uint(length))
        return (buf.value.decode() if rc == 0 else self.error(rc)), rc

    def struct(self, name, dev, obj, fields):
        rc = self.call(name, dev, ctypes.byref(obj))
        if rc != 0:
            return self.error(rc)
        return {key: (getattr(obj, attr).decode() if isinstance(getattr(obj, attr), bytes)
                      else getattr(obj, attr)) for key, attr in fields}

    def system(self, out):
        for key, name in (("driver_version", "nvmlSystemGetDriverVersion"),
                          ("nvml_version", "nvmlSystemGetNVMLVersion")):
            buf = ctypes.create_string_buffer(96)
            rc = self.call(name, buf, uint(96))
            out[key] = buf.value.decode() if rc == 0 else self.error(rc)
        out["cuda_driver_version"] = self.value("nvmlSystemGetCudaDriverVersion", c_int)[0]
        out["cuda_driver_version_v2"] = self.value("nvmlSystemGetCudaDriverVersion_v2", c_int)[0]
        out["count"] = self.value("nvmlDeviceGetCount", uint)[0]

    def lookup(self, name, have_rc, ident, expect):
        if have_rc != 0:
            return self.error(have_rc)
        found = c_nvmlDevice_t()
        rc = self.call(name, ident.encode(), ctypes.byref(found))
        return address(found) == address(expect) if rc == 0 else self.error(rc)

    def memory(self, dev, out):
        out["memory"] = self.struct("nvmlDeviceGetMemoryInfo", dev, Memory(),
                                    [("total", "total"), ("free", "free"), ("used", "used")])
        out["memory_v2"] = self.struct(
            "nvmlDeviceGetMemoryInfo_v2", dev, MemoryV2(version=version(MemoryV2, 2)),
            [("total", "total"), ("reserved", "reserved"), ("free", "free"), ("used", "used")])
        out["bar1"] = self.struct("nvmlDeviceGetBAR1MemoryInfo", dev, BAR1Memory(),
                                  [("total", "bar1Total"), ("free", "bar1Free"),
                                   ("used", "bar1Used")])

    def utilization(self, dev, out):
        out["utilization"] = self.struct("nvmlDeviceGetUtilizationRates", dev, Utilization(),
                                         [("gpu", "gpu"), ("memory", "memory")])

    def selected(self, dev, name, keys):
        return {key: self.value(name, uint, dev, uint(i))[0] for i, key in enumerate(keys)}

    def processes(self, dev, name, v2=True):
        count = uint(0)
        rc = self.call(name, dev, ctypes.byref(count), None)
        items = []
        if rc == INSUFFICIENT_SIZE:
            items = ((ProcessInfoV2 if v2 else ProcessInfoV1) * count.value)()
            rc = self.call(name, dev, ctypes.byref(count), items)
        if rc != 0:
            return self.error(rc)
        out = []
        for p in items[:count.value]:
            entry = {"pid": p.pid, "used_memory": p.usedGpuMemory}
            if v2:
                entry.update(gpu_instance_id=p.gpuInstanceId,
                             compute_instance_id=p.computeInstanceId)
            out.append(entry)
        return out

    def samples(self, dev):
        name = "nvmlDeviceGetProcessUtilization"
        count = uint(0)
        rc = self.call(name, dev, None, ctypes.byref(count), ulonglong(0))
        items = []
        if rc == INSUFFICIENT_SIZE:
            items = (ProcessSample * count.value)()
            rc = self.call(name, dev, items, ctypes.byref(count), ulonglong(0))
        if rc != 0:
            return self.error(rc)
        return [{"pid": s.pid, "sm": s.smUtil, "mem": s.memUtil, "enc": s.encUtil,
                 "dec": s.decUtil} for s in items[:count.value]]

    def fields(self, dev, ids, scope=0):
        values = (FieldValue * len(ids))()
        for v, fid in zip(values, ids):
            v.fieldId, v.scopeId = fid, scope
        rc = self.call("nvmlDeviceGetFieldValues", dev, c_int(len(ids)), values)
        out = []
        for v in values:
            r = rc if rc != 0 else v.nvmlReturn
            out.append(self.error(r) if r != 0 else
                       (v.value.uiVal if v.valueType == 1 else v.value.ullVal))
        return out, rc

    def nvlink(self, dev):
        (count,), rc = self.fields(dev, [FI_NVLINK_LINK_COUNT])
        if rc != 0:
            return {"link_count": self.error(rc)}
        links = []
        for i in range(min(count, 36) if isinstance(count, int) else 0):  # NVML_NVLINK_MAX_LINKS
            state = self.value("nvmlDeviceGetNvLinkState", uint, dev, uint(i))[0]
            (tx, rx), _ = self.fields(dev, [FI_NVLINK_DATA_TX, FI_NVLINK_DATA_RX], i)
            links.append({"state": state, "tx": tx, "rx": rx})
        return {"link_count": count, "links": links}

    def mig_device(self, parent, mig):
        out = {}
        for key, name in (("gpu_instance_id", "nvmlDeviceGetGpuInstanceId"),
                          ("compute_instance_id", "nvmlDeviceGetComputeInstanceId"),
                          ("is_mig", "nvmlDeviceIsMigDeviceHandle")):
            out[key] = self.value(name, uint, mig)[0]
        up = c_nvmlDevice_t()
        rc = self.call("nvmlDeviceGetDeviceHandleFromMigDeviceHandle", mig, ctypes.byref(up))
        out["parent_is_device"] = address(up) == address(parent) if rc == 0 else self.error(rc)
        out["name"] = self.string("nvmlDeviceGetName", mig, 96)[0]
        out["uuid"], rc = self.string("nvmlDeviceGetUUID", mig, 96)
        out["uuid_lookup"] = self.lookup("nvmlDeviceGetHandleByUUID", rc, str(out["uuid"]), mig)
        out["index"] = self.value("nvmlDeviceGetIndex", uint, mig)[0]
        out["temperature"] = self.value("nvmlDeviceGetTemperature", uint, mig, uint(0))[0]
        self.memory(mig, out)
        self.utilization(mig, out)
        out["compute_processes"] = self.processes(mig, "nvmlDeviceGetComputeRunningProcesses_v3")
        out["graphics_processes"] = self.processes(mig,
                                                   "nvmlDeviceGetGraphicsRunningProcesses_v3")
        out["process_utilization"] = self.samples(mig)
        return out

    def mig(self, dev, out):
        cur, pend = uint(), uint()
        rc = self.call("nvmlDeviceGetMigMode", dev, ctypes.byref(cur), ctypes.byref(pend))
        out["mig_mode"] = {"current": cur.value, "pending": pend.value} if rc == 0 \
            else self.error(rc)
        out["max_mig_device_count"], rc = self.value("nvmlDeviceGetMaxMigDeviceCount", uint, dev)
        if rc != 0:
            return
        migs = []
        for i in range(min(out["max_mig_device_count"], 64)):
            handle = c_nvmlDevice_t()
            rc = self.call("nvmlDeviceGetMigDeviceHandleByIndex", dev, uint(i),
                           ctypes.byref(handle))
            if rc == NOT_FOUND:
                continue
            migs.append(self.mig_device(dev, handle) if rc == 0 else {"handle": self.error(rc)})
        out["mig_devices"] = migs

    def pci(self, dev, out):
        pci = PciInfo()
        rc = self.call("nvmlDeviceGetPciInfo_v3", dev, ctypes.byref(pci))
        common = [("domain", "domain"), ("bus", "bus"), ("device", "device"),
                  ("pci_device_id", "pciDeviceId"), ("pci_subsystem_id", "pciSubSystemId")]
        out["pci"] = self.error(rc) if rc != 0 else {
            "bus_id": pci.busId.decode(), "bus_id_legacy": pci.busIdLegacy.decode(),
            **{k: getattr(pci, a) for k, a in common}}
        out["pci_v1"] = self.struct("nvmlDeviceGetPciInfo", dev, PciInfoV1(),
                                    [("bus_id", "busId")] + common)
        out["pci_lookup"] = self.lookup("nvmlDeviceGetHandleByPciBusId_v2", rc,
                                        pci.busId.decode(), dev)

    def modes(self, dev, out):
        for key, name in (("performance_state", "nvmlDeviceGetPerformanceState"),
                          ("persistence_mode", "nvmlDeviceGetPersistenceMode"),
                          ("display_mode", "nvmlDeviceGetDisplayMode"),
                          ("display_active", "nvmlDeviceGetDisplayActive"),
                          ("compute_mode", "nvmlDeviceGetComputeMode")):
            out[key] = self.value(name, uint, dev)[0]
        cur, pend = uint(), uint()
        rc = self.call("nvmlDeviceGetEccMode", dev, ctypes.byref(cur), ctypes.byref(pend))
        out["ecc_mode"] = {"current": cur.value, "pending": pend.value} if rc == 0 \
            else self.error(rc)
        ecc = {}
        for unc, agg, key in ((1, 0, "volatile_uncorrected"), (1, 1, "aggregate_uncorrected"),
                              (0, 0, "volatile_corrected"), (0, 1, "aggregate_corrected")):
            ecc[key] = self.value("nvmlDeviceGetTotalEccErrors", ulonglong, dev, c_int(unc),
                                  c_int(agg))[0]
        out["ecc_errors"] = ecc

    def clocks_pcie(self, dev, out):
        clocks = ["graphics", "sm", "mem", "video"]
        out["clocks"] = self.selected(dev, "nvmlDeviceGetClockInfo", clocks)
        out["max_clocks"] = self.selected(dev, "nvmlDeviceGetMaxClockInfo", clocks)
        out.update(self.selected(dev, "nvmlDeviceGetPcieThroughput", ["pcie_tx", "pcie_rx"]))
        for key, name in (("max_link_gen", "nvmlDeviceGetMaxPcieLinkGeneration"),
                          ("max_link_width", "nvmlDeviceGetMaxPcieLinkWidth"),
                          ("curr_link_gen", "nvmlDeviceGetCurrPcieLinkGeneration"),
                          ("curr_link_width", "nvmlDeviceGetCurrPcieLinkWidth")):
            out[key] = self.value(name, uint, dev)[0]
        major, minor = c_int(), c_int()
        rc = self.call("nvmlDeviceGetCudaComputeCapability", dev, ctypes.byref(major),
                       ctypes.byref(minor))
        out["cuda_compute_capability"] = [major.value, minor.value] if rc == 0 \
            else self.error(rc)
        out["throttle_reasons"] = self.value("nvmlDeviceGetCurrentClocksThrottleReasons",
                                             ulonglong, dev)[0]

    def device(self, dev):
        out = {"index": self.value("nvmlDeviceGetIndex", uint, dev)[0],
               "name": self.string("nvmlDeviceGetName", dev, 96)[0]}
        out["uuid"], rc = self.string("nvmlDeviceGetUUID", dev, 96)
        out["uuid_lookup"] = self.lookup("nvmlDeviceGetHandleByUUID", rc, str(out["uuid"]), dev)
        out["serial"] = self.string("nvmlDeviceGetSerial", dev, 30)[0]
        for key, name in (("minor_number", "nvmlDeviceGetMinorNumber"),
                          ("brand", "nvmlDeviceGetBrand"),
                          ("architecture", "nvmlDeviceGetArchitecture")):
            out[key] = self.value(name, uint, dev)[0]
        self.pci(dev, out)
        self.memory(dev, out)
        self.utilization(dev, out)
        for key, name in (("encoder", "nvmlDeviceGetEncoderUtilization"),
                          ("decoder", "nvmlDeviceGetDecoderUtilization")):
            util, period = uint(), uint()
            rc = self.call(name, dev, ctypes.byref(util), ctypes.byref(period))
            out[key] = {"utilization": util.value, "sampling_period_us": period.value} \
                if rc == 0 else self.error(rc)
        out["fan_speed"] = self.value("nvmlDeviceGetFanSpeed", uint, dev)[0]
        out["num_fans"], rc = self.value("nvmlDeviceGetNumFans", uint, dev)
        if rc == 0:
            out["fan_speeds"] = [self.value("nvmlDeviceGetFanSpeed_v2", uint, dev, uint(i))[0]
                                 for i in range(min(out["num_fans"], 64))]
        out["temperature"] = self.value("nvmlDeviceGetTemperature", uint, dev, uint(0))[0]
        temp = TemperatureV1(version=version(TemperatureV1, 1), sensorType=0)
        rc = self.call("nvmlDeviceGetTemperatureV", dev, ctypes.byref(temp))
        out["temperature_v"] = temp.temperature if rc == 0 else self.error(rc)
        out["thresholds"] = self.selected(dev, "nvmlDeviceGetTemperatureThreshold",
                                          ["shutdown", "slowdown", "mem_max", "gpu_max"])
        for key, name in (("power_usage", "nvmlDeviceGetPowerUsage"),
                          ("power_limit", "nvmlDeviceGetPowerManagementLimit"),
                          ("enforced_power_limit", "nvmlDeviceGetEnforcedPowerLimit")):
            out[key] = self.value(name, uint, dev)[0]
        out["energy"] = self.value("nvmlDeviceGetTotalEnergyConsumption", ulonglong, dev)[0]
        self.modes(dev, out)
        self.clocks_pcie(dev, out)
        for key, name in (("compute_processes", "nvmlDeviceGetComputeRunningProcesses_v3"),
                          ("graphics_processes", "nvmlDeviceGetGraphicsRunningProcesses_v3"),
                          ("mps_processes", "nvmlDeviceGetMPSComputeRunningProcesses_v3")):
            out[key] = self.processes(dev, name)
        out["compute_processes_v1"] = self.processes(
            dev, "nvmlDeviceGetComputeRunningProcesses", v2=False)
        out["process_utilization"] = self.samples(dev)
        out["is_mig"] = self.value("nvmlDeviceIsMigDeviceHandle", uint, dev)[0]
        out["nvlink"] = self.nvlink(dev)
        self.mig(dev, out)
        return out

    def run(self):
        rc = self.call("nvmlInit_v2")
        out = {"init": "NVML_SUCCESS" if rc == 0 else self.error(rc)}
        if rc != 0:
            return out
        self.system(out)
        out["count_v2"], rc = self.value("nvmlDeviceGetCount_v2", uint)
        devices = []
        for i in range(out["count_v2"] if rc == 0 else 0):
            dev = c_nvmlDevice_t()
            hr = self.call("nvmlDeviceGetHandleByIndex_v2", uint(i), ctypes.byref(dev))
            devices.append(self.device(dev) if hr == 0 else {"handle": self.error(hr)})
        out["devices"] = devices
        rc = self.call("nvmlShutdown")
        out["shutdown"] = "NVML_SUCCESS" if rc == 0 else self.error(rc)
        return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "libnvidia-ml.so.1"
    try:
        client = Client(path)
    except OSError as e:
        print("nvml_client.py: cannot load %s: %s" % (path, e), file=sys.stderr)
        return 2
    print(json.dumps(client.run(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
