# SPDX-License-Identifier: Apache-2.0
"""The one door to libnvitop: the loader, the C types every module shares, and the context.

Every rule lives in C; this module only finds the library, declares the shared types, and
serialises calls on the process-wide context (a libnvitop context serves one thread at a time).
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any, Callable, TypeVar

from nvitop import _programs

T = TypeVar('T')

__all__ = ['lib', 'prefix', 'NaReason', 'CInt', 'CReal', 'CStr', 'context', 'LOCK', 'CError']

def prefix() -> str | None:
    """The bundled install prefix of a wheel (bin/, lib/, libexec/), or None in a source tree."""
    return _programs.prefix()


def _load() -> ctypes.CDLL:
    errors = []
    for path in _programs.library_candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as ex:
            errors.append(f'{path}: {ex}')
    raise ImportError('nvitop: cannot load libnvitop (set NVITOP_LIBRARY to its path): ' + '; '.join(errors))


lib = _load()


class NaReason:  # pylint: disable=too-few-public-methods
    """nvitop_na_t: why a value is missing (include/nvitop/common.h)."""

    NONE = 0
    NOT_SAMPLED = 1
    NOT_SUPPORTED = 2
    NOT_APPLICABLE = 3
    NO_PERMISSION = 4
    GPU_LOST = 5
    NO_FUNCTION = 6
    UNAVAILABLE = 7
    NO_SUCH_PROCESS = 8
    NEEDS_TWO_SAMPLES = 9
    TIMEOUT = 10
    DRIVER_ERROR = 11
    IO_ERROR = 12


class CInt(ctypes.Structure):
    """nvitop_int_t."""

    _fields_ = [('value', ctypes.c_int64), ('na', ctypes.c_int)]


class CReal(ctypes.Structure):
    """nvitop_real_t."""

    _fields_ = [('value', ctypes.c_double), ('na', ctypes.c_int)]


class CStr(ctypes.Structure):
    """nvitop_str_t."""

    _fields_ = [('value', ctypes.c_char_p), ('na', ctypes.c_int)]


class CError(Exception):
    """A libnvitop call failed: `code` is its nvitop_error_t, the message its context's."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def _declare(name: str, restype, *argtypes) -> None:
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)


_declare('nvitop_version', ctypes.c_char_p)
_declare('nvitop_strerror', ctypes.c_char_p, ctypes.c_int)
_declare('nvitop_na_string', ctypes.c_char_p, ctypes.c_int)
_declare('nvitop_ctx_new', ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int))
_declare('nvitop_ctx_free', None, ctypes.c_void_p)
_declare('nvitop_init', ctypes.c_int, ctypes.c_void_p)
_declare('nvitop_is_initialized', ctypes.c_bool, ctypes.c_void_p)
_declare('nvitop_ctx_message', ctypes.c_char_p, ctypes.c_void_p)
_declare('nvitop_free', None, ctypes.c_void_p)

declare = _declare

# Held around every call that uses the shared context (reentrant: a query may call another).
LOCK = threading.RLock()
_CTX: list[int | None] = [None]


def context() -> int:
    """The process-wide context, created on first use (NVML is loaded lazily, as nvitop does)."""
    with LOCK:
        if _CTX[0] is None:
            err = ctypes.c_int(0)
            ctx = lib.nvitop_ctx_new(None, ctypes.byref(err))
            if not ctx:
                raise CError(err.value, lib.nvitop_strerror(err.value).decode())
            _CTX[0] = ctx
        return _CTX[0]


def message() -> str:
    """The context's last error message."""
    with LOCK:
        text = lib.nvitop_ctx_message(context())
        return text.decode(errors='replace') if text else ''


def check(code: int) -> int:
    """Raises CError for a negative nvitop_error_t, with the context's message."""
    if code < 0:
        raise CError(code, message() or lib.nvitop_strerror(code).decode())
    return code


def read_owned(ctype, fill: Callable[[Any], int], free: Callable[[Any], None],
               read: Callable[[Any], T]) -> T:
    """read(*out) of a libnvitop call that allocates *out, checked, under LOCK, freed after.

    fill(ctypes.byref(out)) is the call (an nvitop_error_t); free(out) releases what it made.
    """
    out = ctypes.POINTER(ctype)()
    with LOCK:
        check(fill(ctypes.byref(out)))
    try:
        return read(out.contents)
    finally:
        free(out)


def text(raw: bytes | None) -> str | None:
    """A C string as Python text (invalid UTF-8 replaced, as nvitop shows it)."""
    return None if raw is None else raw.decode('utf-8', errors='replace')
