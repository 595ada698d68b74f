# SPDX-License-Identifier: Apache-2.0
"""ctypes view of libnvitop's device API (include/nvitop/device.h, cuda.h, process.h).

DeviceSnapshot mirrors nvitop_device_snapshot_t field by field; tests/python/test_device_abi.py
checks every offset and size against tests/abi/layout_1_7_0.h and against the C field table
(nvitop_device_fields()), so a C change cannot silently shift Python's reads.
"""

from __future__ import annotations

import ctypes

from nvitop import _clib
from nvitop._clib import CInt, CReal, CStr

NVLINK_MAX_LINKS = 18  # entries of DeviceSnapshot's per-link arrays (the frozen 1.x layout)
NVLINK_LINKS_MAX = 36  # most links a device has (CUDA 13.3): NvLinks holds them all

# NVITOP_DQ_* (include/nvitop/device.h)
DQ_NAME = 1 << 0
DQ_UUID = 1 << 1
DQ_BUS_ID = 1 << 2
DQ_SERIAL = 1 << 3
DQ_BOARD = 1 << 4
DQ_MEMORY = 1 << 5
DQ_BAR1 = 1 << 6
DQ_UTILIZATION = 1 << 7
DQ_ENCODER = 1 << 8
DQ_DECODER = 1 << 9
DQ_CLOCK_GRAPHICS = 1 << 10
DQ_CLOCK_SM = 1 << 11
DQ_CLOCK_MEMORY = 1 << 12
DQ_CLOCK_VIDEO = 1 << 13
DQ_MAX_CLOCKS = 1 << 14
DQ_FAN = 1 << 15
DQ_TEMPERATURE = 1 << 16
DQ_TEMPERATURE_LIMITS = 1 << 17
DQ_POWER_USAGE = 1 << 18
DQ_POWER_LIMIT = 1 << 19
DQ_ENERGY = 1 << 20
DQ_PSTATE = 1 << 21
DQ_PERSISTENCE = 1 << 22
DQ_DISPLAY_MODE = 1 << 23
DQ_DISPLAY_ACTIVE = 1 << 24
DQ_COMPUTE_MODE = 1 << 25
DQ_DRIVER_MODEL = 1 << 26
DQ_ECC_ERRORS = 1 << 27
DQ_CUDA_CAPABILITY = 1 << 28
DQ_MIG = 1 << 29
DQ_PCIE_LINK = 1 << 30
DQ_THROTTLE = 1 << 31
DQ_PCIE_THROUGHPUT = 1 << 32
DQ_NVLINK = 1 << 33
DQ_ECC_MODE = 1 << 34
DQ_ECC_AGGREGATE = 1 << 35
DQ_PCIE_TX = 1 << 36
DQ_PCIE_RX = 1 << 37
DQ_CLOCKS = DQ_CLOCK_GRAPHICS | DQ_CLOCK_SM | DQ_CLOCK_MEMORY | DQ_CLOCK_VIDEO
DQ_SLOW = DQ_PCIE_THROUGHPUT | DQ_NVLINK
DQ_ALL = (1 << 36) - 1
DQ_ALL_FAST = DQ_ALL & ~DQ_SLOW

# NVITOP_PQ_* and process type bits (include/nvitop/process.h)
PQ_UTILIZATION = 1 << 0
PQ_HOST = 1 << 1
PQ_WORKLOAD = 1 << 2
PROCESS_COMPUTE = 1 << 0
PROCESS_GRAPHICS = 1 << 1

VALUE_INT, VALUE_REAL, VALUE_STR = 0, 1, 2


class DeviceSnapshot(ctypes.Structure):
    """nvitop_device_snapshot_t."""

    _fields_ = [
        ('physical_index', ctypes.c_int32),
        ('mig_index', ctypes.c_int32),
        ('is_mig', ctypes.c_bool),
        ('memory_is_host', ctypes.c_bool),
        ('cuda_index', ctypes.c_int32),
        ('name', CStr),
        ('uuid', CStr),
        ('bus_id', CStr),
        ('serial', CStr),
        ('minor_number', CInt),
        ('brand', CInt),
        ('architecture', CInt),
        ('cuda_capability_major', CInt),
        ('cuda_capability_minor', CInt),
        ('memory_total_bytes', CInt),
        ('memory_used_bytes', CInt),
        ('memory_free_bytes', CInt),
        ('memory_reserved_bytes', CInt),
        ('memory_percent', CReal),
        ('bar1_total_bytes', CInt),
        ('bar1_used_bytes', CInt),
        ('bar1_free_bytes', CInt),
        ('bar1_percent', CReal),
        ('gpu_utilization_percent', CInt),
        ('memory_utilization_percent', CInt),
        ('encoder_utilization_percent', CInt),
        ('decoder_utilization_percent', CInt),
        ('clock_graphics_mhz', CInt),
        ('clock_sm_mhz', CInt),
        ('clock_memory_mhz', CInt),
        ('clock_video_mhz', CInt),
        ('max_clock_graphics_mhz', CInt),
        ('max_clock_sm_mhz', CInt),
        ('max_clock_memory_mhz', CInt),
        ('max_clock_video_mhz', CInt),
        ('fan_speed_percent', CInt),
        ('temperature_c', CInt),
        ('temperature_slowdown_c', CInt),
        ('temperature_shutdown_c', CInt),
        ('power_usage_mw', CInt),
        ('power_limit_mw', CInt),
        ('power_percent', CReal),
        ('energy_consumption_mj', CInt),
        ('performance_state', CInt),
        ('persistence_mode', CInt),
        ('display_mode', CInt),
        ('display_active', CInt),
        ('compute_mode', CInt),
        ('driver_model', CInt),
        ('ecc_mode', CInt),
        ('ecc_errors_volatile_uncorrected', CInt),
        ('ecc_errors_aggregate_uncorrected', CInt),
        ('clocks_throttle_reasons', CInt),
        ('mig_mode', CInt),
        ('max_mig_device_count', CInt),
        ('gpu_instance_id', CInt),
        ('compute_instance_id', CInt),
        ('pcie_tx_kibps', CInt),
        ('pcie_rx_kibps', CInt),
        ('pcie_link_gen_max', CInt),
        ('pcie_link_width_max', CInt),
        ('pcie_link_gen', CInt),
        ('pcie_link_width', CInt),
        ('nvlink_count', CInt),
        ('nvlink_tx_kibps', CInt * NVLINK_MAX_LINKS),
        ('nvlink_rx_kibps', CInt * NVLINK_MAX_LINKS),
        ('nvlink_total_tx_kibps', CInt),
        ('nvlink_total_rx_kibps', CInt),
        ('nvlink_mean_tx_kibps', CInt),
        ('nvlink_mean_rx_kibps', CInt),
    ]


class NvLinks(ctypes.Structure):
    """nvitop_nvlinks_t: every NVLink of a device (nvitop_device_nvlinks())."""

    _fields_ = [
        ('size', ctypes.c_size_t),
        ('count', CInt),
        ('tx_kibps', CInt * NVLINK_LINKS_MAX),
        ('rx_kibps', CInt * NVLINK_LINKS_MAX),
    ]


class FieldInfo(ctypes.Structure):
    """nvitop_field_info_t."""

    _fields_ = [
        ('key', ctypes.c_char_p),
        ('unit', ctypes.c_char_p),
        ('description', ctypes.c_char_p),
        ('type', ctypes.c_int),
        ('offset', ctypes.c_size_t),
        ('query', ctypes.c_uint64),
    ]


# nvitop_host_process_t is py-process's business: here it is only an opaque block of its size.
HOST_PROCESS_SIZE = 224


class GpuProcessInfo(ctypes.Structure):
    """nvitop_gpu_process_t (its `host` member kept opaque)."""

    _fields_ = [
        ('pid', ctypes.c_uint32),
        ('device', ctypes.c_int32),
        ('type', ctypes.c_uint),
        ('gpu_memory_bytes', CInt),
        ('gpu_memory_percent', CReal),
        ('gpu_instance_id', CInt),
        ('compute_instance_id', CInt),
        ('gpu_sm_utilization_percent', CInt),
        ('gpu_memory_utilization_percent', CInt),
        ('gpu_encoder_utilization_percent', CInt),
        ('gpu_decoder_utilization_percent', CInt),
        ('host', ctypes.c_uint8 * HOST_PROCESS_SIZE),
    ]


class ProcessList(ctypes.Structure):
    """nvitop_process_list_t."""

    _fields_ = [('count', ctypes.c_size_t), ('items', ctypes.POINTER(GpuProcessInfo))]


_P = ctypes.c_void_p
_PP = ctypes.POINTER(ctypes.c_void_p)
_d = _clib.declare
_d('nvitop_device_count', ctypes.c_int, _P, ctypes.POINTER(ctypes.c_uint))
_d('nvitop_device_get', ctypes.c_int, _P, ctypes.c_uint, _PP)
_d('nvitop_device_by_uuid', ctypes.c_int, _P, ctypes.c_char_p, _PP)
_d('nvitop_device_by_bus_id', ctypes.c_int, _P, ctypes.c_char_p, _PP)
_d('nvitop_device_mig_count', ctypes.c_uint, _P)
_d('nvitop_device_mig_get', ctypes.c_int, _P, ctypes.c_uint, _PP)
_d('nvitop_device_is_mig', ctypes.c_bool, _P)
_d('nvitop_device_parent', _P, _P)
_d('nvitop_device_physical_index', ctypes.c_uint, _P)
_d('nvitop_device_mig_index', ctypes.c_int, _P)
_d('nvitop_device_query', ctypes.c_int, _P, ctypes.c_uint64, ctypes.POINTER(DeviceSnapshot))
_d('nvitop_device_snapshot_clear', None, ctypes.POINTER(DeviceSnapshot))
_d('nvitop_devices_query_begin', ctypes.c_int, _PP, ctypes.c_size_t, ctypes.c_uint64, _PP)
_d('nvitop_devices_query_end', ctypes.c_int, _P, ctypes.POINTER(DeviceSnapshot))
_d('nvitop_device_nvlinks', ctypes.c_int, _P, ctypes.POINTER(NvLinks), ctypes.c_size_t)
_d('nvitop_device_fields', ctypes.POINTER(FieldInfo), ctypes.POINTER(ctypes.c_size_t))
_d('nvitop_device_processes', ctypes.c_int, _P, ctypes.c_uint, ctypes.POINTER(ctypes.POINTER(ProcessList)))
_d('nvitop_process_list_free', None, ctypes.POINTER(ProcessList))
_d('nvitop_cuda_devices', ctypes.c_int, _P, ctypes.c_char_p, _P, ctypes.POINTER(_PP),
   ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_int))
_d('nvitop_cuda_visible_devices', ctypes.c_int, _P, ctypes.c_char_p, ctypes.POINTER(_PP),
   ctypes.POINTER(ctypes.c_size_t))
_d('nvitop_driver_version', CStr, _P)
_d('nvitop_nvml_version', CStr, _P)
_d('nvitop_cuda_driver_version', CInt, _P)
_d('nvitop_cuda_version_string', ctypes.c_char_p, ctypes.c_int64, ctypes.c_char_p, ctypes.c_size_t)
_d('nvitop_enable_state_string', ctypes.c_char_p, ctypes.c_int64)
_d('nvitop_compute_mode_string', ctypes.c_char_p, ctypes.c_int64)
_d('nvitop_driver_model_string', ctypes.c_char_p, ctypes.c_int64)
_d('nvitop_process_type_string', ctypes.c_char_p, ctypes.c_uint)
del _d


def field_table() -> list[FieldInfo]:
    """The C field table (nvitop_device_fields()), copied."""
    count = ctypes.c_size_t(0)
    rows = _clib.lib.nvitop_device_fields(ctypes.byref(count))
    return [rows[i] for i in range(count.value)]
