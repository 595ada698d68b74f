# SPDX-License-Identifier: Apache-2.0
"""The host (nvitop.api.host of nvitop 1.7): psutil's surface plus nvitop's host helpers.

What nvitop itself shows comes from libnvitop's host layer (include/nvitop/host.h):
``getuser``, ``load_average``, ``memory_percent``, ``swap_percent``, ``uptime``, ``ppid_map``
and ``reverse_ppid_map``. The rest of psutil's surface (``virtual_memory``, ``cpu_percent``,
``Process``, ``disk_usage``, ...) is psutil's own, re-exported when psutil is installed. Without
psutil (a fresh virtual environment), the names nvitop's API itself needs are provided from
libnvitop: the exceptions, ``Process`` (the base of HostProcess), ``pids``, ``boot_time``,
``cpu_percent``, ``virtual_memory``, ``swap_memory`` and the platform flags.
"""

# pylint: disable=invalid-name

from __future__ import annotations

import collections
import ctypes
import os
import platform
import sys

from nvitop import _clib
from nvitop._clib import CInt, CReal, CStr, LOCK, NaReason, lib

try:
    import psutil as _psutil
except ImportError:  # pragma: no cover - exercised by the no-psutil test in a subprocess
    _psutil = None

HAVE_PSUTIL = _psutil is not None

__all__ = [
    'WINDOWS_SUBSYSTEM_FOR_LINUX',
    'WSL',
    'PsutilError',
    'getuser',
    'hostname',
    'load_average',
    'memory_percent',
    'ppid_map',
    'reverse_ppid_map',
    'swap_percent',
    'uptime',
]


# ---- ctypes mirrors of the C structs (checked field by field against tests/abi) ----------


class HostSnapshotC(ctypes.Structure):
    """nvitop_host_snapshot_t."""

    _fields_ = [
        ('hostname', CStr),
        ('username', CStr),
        ('cpu_count', CInt),
        ('cpu_percent', CReal),
        ('memory_total_bytes', CInt),
        ('memory_used_bytes', CInt),
        ('memory_free_bytes', CInt),
        ('memory_available_bytes', CInt),
        ('memory_percent', CReal),
        ('swap_total_bytes', CInt),
        ('swap_used_bytes', CInt),
        ('swap_free_bytes', CInt),
        ('swap_percent', CReal),
        ('load_average_1m', CReal),
        ('load_average_5m', CReal),
        ('load_average_15m', CReal),
        ('uptime_s', CReal),
        ('boot_time_s', CReal),
        ('net_count', ctypes.c_size_t),
        ('net', ctypes.c_void_p),
        ('disk_io_count', ctypes.c_size_t),
        ('disk_io', ctypes.c_void_p),
        ('disk_usage_count', ctypes.c_size_t),
        ('disk_usage', ctypes.c_void_p),
    ]


class HostProcessC(ctypes.Structure):
    """nvitop_host_process_t."""

    _fields_ = [
        ('pid', ctypes.c_uint32),
        ('na', ctypes.c_int),
        ('state', ctypes.c_char),
        ('is_zombie', ctypes.c_bool),
        ('ppid', CInt),
        ('uid', CInt),
        ('username', CStr),
        ('name', CStr),
        ('num_threads', CInt),
        ('create_time_s', CReal),
        ('running_time_s', CReal),
        ('cpu_percent', CReal),
        ('cpu_time_ns', CInt),
        ('rss_bytes', CInt),
        ('memory_percent', CReal),
        ('command', CStr),
        ('argc', ctypes.c_size_t),
        ('argv', ctypes.POINTER(ctypes.c_char_p)),
    ]


HQ_CPU = 1 << 0
HQ_MEMORY = 1 << 1
HQ_LOAD = 1 << 2
HQ_UPTIME = 1 << 3
HQ_IDENTITY = 1 << 7

_U32P = ctypes.POINTER(ctypes.c_uint32)
_declare = _clib.declare
_declare('nvitop_host_query', ctypes.c_int, ctypes.c_void_p, ctypes.c_uint,
         ctypes.POINTER(ctypes.POINTER(HostSnapshotC)))
_declare('nvitop_host_snapshot_free', None, ctypes.POINTER(HostSnapshotC))
_declare('nvitop_current_user', ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t)
_declare('nvitop_process_ppid_map', ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_U32P),
         ctypes.POINTER(_U32P), ctypes.POINTER(ctypes.c_size_t))


def _value(field):
    """A C value, or None when it is N/A."""
    return field.value if field.na == NaReason.NONE else None


def query(what: int, read) -> object:
    """Runs nvitop_host_query(what) and returns read(snapshot) (the snapshot is freed after)."""
    return _clib.read_owned(HostSnapshotC,
                            lambda out: lib.nvitop_host_query(_clib.context(), what, out),
                            lib.nvitop_host_snapshot_free, read)


# ---- psutil: re-exported when installed, the part nvitop needs from C otherwise ----------

if HAVE_PSUTIL:
    from psutil import *  # noqa: F403 # pylint: disable=wildcard-import,unused-wildcard-import,wrong-import-position
    from psutil import (  # noqa: F401 # pylint: disable=wrong-import-position
        LINUX,
        MACOS,
        POSIX,
        WINDOWS,
        AccessDenied,
        NoSuchProcess,
        Process,
        TimeoutExpired,
        ZombieProcess,
        boot_time,
        cpu_percent,
        pids,
        swap_memory,
        virtual_memory,
    )
    from psutil import Error as PsutilError  # pylint: disable=wrong-import-position

    __all__ += [name for name in _psutil.__all__ if not name.startswith('_') and name != 'Error']
else:
    LINUX = sys.platform.startswith('linux')
    MACOS = sys.platform.startswith('darwin')
    WINDOWS = os.name == 'nt'
    POSIX = os.name == 'posix'

    class PsutilError(Exception):
        """psutil.Error: the base of the process exceptions (psutil is not installed)."""

        def __init__(self, msg: str = '') -> None:
            super().__init__(msg)
            self.msg = msg

        def _details(self) -> str:
            info = collections.OrderedDict()
            for key in ('pid', 'ppid', 'name'):
                value = getattr(self, key, None)
                if value or (key == 'pid' and value == 0):
                    info[key] = value
            return ', '.join(f'{k}={v!r}' for k, v in info.items())

        def __str__(self) -> str:
            details = self._details()
            if details:
                details = f'({details})'
            return ' '.join(part for part in (self.msg, details) if part)

    class NoSuchProcess(PsutilError):
        """The process no longer exists (psutil's message and attributes)."""

        def __init__(self, pid: int, name: str | None = None, msg: str | None = None) -> None:
            self.pid, self.name = pid, name
            super().__init__(msg or 'process no longer exists')

    class ZombieProcess(NoSuchProcess):
        """The process is a zombie (psutil's message and attributes)."""

        def __init__(self, pid: int, name: str | None = None, ppid: int | None = None,
                     msg: str | None = None) -> None:
            super().__init__(pid, name, msg or "PID still exists but it's a zombie")
            self.ppid = ppid

    class AccessDenied(PsutilError):
        """Permission denied (psutil's message and attributes)."""

        def __init__(self, pid: int | None = None, name: str | None = None, msg: str | None = None) -> None:
            self.pid, self.name = pid, name
            super().__init__(msg or '')

    class TimeoutExpired(PsutilError):
        """wait() timed out (psutil's message and attributes)."""

        def __init__(self, seconds: float, pid: int | None = None, name: str | None = None) -> None:
            self.seconds, self.pid, self.name = seconds, pid, name
            super().__init__(f'timeout after {seconds} seconds')

    svmem = collections.namedtuple('svmem', ['total', 'available', 'percent', 'used', 'free'])
    sswap = collections.namedtuple('sswap', ['total', 'used', 'free', 'percent', 'sin', 'sout'])

    def virtual_memory() -> svmem:
        """Host memory from libnvitop (psutil's figures and field names, a subset)."""
        return query(HQ_MEMORY, lambda s: svmem(
            _value(s.memory_total_bytes), _value(s.memory_available_bytes),
            _round1(_value(s.memory_percent)), _value(s.memory_used_bytes), _value(s.memory_free_bytes)))

    def swap_memory() -> sswap:
        """Swap from libnvitop (psutil's figures; sin/sout are not read and are 0)."""
        return query(HQ_MEMORY, lambda s: sswap(
            _value(s.swap_total_bytes), _value(s.swap_used_bytes), _value(s.swap_free_bytes),
            _round1(_value(s.swap_percent)), 0, 0))

    def boot_time() -> float:
        """The boot time in Unix seconds, from libnvitop."""
        return query(HQ_UPTIME, lambda s: _value(s.boot_time_s))

    def cpu_percent(interval=None, percpu=False) -> float:  # pylint: disable=unused-argument
        """System CPU % since the previous call in this process (libnvitop's context)."""
        if interval:
            query(HQ_CPU, lambda s: None)
            import time  # pylint: disable=import-outside-toplevel

            time.sleep(interval)
        value = query(HQ_CPU, lambda s: _value(s.cpu_percent))
        return 0.0 if value is None else round(value, 1)

    def pids() -> list[int]:
        """Every pid of the host, ascending."""
        return sorted(ppid_map())

    Process = None  # set by nvitop.api.process: its C-backed base class stands in for psutil's


def _round1(value):
    return None if value is None else round(value, 1)


# ---- nvitop's own helpers ---------------------------------------------------------------


def getuser() -> str:
    """The user running this program (getpass.getuser()'s rules, in libnvitop)."""
    buf = ctypes.create_string_buffer(256)
    lib.nvitop_current_user(buf, len(buf))
    return buf.value.decode('utf-8', errors='replace')


def hostname() -> str:
    """The host name (platform.node())."""
    return platform.node()


def load_average() -> tuple[float, float, float] | None:
    """The 1, 5 and 15 minute load averages; None when the host does not give them."""

    def read(s):
        load = (_value(s.load_average_1m), _value(s.load_average_5m), _value(s.load_average_15m))
        return None if None in load else load

    return query(HQ_LOAD, read)


def memory_percent() -> float:
    """Host memory in use, % (psutil's virtual_memory().percent)."""
    return _round1(query(HQ_MEMORY, lambda s: _value(s.memory_percent)))


def swap_percent() -> float:
    """Swap in use, % (psutil's swap_memory().percent)."""
    return _round1(query(HQ_MEMORY, lambda s: _value(s.swap_percent)))


def uptime() -> float:
    """Seconds since boot."""
    return query(HQ_UPTIME, lambda s: _value(s.uptime_s))


def ppid_map() -> dict[int, int]:
    """{pid: ppid} for every process of the host (psutil's map: ppid 0 for none)."""
    pids_p, ppids_p, count = _U32P(), _U32P(), ctypes.c_size_t(0)
    with LOCK:
        _clib.check(lib.nvitop_process_ppid_map(_clib.context(), ctypes.byref(pids_p),
                                                ctypes.byref(ppids_p), ctypes.byref(count)))
    try:
        return {pids_p[i]: ppids_p[i] for i in range(count.value)}
    finally:
        lib.nvitop_free(pids_p)
        lib.nvitop_free(ppids_p)


def reverse_ppid_map() -> dict[int, list[int]]:
    """{ppid: [pid, ...]}, a defaultdict(list)."""
    tree = collections.defaultdict(list)
    for pid, ppid in ppid_map().items():
        tree[ppid].append(pid)
    return tree


if LINUX:
    WSL = os.getenv('WSL_DISTRO_NAME', default=None)
    if WSL is not None and WSL == '':
        WSL = 'WSL'
else:
    WSL = None
WINDOWS_SUBSYSTEM_FOR_LINUX = WSL
