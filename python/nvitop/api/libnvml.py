# SPDX-License-Identifier: Apache-2.0
"""The NVML facade (nvitop.api.libnvml of nvitop 1.7), built on libnvitop instead of pynvml.

There is no pynvml underneath: NVML is loaded and initialised by libnvitop (nvitop_init()), the
exceptions are the NVMLError_* classes of pynvml rebuilt here over NVML's own return codes and
texts (nvitop_nvml_return_name()/nvitop_nvml_return_string() of libnvitop), and nvmlQuery()
serves the documented subset of device functions (SUPPORTED_FUNCTIONS) from libnvitop's
device queries. docs/python.md, section libnvml, lists the subset.
"""

from __future__ import annotations

import atexit
import ctypes
import logging
import os
import re
import sys
import threading

from nvitop import _clib
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


class NVMLError(Exception):
    """pynvml's NVMLError: NVMLError(code) gives the subclass for that code."""

    _value_class_mapping: dict[int, type] = {}
    _errcode_to_string: dict[int, str] = {}

    def __new__(cls, *args):
        if cls is NVMLError and args and args[0] in NVMLError._value_class_mapping:
            cls = NVMLError._value_class_mapping[args[0]]
        return Exception.__new__(cls)

    def __init__(self, value: int) -> None:
        super().__init__(value)
        self.value = value

    def __str__(self) -> str:
        text = _lib.nvitop_nvml_return_string(int(self.value))
        if text is None:
            return f'NVML Error with code {self.value}'
        return text.decode()

    def __eq__(self, other) -> bool:
        return isinstance(other, NVMLError) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __reduce__(self):
        return (NVMLError, (self.value,))


def _pascal(name: str) -> str:
    return ''.join(part.capitalize() for part in name.split('_'))


def _make_error_classes() -> list[str]:
    names = []
    for name, code in _RETURN_CODES.items():
        if name == 'LIB_RM_VERSION_MISMATCH':
            cls_name = 'NVMLError_LibRmVersionMismatch'
        elif name == 'IRQ_ISSUE':
            cls_name = 'NVMLError_IrqIssue'
        else:
            cls_name = 'NVMLError_' + _pascal(name)

        def new(typ, *_args, _code=code):
            obj = Exception.__new__(typ)
            obj.value = _code
            return obj

        def init(self, *_args, _code=code):
            Exception.__init__(self, _code)
            self.value = _code

        cls = type(cls_name, (NVMLError,), {'__new__': new, '__init__': init,
                                             '__module__': __name__})
        globals()[cls_name] = cls
        NVMLError._value_class_mapping[code] = cls
        names.append(cls_name)
    return names


_ERROR_CLASS_NAMES = _make_error_classes()


def nvmlExceptionClass(error_code: int) -> type:  # noqa: N802
    """The NVMLError subclass for an NVML return code."""
    if error_code not in NVMLError._value_class_mapping:
        raise ValueError(f'nvmlErrorCode {error_code} is not valid')
    return NVMLError._value_class_mapping[error_code]


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
_ATEXIT = [False]


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
        if not _ATEXIT[0]:
            _ATEXIT[0] = True
            atexit.register(_shutdown_quietly)


def _shutdown_quietly() -> None:
    try:
        nvmlShutdown()
    except NVMLError:
        pass


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
    """Pops one flag; NVML is shut down (libnvitop's nvitop_shutdown) when none is left."""
    with _INIT_LOCK, _clib.LOCK:
        if _FLAGS:
            _FLAGS.pop()
        if not _FLAGS and _clib._CTX[0] is not None:  # pylint: disable=protected-access
            _lib.nvitop_shutdown(_clib._CTX[0])  # pylint: disable=protected-access


def nvmlCheckReturn(retval, types=None, /) -> bool:  # noqa: N802
    """True when retval is not NA (and is an instance of `types` when given)."""
    if types is None:
        return retval != NA
    return retval != NA and isinstance(retval, types)


_clib.declare('nvitop_shutdown', None, ctypes.c_void_p)

__all__ = [
    'NA',
    'UINT_MAX',
    'ULONGLONG_MAX',
    'NVMLError',
    'nvmlCheckReturn',
    'nvmlInit',
    'nvmlInitWithFlags',
    'nvmlShutdown',
    'nvmlExceptionClass',
    'NVML_SUCCESS',
    *('NVML_ERROR_' + n for n in _RETURN_CODES),
    *_ERROR_CLASS_NAMES,
]


def _module_initialized() -> bool:
    with _clib.LOCK:
        return _clib._CTX[0] is not None and bool(  # pylint: disable=protected-access
            _lib.nvitop_is_initialized(_clib._CTX[0])  # pylint: disable=protected-access
        )


del _name, _code
_ = sys


# ---- nvmlQuery: the documented subset served by libnvitop -------------------------------------

def _served() -> dict:
    """NVML function name -> a callable over a Device (libnvitop's answer)."""
    return {
        'nvmlDeviceGetName': lambda d: d.name(),
        'nvmlDeviceGetUUID': lambda d: d.uuid(),
        'nvmlDeviceGetSerial': lambda d: d.serial(),
        'nvmlDeviceGetMemoryInfo': lambda d: d.memory_info(),
        'nvmlDeviceGetBAR1MemoryInfo': lambda d: d.bar1_memory_info(),
        'nvmlDeviceGetFanSpeed': lambda d: d.fan_speed(),
        'nvmlDeviceGetTemperature': lambda d, *_: d.temperature(),
        'nvmlDeviceGetPowerUsage': lambda d: d.power_usage(),
        'nvmlDeviceGetPowerManagementLimit': lambda d: d.power_limit(),
        'nvmlDeviceGetEnforcedPowerLimit': lambda d: d.power_limit(),
    }


def has_function(name: str) -> bool:
    """True when nvmlQuery serves `name`."""
    return name in _served()


def nvmlQuery(func, /, *args, default=NA, ignore_errors=True, ignore_function_not_found=False,  # noqa: N802
              **kwargs):
    """Placeholder: extended below."""
    _initialize()
    if callable(func):
        return func(*args, **kwargs)
    served = _served().get(func)
    if served is None:
        if ignore_errors or ignore_function_not_found:
            return default
        raise NVMLError(13)
    return served(*args, **kwargs)
