# SPDX-License-Identifier: Apache-2.0
"""The CUDA driver facade (nvitop.api.libcuda of nvitop 1.7), answered by libnvitop.

This process never loads libcuda: libnvitop asks the CUDA driver in a short-lived child
(nvitop_cuda_devices(), the nvitop-cuda-probe helper), so no CUDA context is ever created here.
cuInit() succeeds when that child reached the driver; the device functions then answer from the
devices it listed (in CUDA's order, CUDA_VISIBLE_DEVICES as it was at cuInit()) and from
libnvitop's device queries. The subset and what differs are in docs/python.md (libcuda).
"""

from __future__ import annotations

import ctypes
import os
import threading
from typing import Any

from nvitop import _clib
from nvitop.api import _coded_errors

_CODES = {
    'SUCCESS': 0, 'INVALID_VALUE': 1, 'OUT_OF_MEMORY': 2, 'NOT_INITIALIZED': 3, 'DEINITIALIZED': 4,
    'PROFILER_DISABLED': 5, 'STUB_LIBRARY': 34, 'DEVICE_UNAVAILABLE': 46, 'NO_DEVICE': 100,
    'INVALID_DEVICE': 101, 'DEVICE_NOT_LICENSED': 102, 'INVALID_IMAGE': 200,
    'INVALID_CONTEXT': 201, 'MAP_FAILED': 205, 'UNMAP_FAILED': 206, 'ARRAY_IS_MAPPED': 207,
    'ALREADY_MAPPED': 208, 'NO_BINARY_FOR_GPU': 209, 'ALREADY_ACQUIRED': 210, 'NOT_MAPPED': 211,
    'NOT_MAPPED_AS_ARRAY': 212, 'NOT_MAPPED_AS_POINTER': 213, 'ECC_UNCORRECTABLE': 214,
    'UNSUPPORTED_LIMIT': 215, 'CONTEXT_ALREADY_IN_USE': 216, 'PEER_ACCESS_UNSUPPORTED': 217,
    'INVALID_PTX': 218, 'INVALID_GRAPHICS_CONTEXT': 219, 'NVLINK_UNCORRECTABLE': 220,
    'JIT_COMPILER_NOT_FOUND': 221, 'UNSUPPORTED_PTX_VERSION': 222, 'JIT_COMPILATION_DISABLED': 223,
    'UNSUPPORTED_EXEC_AFFINITY': 224, 'INVALID_SOURCE': 300, 'FILE_NOT_FOUND': 301,
    'SHARED_OBJECT_SYMBOL_NOT_FOUND': 302, 'SHARED_OBJECT_INIT_FAILED': 303, 'OPERATING_SYSTEM': 304,
    'INVALID_HANDLE': 400, 'ILLEGAL_STATE': 401, 'NOT_FOUND': 500, 'NOT_READY': 600,
    'ILLEGAL_ADDRESS': 700, 'LAUNCH_OUT_OF_RESOURCES': 701, 'LAUNCH_TIMEOUT': 702,
    'LAUNCH_INCOMPATIBLE_TEXTURING': 703, 'PEER_ACCESS_ALREADY_ENABLED': 704,
    'PEER_ACCESS_NOT_ENABLED': 705, 'PRIMARY_CONTEXT_ACTIVE': 708, 'CONTEXT_IS_DESTROYED': 709,
    'ASSERT': 710, 'TOO_MANY_PEERS': 711, 'HOST_MEMORY_ALREADY_REGISTERED': 712,
    'HOST_MEMORY_NOT_REGISTERED': 713, 'HARDWARE_STACK_ERROR': 714, 'ILLEGAL_INSTRUCTION': 715,
    'MISALIGNED_ADDRESS': 716, 'INVALID_ADDRESS_SPACE': 717, 'INVALID_PC': 718, 'LAUNCH_FAILED': 719,
    'COOPERATIVE_LAUNCH_TOO_LARGE': 720, 'NOT_PERMITTED': 800, 'NOT_SUPPORTED': 801,
    'SYSTEM_NOT_READY': 802, 'SYSTEM_DRIVER_MISMATCH': 803, 'COMPAT_NOT_SUPPORTED_ON_DEVICE': 804,
    'MPS_CONNECTION_FAILED': 805, 'MPS_RPC_FAILURE': 806, 'MPS_SERVER_NOT_READY': 807,
    'MPS_MAX_CLIENTS_REACHED': 808, 'MPS_MAX_CONNECTIONS_REACHED': 809,
    'STREAM_CAPTURE_UNSUPPORTED': 900, 'STREAM_CAPTURE_INVALIDATED': 901, 'STREAM_CAPTURE_MERGE': 902,
    'STREAM_CAPTURE_UNMATCHED': 903, 'STREAM_CAPTURE_UNJOINED': 904, 'STREAM_CAPTURE_ISOLATION': 905,
    'STREAM_CAPTURE_IMPLICIT': 906, 'CAPTURED_EVENT': 907, 'STREAM_CAPTURE_WRONG_THREAD': 908,
    'TIMEOUT': 909, 'GRAPH_EXEC_UPDATE_FAILURE': 910, 'EXTERNAL_DEVICE': 911, 'UNKNOWN': 999,
}

CUDA_SUCCESS = 0
_NAMES: dict[int, str] = {}
for _name, _code in _CODES.items():
    _full = 'CUDA_SUCCESS' if _code == 0 else 'CUDA_ERROR_' + _name
    globals()[_full] = _code
    _NAMES[_code] = _full


class CUDAError(_coded_errors.CudaError, family=True):
    """CUDA driver error; CUDAError(code) gives the subclass for the code."""

    _names = _NAMES
    _errcode_to_string = {  # the descriptions nvitop knows itself
        3: 'Initialization error.',
        500: 'Named symbol not found.',
        1: 'Invalid argument.',
        100: 'No CUDA-capable device is detected.',
        101: 'Invalid device ordinal.',
        803: 'System has unsupported display driver / CUDA driver combination.',
        4: 'Driver shutting down.',
        804: 'Forward compatibility was attempted on non supported Hardware.',
        201: 'Invalid device context.',
    }


def cudaExceptionClass(cudaErrorCode: int) -> type[CUDAError]:  # noqa: N802,N803
    """The CUDAError subclass for a code."""
    return CUDAError._exception_class(cudaErrorCode, 'cudaErrorCode {} is not valid.')  # pylint: disable=protected-access


def _make_classes() -> None:
    CUDAError._add_classes(  # pylint: disable=protected-access
        (('CUDAError_' + ''.join(part.capitalize() for part in name.split('_')), code)
         for name, code in _CODES.items() if code != 0),
        globals(),
    )


_make_classes()
del _name, _code, _full

# ---- the driver through libnvitop -----------------------------------------------------------

_LOCK = threading.RLock()
_STATE: dict[str, Any] = {'initialized': False, 'devices': []}
_SOURCE_DRIVER = 0


def _not_initialized() -> CUDAError:
    return CUDAError(CUDA_ERROR_NOT_INITIALIZED)  # type: ignore[name-defined]  # pylint: disable=undefined-variable


def _cuda_devices(value: str | None) -> tuple[int, list[int]]:
    """(source, device handles) of nvitop_cuda_devices() for a CUDA_VISIBLE_DEVICES value."""
    from nvitop.api import _cdevice, libnvml  # pylint: disable=import-outside-toplevel

    _ = _cdevice
    try:
        libnvml._initialize()  # pylint: disable=protected-access
    except libnvml.NVMLError as ex:
        raise _not_initialized() from ex
    devices = ctypes.POINTER(ctypes.c_void_p)()
    count = ctypes.c_size_t(0)
    source = ctypes.c_int(0)
    with _clib.LOCK:
        rc = _clib.lib.nvitop_cuda_devices(
            _clib.context(), None if value is None else value.encode(), None,
            ctypes.byref(devices), ctypes.byref(count), ctypes.byref(source),
        )
        if rc < 0:
            raise _not_initialized()
        try:
            return source.value, [int(devices[i]) for i in range(count.value)]
        finally:
            _clib.lib.nvitop_free(devices)


def cuInit(flags: int = 0) -> None:  # noqa: N802
    """Reaches the CUDA driver (in libnvitop's child process) once per process."""
    _ = flags
    with _LOCK:
        if _STATE['initialized']:
            return
        source, devices = _cuda_devices(os.getenv('CUDA_VISIBLE_DEVICES'))
        if source != _SOURCE_DRIVER:
            raise _not_initialized()
        _STATE['devices'] = devices
        _STATE['initialized'] = True


def _devices() -> list[int]:
    with _LOCK:
        if not _STATE['initialized']:
            raise _not_initialized()
        return _STATE['devices']


def _device(ordinal: int) -> int:
    devices = _devices()
    if not isinstance(ordinal, int) or not 0 <= ordinal < len(devices):
        raise CUDAError(CUDA_ERROR_INVALID_DEVICE)  # type: ignore[name-defined]  # pylint: disable=undefined-variable
    return devices[ordinal]


def _query_str(handle: int, bit: int, field: str) -> str:
    from nvitop.api import _cdevice  # pylint: disable=import-outside-toplevel

    snapshot = _cdevice.DeviceSnapshot()
    with _clib.LOCK:
        _clib.lib.nvitop_device_query(handle, bit, ctypes.byref(snapshot))
    value = getattr(snapshot, field)
    if value.na != 0:
        raise CUDAError(CUDA_ERROR_UNKNOWN)  # type: ignore[name-defined]  # pylint: disable=undefined-variable
    return value.value.decode() if isinstance(value.value, bytes) else value.value


def cuGetErrorName(error: int) -> str:  # noqa: N802
    """The enum name of a code, e.g. 'CUDA_ERROR_NO_DEVICE'."""
    if error not in _NAMES:
        raise CUDAError(CUDA_ERROR_INVALID_VALUE)  # type: ignore[name-defined]  # pylint: disable=undefined-variable
    return _NAMES[error]


def cuGetErrorString(error: int) -> str:  # noqa: N802
    """The description of a code (only the codes nvitop describes itself)."""
    if error not in CUDAError._errcode_to_string:
        raise CUDAError(CUDA_ERROR_INVALID_VALUE)  # type: ignore[name-defined]  # pylint: disable=undefined-variable
    return CUDAError._errcode_to_string[error].rstrip('.')


def cuDriverGetVersion() -> str:  # noqa: N802
    """'major.minor' of the driver's CUDA version (NVML's answer)."""
    _devices()
    with _clib.LOCK:
        version = _clib.lib.nvitop_cuda_driver_version(_clib.context())
    if version.na != 0:
        raise CUDAError(CUDA_ERROR_UNKNOWN)  # type: ignore[name-defined]  # pylint: disable=undefined-variable
    return f'{version.value // 1000}.{(version.value % 1000) // 10}'


def cuDeviceGetCount() -> int:  # noqa: N802
    """The number of devices CUDA sees."""
    return len(_devices())


def cuDeviceGet(ordinal: int) -> int:  # noqa: N802
    """The device handle (CUdevice is the ordinal)."""
    _device(ordinal)
    return ordinal


def cuDeviceGetByPCIBusId(pciBusId: str) -> int:  # noqa: N802,N803
    """The CUDA ordinal of the device at a PCI bus id."""
    from nvitop.api import _cdevice  # pylint: disable=import-outside-toplevel

    wanted = _short_bus_id(pciBusId)
    for ordinal, handle in enumerate(_devices()):
        if _short_bus_id(_query_str(handle, _cdevice.DQ_BUS_ID, 'bus_id')) == wanted:
            return ordinal
    raise CUDAError(CUDA_ERROR_INVALID_VALUE)  # type: ignore[name-defined]  # pylint: disable=undefined-variable


def _short_bus_id(bus_id: str) -> str:
    domain, _, rest = bus_id.strip().lower().rpartition(':')[0].partition(':')
    function = bus_id.strip().lower().rpartition(':')[2]
    return f'{int(domain or "0", 16):04x}:{rest}:{function}' if rest else bus_id.lower()


def cuDeviceGetPCIBusId(device: int) -> str:  # noqa: N802
    """'0000:18:00.0' (CUDA's form: a 4-digit domain)."""
    from nvitop.api import _cdevice  # pylint: disable=import-outside-toplevel

    return _short_bus_id(_query_str(_device(device), _cdevice.DQ_BUS_ID, 'bus_id')).upper().replace('0X', '0x')


def cuDeviceGetName(device: int) -> str:  # noqa: N802
    """The product name."""
    from nvitop.api import _cdevice  # pylint: disable=import-outside-toplevel

    return _query_str(_device(device), _cdevice.DQ_NAME, 'name')


def cuDeviceGetUuid(device: int) -> str:  # noqa: N802
    """The bare lower-case UUID (no 'GPU-' / 'MIG-' prefix)."""
    from nvitop.api import _cdevice  # pylint: disable=import-outside-toplevel

    uuid = _query_str(_device(device), _cdevice.DQ_UUID, 'uuid')
    for prefix in ('GPU-', 'MIG-'):
        if uuid.startswith(prefix):
            return uuid[len(prefix):]
    return uuid


cuDeviceGetUuid_v2 = cuDeviceGetUuid  # noqa: N816


def cuDeviceTotalMem(device: int) -> int:  # noqa: N802
    """Total memory in bytes."""
    from nvitop.api import _cdevice  # pylint: disable=import-outside-toplevel

    snapshot = _cdevice.DeviceSnapshot()
    with _clib.LOCK:
        _clib.lib.nvitop_device_query(_device(device), _cdevice.DQ_MEMORY, ctypes.byref(snapshot))
    if snapshot.memory_total_bytes.na != 0:
        raise CUDAError(CUDA_ERROR_UNKNOWN)  # type: ignore[name-defined]  # pylint: disable=undefined-variable
    return snapshot.memory_total_bytes.value


def is_available() -> bool:
    """True when the CUDA driver sees a device (QUIRK 11 fixed: cuInit() is called first)."""
    try:
        cuInit()
        return cuDeviceGetCount() > 0
    except CUDAError:
        return False
