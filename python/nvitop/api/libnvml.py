# SPDX-License-Identifier: Apache-2.0
"""The NVML facade (nvitop.api.libnvml of nvitop 1.7), built on libnvitop instead of pynvml.

There is no pynvml underneath: NVML is loaded and initialised by libnvitop (nvitop_init()), the
exceptions are the NVMLError_* classes of pynvml rebuilt here over NVML's own return codes and
texts (nvitop_nvml_return_name()/nvitop_nvml_return_string() of libnvitop), and nvmlQuery()
serves the documented subset of device functions (SUPPORTED_FUNCTIONS) from libnvitop's
device queries. docs/python.md, section libnvml, lists the subset.
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import sys
import threading
import time
import types
from typing import Any, Callable

from nvitop import _clib
from nvitop.api import _coded_errors
from nvitop.api.utils import NA, UINT_MAX, ULONGLONG_MAX, colored

_lib = _clib.lib
_clib.declare('nvitop_nvml_return_name', ctypes.c_char_p, ctypes.c_int)
_clib.declare('nvitop_nvml_return_string', ctypes.c_char_p, ctypes.c_int)

LOGGER = logging.getLogger('nvitop.api.libnvml')
try:
    LOGGER.setLevel((os.getenv('LOGLEVEL') or 'WARNING').upper())
except (ValueError, TypeError):
    pass
if LOGGER.isEnabledFor(logging.DEBUG) and not LOGGER.hasHandlers():
    LOGGER.addHandler(logging.StreamHandler())
    LOGGER.addHandler(logging.FileHandler('nvitop.log'))

VERSIONED_PATTERN = re.compile(r'^(?P<name>\w+)(?P<suffix>_v(\d)+)$')
UNKNOWN_FUNCTIONS: dict[str, tuple] = {}
UNKNOWN_FUNCTIONS_CACHE_SIZE = 1024

# NVML's return codes (nvml.h): names as pynvml spells them.
_RETURN_CODES = {
    'UNINITIALIZED': 1,
    'INVALID_ARGUMENT': 2,
    'NOT_SUPPORTED': 3,
    'NO_PERMISSION': 4,
    'ALREADY_INITIALIZED': 5,
    'NOT_FOUND': 6,
    'INSUFFICIENT_SIZE': 7,
    'INSUFFICIENT_POWER': 8,
    'DRIVER_NOT_LOADED': 9,
    'TIMEOUT': 10,
    'IRQ_ISSUE': 11,
    'LIBRARY_NOT_FOUND': 12,
    'FUNCTION_NOT_FOUND': 13,
    'CORRUPTED_INFOROM': 14,
    'GPU_IS_LOST': 15,
    'RESET_REQUIRED': 16,
    'OPERATING_SYSTEM': 17,
    'LIB_RM_VERSION_MISMATCH': 18,
    'IN_USE': 19,
    'MEMORY': 20,
    'NO_DATA': 21,
    'VGPU_ECC_NOT_SUPPORTED': 22,
    'INSUFFICIENT_RESOURCES': 23,
    'FREQ_NOT_SUPPORTED': 24,
    'ARGUMENT_VERSION_MISMATCH': 25,
    'DEPRECATED': 26,
    'NOT_READY': 27,
    'GPU_NOT_FOUND': 28,
    'INVALID_STATE': 29,
    'UNKNOWN': 999,
}

NVML_SUCCESS = 0
for _name, _code in _RETURN_CODES.items():
    globals()['NVML_ERROR_' + _name] = _code

# pynvml's NVMLError._errcode_to_string: the texts nvitop 1.7 shows for these codes, whatever the
# driver's nvmlErrorString() says (other codes: libnvitop's table of the driver's texts).
_PYNVML_TEXTS = {
    1: 'Uninitialized', 2: 'Invalid Argument', 3: 'Not Supported', 4: 'Insufficient Permissions',
    5: 'Already Initialized', 6: 'Not Found', 7: 'Insufficient Size',
    8: 'Insufficient External Power', 9: 'Driver Not Loaded', 10: 'Timeout',
    11: 'Interrupt Request Issue', 12: 'NVML Shared Library Not Found', 13: 'Function Not Found',
    14: 'Corrupted infoROM', 15: 'GPU is lost', 16: 'GPU requires restart',
    17: 'The operating system has blocked the request.',
    18: 'RM has detected an NVML/RM version mismatch.', 20: 'Insufficient Memory',
    999: 'Unknown Error',
}


class NVMLError(_coded_errors.CodedError, family=True):
    """pynvml's NVMLError: NVMLError(code) gives the subclass for that code."""

    _errcode_to_string: dict[int, str] = {}

    def __new__(cls, *args):
        return Exception.__new__(cls._class_for(args[0]) if args else cls)

    def __init__(self, value: int) -> None:
        super().__init__(value)
        self.value = value

    def __str__(self) -> str:
        if self.value in _PYNVML_TEXTS:  # pynvml's own table comes before nvmlErrorString()
            return _PYNVML_TEXTS[self.value]
        text = _lib.nvitop_nvml_return_string(int(self.value))
        if text is None:
            return f'NVML Error with code {self.value}'
        return text.decode()


def _pascal(name: str) -> str:
    return ''.join(part.capitalize() for part in name.split('_'))


def _error_class_name(name: str) -> str:
    if name == 'LIB_RM_VERSION_MISMATCH':
        return 'NVMLError_LibRmVersionMismatch'
    if name == 'IRQ_ISSUE':
        return 'NVMLError_IrqIssue'
    return 'NVMLError_' + _pascal(name)


def _init_with_code(self, code: int, _args: tuple) -> None:
    Exception.__init__(self, code)
    self.value = code


def _make_error_classes() -> list[str]:
    classes = [(_error_class_name(name), code) for name, code in _RETURN_CODES.items()]
    NVMLError._add_code_classes(classes, globals(), _init_with_code)  # pylint: disable=protected-access
    return [cls_name for cls_name, _ in classes]


_ERROR_CLASS_NAMES = _make_error_classes()


def nvmlExceptionClass(error_code: int) -> type:  # noqa: N802
    """The NVMLError subclass for an NVML return code."""
    return NVMLError._exception_class(error_code, 'nvmlErrorCode {} is not valid')  # pylint: disable=protected-access


# libnvitop's error codes (include/nvitop/common.h) as the NVML error nvitop would raise.
_FROM_C = {
    -3: 12,   # ENOLIB -> LibraryNotFound
    -4: 9,    # ENODRIVER -> DriverNotLoaded
    -5: 18,   # EVERSION -> LibRmVersionMismatch
    -8: 4,    # EPERM -> NoPermission
    -7: 6,    # ENOTFOUND -> NotFound
    -2: 2,    # EINVAL -> InvalidArgument
    -10: 1,   # ENOTINIT -> Uninitialized
    -11: 15,  # EGPULOST -> GpuIsLost
    -1: 20,   # ENOMEM -> Memory
}


def error_from_c(code: int, nvml_code: int | None = None) -> NVMLError:
    """The NVMLError for a failed libnvitop call (its NVML return code when it has one)."""
    if nvml_code is not None and nvml_code > 0:
        return NVMLError(nvml_code)
    return NVMLError(_FROM_C.get(code, 999))


_INIT_LOCK = threading.RLock()
_FLAGS: list[int] = []


def _log_init_failure(error: NVMLError) -> None:
    if isinstance(error, NVMLError_LibraryNotFound):  # noqa: F821 pylint: disable=undefined-variable
        LOGGER.critical(
            '%s NVIDIA Management Library (NVML) not found.\n'
            'HINT: The NVIDIA Management Library ships with the NVIDIA display driver (available at\n'
            '      https://www.nvidia.com/Download/index.aspx), or can be downloaded as part of the\n'
            '      NVIDIA CUDA Toolkit (available at https://developer.nvidia.com/cuda-downloads).\n'
            '      The lists of OS platforms and NVIDIA-GPUs supported by the NVML library can be\n'
            '      found in the NVML API Reference at https://docs.nvidia.com/deploy/nvml-api.',
            colored('FATAL ERROR:', color='red', attrs=('bold',)),
        )


def _initialize() -> None:
    """Initialises NVML through libnvitop once; raises the NVMLError nvitop raises on failure."""
    with _INIT_LOCK, _clib.LOCK:
        ctx = _clib.context()
        if _lib.nvitop_is_initialized(ctx):
            return
        rc = _lib.nvitop_init(ctx)
        if rc < 0:
            error = error_from_c(rc)
            _log_init_failure(error)
            raise error


def nvmlInitWithFlags(flags: int) -> None:  # noqa: N802
    """Initialises NVML (libnvitop's context); keeps nvitop's stack of flags."""
    with _INIT_LOCK:
        _initialize()
        if not _FLAGS or _FLAGS[-1] != flags:
            _FLAGS.append(flags)


def nvmlInit() -> None:  # noqa: N802
    """nvmlInitWithFlags(0)."""
    nvmlInitWithFlags(0)


def nvmlShutdown() -> None:  # noqa: N802
    """Pops one flag of nvmlInitWithFlags()'s stack.

    libnvitop's context stays open: Device objects hold pointers into it, and a shutdown would
    leave them dangling (nvitop's pynvml handles survive one). It is released with the process.
    """
    with _INIT_LOCK:
        if _FLAGS:
            _FLAGS.pop()


def nvmlCheckReturn(retval, types=None, /) -> bool:  # noqa: N802
    """True when retval is not NA (and is an instance of `types` when given)."""
    if types is None:
        return retval != NA
    return retval != NA and isinstance(retval, types)





def _module_initialized() -> bool:
    with _clib.LOCK:
        return _clib._CTX[0] is not None and bool(  # pylint: disable=protected-access
            _lib.nvitop_is_initialized(_clib._CTX[0])  # pylint: disable=protected-access
        )


del _name, _code


# ---- the NVML functions served by libnvitop (the documented subset) ---------------------------

# NVML constants the served functions take or give (nvml.h values).
NVML_CLOCK_GRAPHICS, NVML_CLOCK_SM, NVML_CLOCK_MEM, NVML_CLOCK_VIDEO = 0, 1, 2, 3
NVML_TEMPERATURE_GPU = 0
NVML_TEMPERATURE_THRESHOLD_SHUTDOWN, NVML_TEMPERATURE_THRESHOLD_SLOWDOWN = 0, 1
NVML_PCIE_UTIL_TX_BYTES, NVML_PCIE_UTIL_RX_BYTES = 0, 1
NVML_MEMORY_ERROR_TYPE_CORRECTED, NVML_MEMORY_ERROR_TYPE_UNCORRECTED = 0, 1
NVML_VOLATILE_ECC, NVML_AGGREGATE_ECC = 0, 1
NVML_FEATURE_DISABLED, NVML_FEATURE_ENABLED = 0, 1
NVML_DEVICE_MIG_DISABLE, NVML_DEVICE_MIG_ENABLE = 0, 1
NVML_COMPUTEMODE_DEFAULT = 0
NVML_COMPUTEMODE_EXCLUSIVE_THREAD = 1
NVML_COMPUTEMODE_PROHIBITED = 2
NVML_COMPUTEMODE_EXCLUSIVE_PROCESS = 3
NVML_DRIVER_WDDM, NVML_DRIVER_WDM, NVML_DRIVER_MCDM = 0, 1, 2
NVML_VALUE_TYPE_DOUBLE = 0
NVML_VALUE_TYPE_UNSIGNED_INT = 1
NVML_VALUE_TYPE_UNSIGNED_LONG = 2
NVML_VALUE_TYPE_UNSIGNED_LONG_LONG = 3
NVML_VALUE_TYPE_SIGNED_LONG_LONG = 4
NVML_VALUE_TYPE_SIGNED_INT = 5

_CONSTANT_NAMES = [name for name in dir() if name.startswith('NVML_') and not name.startswith('NVML_ERROR_')
                   and name != 'NVML_SUCCESS']

# nvitop_na_t -> the NVML error behind it (include/nvitop/common.h).
_NA_ERROR = {2: 3, 3: 3, 4: 4, 5: 15, 6: 13, 7: 3, 8: 6, 10: 10, 11: 999, 12: 999, 1: 3, 9: 21}


def _cdevice():
    from nvitop.api import _cdevice  # pylint: disable=import-outside-toplevel

    return _cdevice


def _handle_of(handle) -> int:
    value = getattr(handle, 'handle', handle)  # a Device or its handle
    if not isinstance(value, int) or value == 0:
        raise NVMLError(2)  # pylint: disable=undefined-variable
    return value


def _query(handle, bits: int):
    C = _cdevice()  # noqa: N806
    snapshot = C.DeviceSnapshot()
    with _clib.LOCK:
        _lib.nvitop_device_query(_handle_of(handle), bits, ctypes.byref(snapshot))
    return snapshot


def _value(field):
    if field.na != 0:
        raise NVMLError(_NA_ERROR.get(field.na, 999))
    value = field.value
    return value.decode('utf-8', errors='replace') if isinstance(value, bytes) else value


def _field(bits: int, name: str) -> Callable:
    def call(handle):
        return _value(getattr(_query(handle, bits), name))

    return call


def _instance_id(name: str) -> Callable:
    # NVML answers InvalidArgument for a handle that is not a MIG device's (a lost GPU: GpuIsLost)
    def call(handle):
        snapshot = _query(handle, _cdevice().DQ_MIG)
        if not _lib.nvitop_device_is_mig(_handle_of(handle)):
            raise NVMLError(15 if _NA_ERROR.get(snapshot.mig_mode.na) == 15 else 2)
        return _value(getattr(snapshot, name))

    return call


def _indexed(bits: int, names: dict) -> Callable:
    def call(handle, which):
        if which not in names:
            raise NVMLError(2)
        return _value(getattr(_query(handle, bits), names[which]))

    return call


class _Struct:  # a plain attribute bag standing in for pynvml's ctypes structs
    def __init__(self, **fields) -> None:
        self.__dict__.update(fields)

    def __repr__(self) -> str:
        return '{}({})'.format(type(self).__name__, ', '.join(f'{k}={v!r}' for k, v in self.__dict__.items()))


def _memory_info(handle):
    C = _cdevice()  # noqa: N806
    s = _query(handle, C.DQ_MEMORY)
    reserved = s.memory_reserved_bytes
    return _Struct(total=_value(s.memory_total_bytes), free=_value(s.memory_free_bytes),
                   used=_value(s.memory_used_bytes),
                   reserved=reserved.value if reserved.na == 0 else 0)


def _bar1_info(handle):
    C = _cdevice()  # noqa: N806
    s = _query(handle, C.DQ_BAR1)
    return _Struct(bar1Total=_value(s.bar1_total_bytes), bar1Free=_value(s.bar1_free_bytes),
                   bar1Used=_value(s.bar1_used_bytes))


def _utilization(handle):
    C = _cdevice()  # noqa: N806
    s = _query(handle, C.DQ_UTILIZATION)
    return _Struct(gpu=_value(s.gpu_utilization_percent), memory=_value(s.memory_utilization_percent))


def _pair(bits: int, name: str) -> Callable:
    # [value, sampling period]: libnvitop does not keep the period, it is given as 0
    def call(handle):
        return [_value(getattr(_query(handle, bits), name)), 0]

    return call


def _current_pending(bits: int, name: str) -> Callable:
    # [current, pending]: libnvitop reads the current mode only; pending is given as current
    def call(handle):
        value = _value(getattr(_query(handle, bits), name))
        return [value, value]

    return call


def _capability(handle):
    C = _cdevice()  # noqa: N806
    s = _query(handle, C.DQ_CUDA_CAPABILITY)
    return (_value(s.cuda_capability_major), _value(s.cuda_capability_minor))


def _ecc_errors(handle, error_type, counter_type):
    C = _cdevice()  # noqa: N806
    if error_type != NVML_MEMORY_ERROR_TYPE_UNCORRECTED:
        raise NVMLError(3)
    s = _query(handle, C.DQ_ECC_ERRORS | C.DQ_ECC_AGGREGATE)
    if counter_type == NVML_VOLATILE_ECC:
        return _value(s.ecc_errors_volatile_uncorrected)
    if counter_type == NVML_AGGREGATE_ECC:
        return _value(s.ecc_errors_aggregate_uncorrected)
    raise NVMLError(2)


def _temperature_threshold(handle, which):
    C = _cdevice()  # noqa: N806
    names = {NVML_TEMPERATURE_THRESHOLD_SHUTDOWN: 'temperature_shutdown_c',
             NVML_TEMPERATURE_THRESHOLD_SLOWDOWN: 'temperature_slowdown_c'}
    if which not in names:
        raise NVMLError(3)
    return _value(getattr(_query(handle, C.DQ_TEMPERATURE_LIMITS), names[which]))


def _temperature(handle, sensor=NVML_TEMPERATURE_GPU):
    C = _cdevice()  # noqa: N806
    if sensor != NVML_TEMPERATURE_GPU:
        raise NVMLError(2)
    return _value(_query(handle, C.DQ_TEMPERATURE).temperature_c)


def _c_check(rc: int) -> None:
    if rc < 0:
        raise error_from_c(rc)


def _handle_by(function: str, key) -> int:
    _initialize()
    ptr = ctypes.c_void_p()
    if isinstance(key, str):
        key = key.encode()
    with _clib.LOCK:
        if function == 'nvitop_device_get':
            rc = _lib.nvitop_device_get(_clib.context(), key, ctypes.byref(ptr))
            if rc == -7:
                rc = -2  # an index out of range: NVML says InvalidArgument
        else:
            rc = getattr(_lib, function)(_clib.context(), key, ctypes.byref(ptr))
    _c_check(rc)
    return int(ptr.value)


def _device_count() -> int:
    _initialize()
    count = ctypes.c_uint(0)
    with _clib.LOCK:
        _c_check(_lib.nvitop_device_count(_clib.context(), ctypes.byref(count)))
    return count.value


def _system_string(function: str) -> Callable:
    def call():
        _initialize()
        with _clib.LOCK:
            return _value(getattr(_lib, function)(_clib.context()))

    return call


def mig_index_error(handle, index: int) -> NVMLError:
    """NVML's error for a MIG index with no MIG device: InvalidArgument at or beyond the GPU's
    maximum MIG device count (or on a MIG handle), NotFound below it, NotSupported without MIG."""
    if _lib.nvitop_device_is_mig(_handle_of(handle)):
        return NVMLError(2)
    field = _query(handle, _cdevice().DQ_MIG).max_mig_device_count
    if field.na != 0:
        return NVMLError(_NA_ERROR.get(field.na, 999))
    return NVMLError(2 if not 0 <= index < field.value else 6)


def _mig_handle(handle, index):
    ptr = ctypes.c_void_p()
    with _clib.LOCK:
        rc = _lib.nvitop_device_mig_get(_handle_of(handle), index, ctypes.byref(ptr))
    if rc in (-7, -2):
        raise mig_index_error(handle, index)
    _c_check(rc)
    return int(ptr.value)


def _parent_handle(handle):
    h = _handle_of(handle)
    if not _lib.nvitop_device_is_mig(h):
        raise NVMLError(2)
    return int(_lib.nvitop_device_parent(h))


def _device_index(handle):
    h = _handle_of(handle)
    if _lib.nvitop_device_is_mig(h):
        raise NVMLError(2)
    return int(_lib.nvitop_device_physical_index(h))


def _running_processes(type_bit: int) -> Callable:
    def call(handle):
        C = _cdevice()  # noqa: N806
        plist = ctypes.POINTER(C.ProcessList)()
        with _clib.LOCK:
            rc = _lib.nvitop_device_processes(_handle_of(handle), 0, ctypes.byref(plist))
            _c_check(rc)
            try:
                items = [plist.contents.items[i] for i in range(plist.contents.count)]
                result = []
                for item in items:
                    if not item.type & type_bit:
                        continue
                    result.append(_Struct(
                        pid=int(item.pid),
                        usedGpuMemory=item.gpu_memory_bytes.value if item.gpu_memory_bytes.na == 0 else None,
                        gpuInstanceId=item.gpu_instance_id.value if item.gpu_instance_id.na == 0 else UINT_MAX,
                        computeInstanceId=(item.compute_instance_id.value
                                           if item.compute_instance_id.na == 0 else UINT_MAX),
                    ))
            finally:
                _lib.nvitop_process_list_free(plist)
        return result

    return call


def _pcie_throughput(C) -> Callable:  # noqa: N803
    directions = {NVML_PCIE_UTIL_TX_BYTES: (C.DQ_PCIE_TX, 'pcie_tx_kibps'),
                  NVML_PCIE_UTIL_RX_BYTES: (C.DQ_PCIE_RX, 'pcie_rx_kibps')}

    def call(handle, which):  # one direction, one driver call, as pynvml
        if which not in directions:
            raise NVMLError(2)
        bit, name = directions[which]
        return _value(getattr(_query(handle, bit), name))

    return call


def _functions() -> dict[str, Callable]:
    C = _cdevice()  # noqa: N806
    clocks = {NVML_CLOCK_GRAPHICS: 'clock_graphics_mhz', NVML_CLOCK_SM: 'clock_sm_mhz',
              NVML_CLOCK_MEM: 'clock_memory_mhz', NVML_CLOCK_VIDEO: 'clock_video_mhz'}
    max_clocks = {k: 'max_' + v for k, v in clocks.items()}

    def cuda_driver_version():
        _initialize()
        with _clib.LOCK:
            return _value(_lib.nvitop_cuda_driver_version(_clib.context()))

    return {
        'nvmlDeviceGetCount': _device_count,
        'nvmlSystemGetDriverVersion': _system_string('nvitop_driver_version'),
        'nvmlSystemGetNVMLVersion': _system_string('nvitop_nvml_version'),
        'nvmlSystemGetCudaDriverVersion': cuda_driver_version,
        'nvmlSystemGetCudaDriverVersion_v2': cuda_driver_version,
        'nvmlDeviceGetHandleByIndex': lambda i: _handle_by('nvitop_device_get', i),
        'nvmlDeviceGetHandleByUUID': lambda u: _handle_by('nvitop_device_by_uuid', u),
        'nvmlDeviceGetHandleByPciBusId': lambda b: _handle_by('nvitop_device_by_bus_id', b),
        'nvmlDeviceGetIndex': _device_index,
        'nvmlDeviceGetName': _field(C.DQ_NAME, 'name'),
        'nvmlDeviceGetUUID': _field(C.DQ_UUID, 'uuid'),
        'nvmlDeviceGetSerial': _field(C.DQ_SERIAL, 'serial'),
        'nvmlDeviceGetMinorNumber': _field(C.DQ_BOARD, 'minor_number'),
        'nvmlDeviceGetBrand': _field(C.DQ_BOARD, 'brand'),
        'nvmlDeviceGetArchitecture': _field(C.DQ_BOARD, 'architecture'),
        'nvmlDeviceGetMemoryInfo': _memory_info,
        'nvmlDeviceGetBAR1MemoryInfo': _bar1_info,
        'nvmlDeviceGetUtilizationRates': _utilization,
        'nvmlDeviceGetEncoderUtilization': _pair(C.DQ_ENCODER, 'encoder_utilization_percent'),
        'nvmlDeviceGetDecoderUtilization': _pair(C.DQ_DECODER, 'decoder_utilization_percent'),
        'nvmlDeviceGetClockInfo': _indexed(C.DQ_CLOCKS, clocks),
        'nvmlDeviceGetMaxClockInfo': _indexed(C.DQ_MAX_CLOCKS, max_clocks),
        'nvmlDeviceGetFanSpeed': _field(C.DQ_FAN, 'fan_speed_percent'),
        'nvmlDeviceGetTemperature': _temperature,
        'nvmlDeviceGetTemperatureThreshold': _temperature_threshold,
        'nvmlDeviceGetPowerUsage': _field(C.DQ_POWER_USAGE, 'power_usage_mw'),
        'nvmlDeviceGetPowerManagementLimit': _field(C.DQ_POWER_LIMIT, 'power_limit_mw'),
        'nvmlDeviceGetEnforcedPowerLimit': _field(C.DQ_POWER_LIMIT, 'power_limit_mw'),
        'nvmlDeviceGetTotalEnergyConsumption': _field(C.DQ_ENERGY, 'energy_consumption_mj'),
        'nvmlDeviceGetPerformanceState': _field(C.DQ_PSTATE, 'performance_state'),
        'nvmlDeviceGetPersistenceMode': _field(C.DQ_PERSISTENCE, 'persistence_mode'),
        'nvmlDeviceGetDisplayMode': _field(C.DQ_DISPLAY_MODE, 'display_mode'),
        'nvmlDeviceGetDisplayActive': _field(C.DQ_DISPLAY_ACTIVE, 'display_active'),
        'nvmlDeviceGetComputeMode': _field(C.DQ_COMPUTE_MODE, 'compute_mode'),
        'nvmlDeviceGetCurrentDriverModel': _field(C.DQ_DRIVER_MODEL, 'driver_model'),
        'nvmlDeviceGetDriverModel': _current_pending(C.DQ_DRIVER_MODEL, 'driver_model'),
        'nvmlDeviceGetEccMode': _current_pending(C.DQ_ECC_MODE, 'ecc_mode'),
        'nvmlDeviceGetTotalEccErrors': _ecc_errors,
        'nvmlDeviceGetCudaComputeCapability': _capability,
        'nvmlDeviceGetMigMode': _current_pending(C.DQ_MIG, 'mig_mode'),
        'nvmlDeviceGetMaxMigDeviceCount': _field(C.DQ_MIG, 'max_mig_device_count'),
        'nvmlDeviceIsMigDeviceHandle': lambda h: int(bool(_lib.nvitop_device_is_mig(_handle_of(h)))),
        'nvmlDeviceGetGpuInstanceId': _instance_id('gpu_instance_id'),
        'nvmlDeviceGetComputeInstanceId': _instance_id('compute_instance_id'),
        'nvmlDeviceGetMigDeviceHandleByIndex': _mig_handle,
        'nvmlDeviceGetDeviceHandleFromMigDeviceHandle': _parent_handle,
        'nvmlDeviceGetPcieThroughput': _pcie_throughput(C),
        'nvmlDeviceGetCurrPcieLinkGeneration': _field(C.DQ_PCIE_LINK, 'pcie_link_gen'),
        'nvmlDeviceGetMaxPcieLinkGeneration': _field(C.DQ_PCIE_LINK, 'pcie_link_gen_max'),
        'nvmlDeviceGetCurrPcieLinkWidth': _field(C.DQ_PCIE_LINK, 'pcie_link_width'),
        'nvmlDeviceGetMaxPcieLinkWidth': _field(C.DQ_PCIE_LINK, 'pcie_link_width_max'),
        'nvmlDeviceGetCurrentClocksThrottleReasons': _field(C.DQ_THROTTLE, 'clocks_throttle_reasons'),
        'nvmlDeviceGetCurrentClocksEventReasons': _field(C.DQ_THROTTLE, 'clocks_throttle_reasons'),
        'nvmlDeviceGetComputeRunningProcesses': _running_processes(1),
        'nvmlDeviceGetGraphicsRunningProcesses': _running_processes(2),
    }


_FUNCTIONS: dict[str, Callable] = {}


def _function(name: str) -> Callable | None:
    if not _FUNCTIONS:
        _FUNCTIONS.update(_functions())
    return _FUNCTIONS.get(name)


def has_function(name: str) -> bool:
    """True when `name` is one of the NVML functions this facade serves."""
    return _function(name) is not None


SUPPORTED_FUNCTIONS: tuple[str, ...] = ()  # filled at the end of the module


def _log_function_not_found(func: str, args: tuple, kwargs: dict) -> None:
    if func in UNKNOWN_FUNCTIONS:
        return
    if len(UNKNOWN_FUNCTIONS) < UNKNOWN_FUNCTIONS_CACHE_SIZE:
        UNKNOWN_FUNCTIONS[func] = (args, kwargs)
    LOGGER.error(  # nvitop's text: the arguments are not written out
        'ERROR: A FunctionNotFound error occurred while calling %s.\n'
        'Please verify whether the `nvidia-ml-py` package is compatible with your NVIDIA driver '
        'version.',
        f'nvmlQuery({func!r}, *args, **kwargs)',
    )


def nvmlQuery(  # noqa: N802 pylint: disable=too-many-arguments
    func: Callable | str,
    /,
    *args: Any,
    default: Any = NA,
    ignore_errors: bool = True,
    ignore_function_not_found: bool = False,
    **kwargs: Any,
) -> Any:
    """Calls an NVML function (a callable, or the name of one of SUPPORTED_FUNCTIONS).

    NVML is initialised lazily first (its errors always propagate). NVMLError_FunctionNotFound
    for a name this facade does not serve; other NVML errors give `default` when
    `ignore_errors`, else they are raised. A bytes result is decoded as UTF-8.
    """
    _initialize()
    name = func if isinstance(func, str) else getattr(func, '__name__', repr(func))
    try:
        if isinstance(func, str):
            function = _function(func)
            if function is None:
                raise NVMLError(13)
        else:
            function = func
        try:
            retval = function(*args, **kwargs)
        except UnicodeDecodeError as ex:
            raise NVMLError(999) from ex
    except NVMLError_FunctionNotFound:  # noqa: F821 pylint: disable=undefined-variable
        if not ignore_function_not_found:
            _log_function_not_found(name, args, kwargs)
        if ignore_errors or ignore_function_not_found:
            return default
        raise
    except NVMLError:
        if ignore_errors:
            return default
        raise
    if isinstance(retval, bytes):
        retval = retval.decode('utf-8', errors='replace')
    return retval


def nvmlQueryFieldValues(handle, field_ids):  # noqa: N802
    """nvmlDeviceGetFieldValues is not served by libnvitop: every entry is (NA, now_us)."""
    _initialize()
    _ = handle
    now_us = int(time.time() * 1_000_000)
    return [(NA, now_us) for _field_id in field_ids]


class _LibNvmlModule(types.ModuleType):
    """`with libnvml:` initialises NVML on entry and shuts it down on exit."""

    def __enter__(self):
        nvmlInit()
        return self

    def __exit__(self, *exc) -> None:
        try:
            nvmlShutdown()
        except NVMLError:
            pass

    def __getattr__(self, name: str):
        function = _function(name) if name.startswith('nvml') else None
        if function is None:
            raise AttributeError(f"module 'pynvml' has no attribute {name!r}")
        return function


SUPPORTED_FUNCTIONS = tuple(sorted(_functions()))

__all__ = [
    'NA',
    'UINT_MAX',
    'ULONGLONG_MAX',
    'NVMLError',
    'nvmlCheckReturn',
    'nvmlInit',
    'nvmlInitWithFlags',
    'nvmlQuery',
    'nvmlQueryFieldValues',
    'nvmlShutdown',
    'NVML_SUCCESS',
    *('NVML_ERROR_' + n for n in _RETURN_CODES),
    *_ERROR_CLASS_NAMES,
    'nvmlExceptionClass',
    *_CONSTANT_NAMES,
    *SUPPORTED_FUNCTIONS,
]

sys.modules[__name__].__class__ = _LibNvmlModule
