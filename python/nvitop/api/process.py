# SPDX-License-Identifier: Apache-2.0
"""Host and GPU processes (nvitop.api.process of nvitop 1.7) over libnvitop's host layer.

``HostProcess`` subclasses ``psutil.Process`` when psutil is installed, so ``isinstance(p,
psutil.Process)`` holds and psutil's whole surface (``open_files()``, ``io_counters()``,
``memory_full_info()``, ...) works; every value nvitop itself shows (name, status, user,
command line, CPU and memory use, times, parent and children, environment, working directory)
is read by libnvitop (``nvitop_host_process_get`` and friends) instead. Without psutil it
stands on a small C-backed base class with the same names (docs/python.md, "Processes and the host").
"""

# pylint: disable=too-many-lines,protected-access

from __future__ import annotations

import contextlib
import ctypes
import datetime
import functools
import os
import threading
import time
from abc import ABC
from collections import namedtuple
from typing import Any, Callable, Iterable
from weakref import WeakValueDictionary

from nvitop import _clib
from nvitop._clib import LOCK, NaReason, lib
from nvitop.api import host
from nvitop.api import workload as _workload
from nvitop.api.host import HostProcessC
from nvitop.api.utils import NA, UINT_MAX

__all__ = ['HostProcess', 'GpuProcess', 'command_join']

_U32P = ctypes.POINTER(ctypes.c_uint32)
_declare = _clib.declare
_declare('nvitop_host_process_get', ctypes.c_int, ctypes.c_void_p, ctypes.c_uint32,
         ctypes.POINTER(ctypes.POINTER(HostProcessC)))
_declare('nvitop_host_process_free', None, ctypes.POINTER(HostProcessC))
_declare('nvitop_process_status_string', ctypes.c_char_p, ctypes.c_char)
_declare('nvitop_process_environ', ctypes.c_int, ctypes.c_void_p, ctypes.c_uint32,
         ctypes.POINTER(ctypes.POINTER(ctypes.c_char_p)), ctypes.POINTER(ctypes.c_size_t))
_declare('nvitop_process_cwd', ctypes.c_int, ctypes.c_void_p, ctypes.c_uint32,
         ctypes.POINTER(ctypes.c_void_p))
_declare('nvitop_process_children', ctypes.c_int, ctypes.c_void_p, ctypes.c_uint32, ctypes.c_bool,
         ctypes.POINTER(_U32P), ctypes.POINTER(ctypes.c_size_t))
_declare('nvitop_command_join', ctypes.c_int, ctypes.POINTER(ctypes.c_char_p), ctypes.c_size_t,
         ctypes.c_bool, ctypes.POINTER(ctypes.c_void_p))
_declare('nvitop_strv_free', None, ctypes.c_void_p, ctypes.c_size_t)

_ENOTFOUND = -7  # nvitop_error_t values the host calls return
_EPERM = -8


def _utils():
    """nvitop.api.utils, looked up when called (its formatting helpers call libnvitop)."""
    from nvitop.api import utils  # pylint: disable=import-outside-toplevel

    return utils


def _os_text(raw: bytes | None) -> str | None:
    """Bytes from /proc as the OS decodes paths (psutil's choice: surrogateescape)."""
    return None if raw is None else os.fsdecode(raw)


# ---- one /proc record, read by libnvitop -------------------------------------------------


class _Record:  # pylint: disable=too-few-public-methods,too-many-instance-attributes
    """nvitop_host_process_t as Python values (None where C says N/A)."""

    __slots__ = ('pid', 'na', 'state', 'ppid', 'uid', 'username', 'username_na', 'name',
                 'num_threads', 'create_time', 'running_time', 'cpu_time_ns', 'rss',
                 'memory_percent', 'command', 'command_na', 'argv')

    def __init__(self, c: HostProcessC) -> None:
        value = host._value  # pylint: disable=protected-access
        self.pid = c.pid
        self.na = c.na
        self.state = c.state
        self.ppid = value(c.ppid)
        self.uid = value(c.uid)
        self.username = _clib.text(c.username.value) if c.username.na == NaReason.NONE else None
        self.username_na = c.username.na
        self.name = _clib.text(c.name.value) if c.name.na == NaReason.NONE else None
        self.num_threads = value(c.num_threads)
        self.create_time = value(c.create_time_s)
        self.running_time = value(c.running_time_s)
        self.cpu_time_ns = value(c.cpu_time_ns)
        self.rss = value(c.rss_bytes)
        self.memory_percent = value(c.memory_percent)
        self.command_na = c.command.na
        self.command = _os_text(c.command.value) if c.command.na == NaReason.NONE else None
        self.argv = [_os_text(c.argv[i]) for i in range(c.argc)]

    @property
    def is_zombie(self) -> bool:
        return self.state == b'Z'


def _read_record(pid: int) -> _Record:
    return _clib.read_owned(HostProcessC,
                            lambda out: lib.nvitop_host_process_get(_clib.context(), pid, out),
                            lib.nvitop_host_process_free, _Record)


def _pids_from_c(call) -> list[int]:
    """Runs call(&array, &count) for a uint32_t array freed with nvitop_free()."""
    array, count = _U32P(), ctypes.c_size_t(0)
    with LOCK:
        rc = call(ctypes.byref(array), ctypes.byref(count))
    try:
        return rc, [array[i] for i in range(count.value)]
    finally:
        lib.nvitop_free(array)


def _ident_ne(self, other: object) -> bool:
    """The != of a process class whose == compares `_ident` (pid, creation time)."""
    return not self == other


def _ident_hash(self) -> int:
    """The hash of a process's `_ident`, computed once (kept in `_hash`)."""
    if self._hash is None:
        self._hash = hash(self._ident)
    return self._hash


def _pprint_secs(secs: float) -> str:
    """psutil's start time in reprs: the clock time today, the full date before."""
    fmt = '%H:%M:%S' if time.time() - secs < 60 * 60 * 24 else '%Y-%m-%d %H:%M:%S'
    return datetime.datetime.fromtimestamp(secs).strftime(fmt)


def _no_cache(fun: Callable) -> Callable:
    """psutil's oneshot() calls cache_activate/cache_deactivate on a few methods we override."""
    fun.cache_activate = lambda self: None
    fun.cache_deactivate = lambda self: None
    return fun


# ---- the base class when psutil is not installed -----------------------------------------


class _StandaloneProcess:
    """psutil.Process's plumbing on libnvitop, for a Python without psutil: identity, reprs,
    signals, wait() and as_dict(). HostProcess adds every query on top."""

    _AS_DICT_ATTRS = ('cmdline', 'cpu_percent', 'create_time', 'cwd', 'environ', 'memory_info',
                      'memory_percent', 'name', 'num_threads', 'pid', 'ppid', 'status', 'username')

    def _init(self, pid: int, _ignore_nsp: bool = False) -> None:
        if pid < 0:
            raise ValueError(f'pid must be a positive integer (got {pid})')
        self._pid = pid
        self._name = None
        self._create_time = None
        self._gone = False
        self._pid_reused = False
        self._hash = None
        self._lock = threading.RLock()
        self._exitcode = None
        try:
            self.create_time()
        except (host.AccessDenied, host.ZombieProcess):
            pass
        except host.NoSuchProcess:
            if not _ignore_nsp:
                raise host.NoSuchProcess(pid, msg='process PID not found') from None
            self._gone = True
        self._ident = (self.pid, self._create_time)

    @property
    def pid(self) -> int:
        return self._pid

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _StandaloneProcess):
            return NotImplemented
        return self._ident == other._ident

    __ne__ = _ident_ne
    __hash__ = _ident_hash

    def __str__(self) -> str:
        info = {'pid': self.pid}
        if self._name:
            info['name'] = self._name
        with self.oneshot():
            try:
                info['name'] = self.name()
                info['status'] = self.status()
            except host.ZombieProcess:
                info['status'] = 'zombie'
            except host.NoSuchProcess:
                info['status'] = 'terminated'
            except host.AccessDenied:
                pass
            if self._create_time:
                info['started'] = _pprint_secs(self._create_time)
        args = ', '.join(f'{k}={v!r}' for k, v in info.items())
        return f'{type(self).__module__}.{type(self).__name__}({args})'

    __repr__ = __str__

    @contextlib.contextmanager
    def oneshot(self):
        yield

    def memory_info(self):
        """pmem(rss): the resident set size from libnvitop (psutil gives more fields)."""
        return _pmem(self.rss_memory())

    def send_signal(self, sig: int) -> None:
        """Signals the process after checking it is still the same one (psutil's rule)."""
        if not self.is_running():
            msg = 'process no longer exists and its PID has been reused' if self._pid_reused else None
            raise host.NoSuchProcess(self.pid, self._name, msg=msg)
        if self.pid == 0:
            raise ValueError('preventing sending signal to process with PID 0')
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            self._gone = True
            raise host.NoSuchProcess(self.pid, self._name) from None
        except PermissionError:
            raise host.AccessDenied(self.pid, self._name) from None

    def suspend(self) -> None:
        import signal  # pylint: disable=import-outside-toplevel

        self.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        import signal  # pylint: disable=import-outside-toplevel

        self.send_signal(signal.SIGCONT)

    def terminate(self) -> None:
        import signal  # pylint: disable=import-outside-toplevel

        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        import signal  # pylint: disable=import-outside-toplevel

        self.send_signal(signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int | None:
        """Waits for the process to end: its exit code for a child of ours, else None."""
        if timeout is not None and timeout < 0:
            raise ValueError('timeout must be a positive integer')
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = 0.0001
        while True:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid == self.pid:
                    self._exitcode = os.waitstatus_to_exitcode(status)
                    return self._exitcode
            except ChildProcessError:
                if not self.is_running():
                    return None
            if deadline is not None and time.monotonic() >= deadline:
                raise host.TimeoutExpired(timeout, self.pid, self._name)
            time.sleep(delay)
            delay = min(delay * 2, 0.04)

    def as_dict(self, attrs: Iterable[str] | None = None, ad_value: Any = None) -> dict[str, Any]:
        """psutil's as_dict() over the queries this base offers."""
        names = self._AS_DICT_ATTRS if attrs is None else list(attrs)
        result = {}
        with self.oneshot():
            for name in names:
                if name not in self._AS_DICT_ATTRS:
                    raise ValueError(f'invalid attr name {name!r}')
                try:
                    value = getattr(self, name)
                    result[name] = value() if callable(value) else value
                except (host.AccessDenied, host.ZombieProcess):
                    result[name] = ad_value
        return result

    def parents(self) -> list:
        """Every ancestor, the parent first."""
        found = []
        proc = self.parent()
        while proc is not None:
            found.append(proc)
            proc = proc.parent()
        return found


_pmem = namedtuple('pmem', ['rss'])

if host.HAVE_PSUTIL:
    _ProcessBase = host.Process
else:
    _ProcessBase = _StandaloneProcess
    host.Process = _StandaloneProcess


# ---- HostProcess ---------------------------------------------------------------------------


class HostProcess(_ProcessBase, ABC):  # pylint: disable=too-many-public-methods
    """A host process, cached per pid: its values from libnvitop, psutil's surface for the rest."""

    INSTANCE_LOCK: threading.RLock = threading.RLock()
    INSTANCES: WeakValueDictionary[int, HostProcess] = WeakValueDictionary()

    def __new__(cls, pid: int | None = None) -> HostProcess:
        if pid is None:
            pid = os.getpid()
        with cls.INSTANCE_LOCK:
            try:
                instance = cls.INSTANCES[pid]
                if instance.is_running():
                    return instance
            except KeyError:
                pass
            instance = super().__new__(cls)
            instance._memo = None
            instance._memo_depth = 0
            instance._memo_lock = threading.RLock()
            instance._username = None
            instance._cpu_prev = None
            with instance._memo_block():  # one /proc read for both
                instance._init(pid, _ignore_nsp=True)
                with contextlib.suppress(host.PsutilError):
                    instance.cpu_percent()  # primed: the first reading covers the object's lifetime
            if not instance._gone:
                cls.INSTANCES[pid] = instance
            return instance

    def __init__(self, pid: int | None = None) -> None:  # pylint: disable=super-init-not-called
        """Does nothing: the instance is set up (or reused) by __new__."""

    def __reduce__(self):
        return (self.__class__, (self.pid,))

    def __repr__(self) -> str:
        return super().__repr__().replace(self.__class__.__module__ + '.', '', 1)

    @property
    def _gone(self) -> bool:
        return self.__dict__.get('_gone', False)

    @_gone.setter
    def _gone(self, value: bool) -> None:
        if value:
            with self.INSTANCE_LOCK:
                if self.INSTANCES.get(self.pid) is self:
                    del self.INSTANCES[self.pid]
        self.__dict__['_gone'] = value

    # -- the record and the errors nvitop raises for it

    def _record(self) -> _Record:
        """This process read by libnvitop: once per oneshot() block, else on every call."""
        memo = self._memo
        if memo is not None:
            return memo
        record = _read_record(self.pid)
        if self._memo_depth:
            self._memo = record
        return record

    def _checked(self) -> _Record:
        """The record, or psutil's exception when the process is gone or unreadable."""
        record = self._record()
        if record.na == NaReason.NO_SUCH_PROCESS:
            self._gone = True
            raise host.NoSuchProcess(self.pid, self._name)
        if record.na != NaReason.NONE:
            raise host.AccessDenied(self.pid, self._name)
        created = self.__dict__.get('_create_time')
        if created is not None and record.create_time is not None and abs(record.create_time - created) > 1e-3:
            self._pid_reused = True
            raise host.NoSuchProcess(self.pid, self._name,
                                     msg='process no longer exists and its PID has been reused')
        return record

    def _need(self, record: _Record, value: Any) -> Any:
        """A field of a readable record: AccessDenied when C could not read it."""
        if value is None:
            if record.is_zombie:
                raise host.ZombieProcess(self.pid, self._name, record.ppid)
            raise host.AccessDenied(self.pid, self._name)
        return value

    def _raise_for(self, code: int) -> None:
        if code == _ENOTFOUND:
            try:
                record = self._checked()
            except host.PsutilError:
                record = None
            if record is not None and record.is_zombie:
                raise host.ZombieProcess(self.pid, self._name, record.ppid)
            self._gone = True
            raise host.NoSuchProcess(self.pid, self._name)
        if code == _EPERM:
            raise host.AccessDenied(self.pid, self._name)
        _clib.check(code)

    # -- queries (libnvitop)

    def is_running(self) -> bool:
        """Whether the process still exists and is the same one (pid and creation time)."""
        if self._gone or self._pid_reused:
            return False
        try:
            self._checked()
        except host.NoSuchProcess:
            return False
        except host.AccessDenied:
            pass
        return True

    def name(self) -> str:
        """The kernel's short name of the process (comm)."""
        record = self._checked()
        self._name = self._need(record, record.name)
        return self._name

    def status(self) -> str:
        return lib.nvitop_process_status_string(self._checked().state).decode()

    def create_time(self) -> float:
        if self.__dict__.get('_create_time') is None:
            record = self._checked()
            self._create_time = self._need(record, record.create_time)
        return self._create_time

    @_no_cache
    def ppid(self) -> int:
        record = self._checked()
        return self._need(record, record.ppid)

    def parent(self) -> HostProcess | None:
        """The parent, if it started before this process (a recycled pid is no parent)."""
        ppid = self.ppid()
        if ppid <= 0:
            return None
        created = self.create_time()
        parent = HostProcess(ppid)
        try:
            if parent.create_time() <= created:
                return parent
        except host.NoSuchProcess:
            pass
        return None

    def children(self, recursive: bool = False) -> list[HostProcess]:
        """The children (all descendants with recursive), psutil's rule and order (C)."""
        self._checked()
        rc, pids = _pids_from_c(
            lambda array, count: lib.nvitop_process_children(_clib.context(), self.pid, recursive, array, count))
        if rc < 0:
            self._raise_for(rc)
        found = []
        for pid in pids:
            child = HostProcess(pid)
            if not child._gone:
                found.append(child)
        return found

    def username(self) -> str:
        """The owner's name (the uid in decimal when it has no passwd entry); cached."""
        if self._username is None:
            record = self._checked()
            self._username = self._need(record, record.username)
        return self._username

    def uid(self) -> int:
        record = self._checked()
        return self._need(record, record.uid)

    def num_threads(self) -> int:
        record = self._checked()
        return self._need(record, record.num_threads)

    def cmdline(self) -> list[str]:
        """The command line, word by word ([] for a zombie or a kernel thread)."""
        record = self._checked()
        if record.command_na == NaReason.NO_PERMISSION:
            raise host.AccessDenied(self.pid, self._name)
        if record.command_na == NaReason.NO_SUCH_PROCESS:
            if record.is_zombie:
                return []
            self._gone = True
            raise host.NoSuchProcess(self.pid, self._name)
        return list(record.argv)

    def command(self) -> str:
        return command_join(self.cmdline())

    def running_time(self) -> datetime.timedelta:
        """How long the process has run (the kernel's clock, as ps computes it)."""
        record = self._checked()
        return datetime.timedelta(seconds=self._need(record, record.running_time))

    def running_time_human(self) -> str:
        return _utils().timedelta2human(self.running_time())

    def running_time_in_seconds(self) -> float:
        return self.running_time().total_seconds()

    elapsed_time = running_time
    elapsed_time_human = running_time_human
    elapsed_time_in_seconds = running_time_in_seconds

    def cpu_percent(self, interval: float | None = None) -> float:
        """CPU % of one core since the previous call on this object (psutil's meaning),
        from the CPU time libnvitop reads; the first call primes and gives 0.0."""
        if interval is not None and interval < 0:
            raise ValueError(f'interval is not positive (got {interval!r})')
        if interval:
            self._cpu_sample()
            time.sleep(interval)
        previous = self._cpu_prev
        current = self._cpu_sample()
        if previous is None or current[1] <= previous[1]:
            return 0.0
        used_s = (current[0] - previous[0]) / 1e9
        return round(max(used_s, 0.0) * 100.0 / (current[1] - previous[1]), 1)

    def _cpu_sample(self) -> tuple[int, float]:
        record = self._checked()
        sample = (self._need(record, record.cpu_time_ns), time.monotonic())
        self._cpu_prev = sample
        return sample

    @_no_cache
    def memory_percent(self, memtype: str = 'rss') -> float:
        """Resident memory as % of the host's memory."""
        if memtype != 'rss' and host.HAVE_PSUTIL:
            return super().memory_percent(memtype)
        record = self._checked()
        return self._need(record, record.memory_percent)

    def rss_memory(self) -> int:
        """Resident memory in bytes."""
        record = self._checked()
        return self._need(record, record.rss)

    def environ(self) -> dict[str, str]:
        """The environment (/proc/PID/environ through libnvitop)."""
        self._checked()
        vars_p, count = ctypes.POINTER(ctypes.c_char_p)(), ctypes.c_size_t(0)
        with LOCK:
            rc = lib.nvitop_process_environ(_clib.context(), self.pid, ctypes.byref(vars_p), ctypes.byref(count))
        if rc < 0:
            self._raise_for(rc)
        try:
            env = {}
            for i in range(count.value):
                key, sep, value = _os_text(vars_p[i]).partition('=')
                if sep:
                    env[key] = value
            return env
        finally:
            lib.nvitop_strv_free(ctypes.cast(vars_p, ctypes.c_void_p), count.value)

    def workload(self) -> dict[str, Any]:
        """Who owns the process: container, Kubernetes pod, Slurm job, systemd session or unit
        (an extension of nvitop-in-C: nvitop.api.workload.process_workload, docs/workloads.md)."""
        return _workload.process_workload(self.pid)

    def cwd(self) -> str:
        """The working directory (/proc/PID/cwd through libnvitop)."""
        self._checked()
        out = ctypes.c_void_p()
        with LOCK:
            rc = lib.nvitop_process_cwd(_clib.context(), self.pid, ctypes.byref(out))
        if rc < 0:
            self._raise_for(rc)
        try:
            return _os_text(ctypes.string_at(out.value))
        finally:
            lib.nvitop_free(out)

    @contextlib.contextmanager
    def oneshot(self):
        """One /proc read for every query in the block (and psutil's own caches); re-entrant."""
        with self._memo_block():
            with super().oneshot():
                yield

    @contextlib.contextmanager
    def _memo_block(self):
        """One libnvitop record for the block (psutil's caches untouched: nvitop's own values)."""
        with self._memo_lock:
            self._memo_depth += 1
            try:
                yield
            finally:
                self._memo_depth -= 1
                if not self._memo_depth:
                    self._memo = None

    def _snapshot_values(self) -> dict[str, Any] | None:
        """GpuProcess.host_snapshot()'s 13 values from one readable record, or None when the
        process is gone, denied or partly unreadable (the caller then asks method by method)."""
        try:
            record = self._checked()
        except host.PsutilError:
            return None
        if record.command_na != NaReason.NONE or None in (
                record.username, record.name, record.cpu_time_ns, record.memory_percent,
                record.rss, record.running_time):
            return None
        if self._username is None:
            self._username = record.username
        self._name = record.name
        utils = _utils()
        running = datetime.timedelta(seconds=record.running_time)
        cmdline = list(record.argv)
        return {
            'is_running': True,
            'status': lib.nvitop_process_status_string(record.state).decode(),
            'username': self._username,
            'name': record.name,
            'cmdline': cmdline,
            'command': record.command if cmdline else None,  # C's command_join, the same rule
            'cpu_percent': self.cpu_percent(),
            'memory_percent': record.memory_percent,
            'host_memory': record.rss,
            'host_memory_human': utils.bytes2human(record.rss),
            'running_time': running,
            'running_time_human': utils.timedelta2human(running),
            'running_time_in_seconds': running.total_seconds(),
        }

    def as_snapshot(self, attrs: Iterable[str] | None = None, ad_value: Any | None = None):
        """A Snapshot of as_dict() (plus command and the running times when attrs is None)."""
        with self.oneshot():
            attributes = self.as_dict(attrs=attrs, ad_value=ad_value)
            if attrs is None:
                for attr in ('command', 'running_time', 'running_time_human'):
                    try:
                        attributes[attr] = getattr(self, attr)()
                    except (host.AccessDenied, host.ZombieProcess):
                        attributes[attr] = ad_value
        return _utils().Snapshot(real=self, **attributes)


# ---- GpuProcess ----------------------------------------------------------------------------

_RAISE = object()
_HOST_SNAPSHOT_KEYS = ('is_running', 'status', 'username', 'name', 'cmdline', 'command', 'cpu_percent',
                       'memory_percent', 'host_memory', 'host_memory_human', 'running_time',
                       'running_time_human', 'running_time_in_seconds')
_FAILSAFE = threading.local()


def _failsafe_on() -> bool:
    return getattr(_FAILSAFE, 'on', False)


def _forget(process: GpuProcess) -> None:
    """Drops a process whose host side failed from both instance caches (a plain pop: this runs
    13 times for each gone process of a snapshot)."""
    pid = getattr(process, 'pid', None)  # a half-built object may lack either
    with GpuProcess.INSTANCE_LOCK:
        GpuProcess.INSTANCES.pop((pid, getattr(process, 'device', None)), None)
    with HostProcess.INSTANCE_LOCK:
        HostProcess.INSTANCES.pop(pid, None)


def auto_garbage_clean(fallback: Any = _RAISE) -> Callable[[Callable], Callable]:
    """On a psutil error: forget the process in both instance caches, then return `fallback`
    inside GpuProcess.failsafe() (['No Permissions'] for the cmdline of a denied one), or
    re-raise."""

    def wrapper(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapped(self: GpuProcess, *args: Any, **kwargs: Any) -> Any:
            try:
                return func(self, *args, **kwargs)
            except host.PsutilError as ex:
                _forget(self)
                if fallback is _RAISE or not _failsafe_on():
                    raise
                if isinstance(fallback, tuple):
                    if isinstance(ex, host.AccessDenied) and fallback == ('No Such Process',):
                        return ['No Permissions']
                    return list(fallback)
                return fallback

        return wrapped

    return wrapper


def _stored(name: str, kind: type) -> Callable:
    """The GpuProcess method `name`: the value the last update stored as `_name`."""
    attribute = '_' + name

    def stored(self):
        return getattr(self, attribute)

    stored.__name__ = name
    stored.__qualname__ = 'GpuProcess.' + name
    stored.__annotations__ = {'return': kind.__name__}
    return stored


def _type_text(value: Any) -> str:
    text = str(value) if value is not None else ''
    if 'C' in text and 'G' in text:
        return 'C+G'
    if 'C' in text:
        return 'C'
    if 'G' in text:
        return 'G'
    return NA


class GpuProcess:  # pylint: disable=too-many-instance-attributes,too-many-public-methods
    """A process on one GPU: its GPU values as the device reported them, the host's live."""

    INSTANCE_LOCK: threading.RLock = threading.RLock()
    INSTANCES: WeakValueDictionary[tuple[int, Any], GpuProcess] = WeakValueDictionary()

    # pylint: disable-next=too-many-arguments,redefined-builtin
    def __new__(cls, pid: int | None, device: Any, *, gpu_memory: Any = None, gpu_instance_id: Any = None,
                compute_instance_id: Any = None, type: Any = None) -> GpuProcess:
        if pid is None:
            pid = os.getpid()
        with cls.INSTANCE_LOCK:
            try:
                instance = cls.INSTANCES[(pid, device)]
                if instance.is_running():
                    return instance
            except KeyError:
                pass
            instance = super().__new__(cls)
            instance._pid = pid
            instance._host = HostProcess(pid)
            instance._ident = (*instance._host._ident, device.index)
            instance._device = device
            instance._hash = None
            instance._username = None
            cls.INSTANCES[(pid, device)] = instance
            return instance

    # pylint: disable-next=too-many-arguments,redefined-builtin
    def __init__(self, pid: int | None, device: Any, *, gpu_memory: Any = None, gpu_instance_id: Any = None,
                 compute_instance_id: Any = None, type: Any = None) -> None:
        if gpu_memory is None and '_gpu_memory' not in self.__dict__:
            gpu_memory = NA
        if gpu_memory is not None:
            self.set_gpu_memory(gpu_memory)
        if type is None and '_type' not in self.__dict__:
            type = NA
        if type is not None:
            self.type = type
        if gpu_instance_id is not None and compute_instance_id is not None:
            self._gpu_instance_id = gpu_instance_id if gpu_instance_id != UINT_MAX else NA
            self._compute_instance_id = compute_instance_id if compute_instance_id != UINT_MAX else NA
        elif device.is_mig_device():
            self._gpu_instance_id = device.gpu_instance_id()
            self._compute_instance_id = device.compute_instance_id()
        else:
            self._gpu_instance_id = self._compute_instance_id = NA
        for util in ('sm', 'memory', 'encoder', 'decoder'):
            if f'_gpu_{util}_utilization' not in self.__dict__:
                setattr(self, f'_gpu_{util}_utilization', NA)

    def __repr__(self) -> str:
        return '{}(pid={}, gpu_memory={}, type={}, device={}, host={})'.format(  # pylint: disable=consider-using-f-string
            self.__class__.__name__, self.pid, self.gpu_memory_human(), self.type, self.device, self.host)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (GpuProcess, host.Process)):
            return NotImplemented
        return self._ident == other._ident

    __ne__ = _ident_ne
    __hash__ = _ident_hash

    def __getattr__(self, name: str) -> Any:
        """What GpuProcess lacks comes from its HostProcess (psutil errors unchanged)."""
        if name.startswith('_'):
            raise AttributeError(f'{self.__class__.__name__!r} object has no attribute {name!r}')
        attribute = getattr(self.host, name)
        setattr(self, name, attribute)
        return attribute

    @property
    def pid(self) -> int:
        return self._pid

    @property
    def host(self) -> HostProcess:
        return self._host

    @property
    def device(self) -> Any:
        return self._device

    def workload(self) -> dict[str, Any]:
        """Who owns the process: container, Kubernetes pod, Slurm job, systemd session or unit.

        An extension of nvitop-in-C (Python nvitop has no such method): a dict with 'kind',
        'label' and the fields of nvitop_workload_t (docs/workloads.md).
        """
        return _workload.process_workload(self.pid)

    @property
    def type(self) -> str:
        """'C', 'G', 'C+G' or NA."""
        return self._type

    @type.setter
    def type(self, value: Any) -> None:
        self._type = _type_text(value)

    # -- GPU side: stored values, never raise

    gpu_instance_id = _stored('gpu_instance_id', int)
    compute_instance_id = _stored('compute_instance_id', int)
    gpu_memory = _stored('gpu_memory', int)
    gpu_memory_human = _stored('gpu_memory_human', str)
    gpu_memory_percent = _stored('gpu_memory_percent', float)
    gpu_sm_utilization = _stored('gpu_sm_utilization', int)
    gpu_memory_utilization = _stored('gpu_memory_utilization', int)
    gpu_encoder_utilization = _stored('gpu_encoder_utilization', int)
    gpu_decoder_utilization = _stored('gpu_decoder_utilization', int)

    def set_gpu_memory(self, value: Any) -> None:
        """Stores the GPU memory and its human form and percentage of the device's total."""
        self._gpu_memory = value
        self._gpu_memory_human = _utils().bytes2human(value)
        total = self.device.memory_total()
        percent = NA
        if _is_int(value) and _is_int(total) and total > 0:
            percent = round(100.0 * value / total, 1)
        self._gpu_memory_percent = percent

    def set_gpu_utilization(self, gpu_sm_utilization: Any = None, gpu_memory_utilization: Any = None,
                            gpu_encoder_utilization: Any = None, gpu_decoder_utilization: Any = None) -> None:
        """Stores the utilisation values that are not None."""
        if gpu_sm_utilization is not None:
            self._gpu_sm_utilization = gpu_sm_utilization
        if gpu_memory_utilization is not None:
            self._gpu_memory_utilization = gpu_memory_utilization
        if gpu_encoder_utilization is not None:
            self._gpu_encoder_utilization = gpu_encoder_utilization
        if gpu_decoder_utilization is not None:
            self._gpu_decoder_utilization = gpu_decoder_utilization

    def update_gpu_status(self) -> int:
        """Re-reads this process's GPU values through device.processes(); the GPU memory."""
        self.set_gpu_memory(NA)
        self.set_gpu_utilization(NA, NA, NA, NA)
        process = self.device.processes().get(self.pid, self)
        if process is not self:
            self.set_gpu_memory(process.gpu_memory())
            self.set_gpu_utilization(process.gpu_sm_utilization(), process.gpu_memory_utilization(),
                                     process.gpu_encoder_utilization(), process.gpu_decoder_utilization())
        return self.gpu_memory()

    # -- host side: psutil errors, or their fallbacks inside failsafe()

    @auto_garbage_clean(fallback=False)
    def is_running(self) -> bool:
        return self.host.is_running()

    @auto_garbage_clean(fallback='terminated')
    def status(self) -> str:
        return self.host.status()

    @auto_garbage_clean(fallback=NA)
    def create_time(self) -> float:
        return self.host.create_time()

    @auto_garbage_clean(fallback=NA)
    def running_time(self) -> datetime.timedelta:
        return self.host.running_time()

    def running_time_human(self) -> str:
        return _utils().timedelta2human(self.running_time())

    def running_time_in_seconds(self) -> float:
        running_time = self.running_time()
        if running_time is NA:
            return NA
        return running_time.total_seconds()

    elapsed_time = running_time
    elapsed_time_human = running_time_human
    elapsed_time_in_seconds = running_time_in_seconds

    @auto_garbage_clean(fallback=NA)
    def username(self) -> str:
        if self._username is None:
            self._username = self.host.username()
        return self._username

    @auto_garbage_clean(fallback=NA)
    def name(self) -> str:
        return self.host.name()

    @auto_garbage_clean(fallback=NA)
    def cpu_percent(self) -> float:
        return self.host.cpu_percent()

    @auto_garbage_clean(fallback=NA)
    def memory_percent(self) -> float:
        return self.host.memory_percent()

    host_memory_percent = memory_percent

    @auto_garbage_clean(fallback=NA)
    def host_memory(self) -> int:
        return self.host.rss_memory()

    rss_memory = host_memory

    def host_memory_human(self) -> str:
        return _utils().bytes2human(self.host_memory())

    @auto_garbage_clean(fallback=('No Such Process',))
    def cmdline(self) -> list[str]:
        cmdline = self.host.cmdline()
        if len(cmdline) == 0 and not self.host._gone:
            cmdline = ['Zombie Process']
        return cmdline

    def command(self) -> str:
        return command_join(self.cmdline())

    def host_snapshot(self):
        """A Snapshot of the host side (13 keys), from one /proc read."""
        with self.host._memo_block():
            values = self.host._snapshot_values()
            if values is None and _failsafe_on() and self.host._record().na == NaReason.NO_SUCH_PROCESS:
                values = self._gone_snapshot_values()
            elif values is None:  # denied or partly unreadable: each value or its fallback
                values = {key: getattr(self, key)() for key in _HOST_SNAPSHOT_KEYS}
            else:  # one readable record: the values of the methods, without 13 guarded calls
                if self._username is None:
                    self._username = values['username']
                values['username'] = self._username
                if not values['cmdline']:
                    values['cmdline'] = ['Zombie Process']
                    values['command'] = command_join(values['cmdline'])
        return _utils().Snapshot(real=self.host, **values)

    def _gone_snapshot_values(self) -> dict[str, Any]:
        """host_snapshot()'s values inside failsafe() for a process that is gone: what its 13
        guarded methods give (each raises NoSuchProcess, forgets the process and falls back),
        without raising 12 exceptions. tests/python/test_process_gpu.py compares both ways."""
        _forget(self)
        if self._username is None and self.host._username is not None:
            self._username = self.host._username  # username() answers from the host's cache
        utils = _utils()
        return {
            'is_running': False,
            'status': 'terminated',
            'username': NA if self._username is None else self._username,
            'name': NA,
            'cmdline': ['No Such Process'],
            'command': command_join(['No Such Process']),
            'cpu_percent': NA,
            'memory_percent': NA,
            'host_memory': NA,
            'host_memory_human': utils.bytes2human(NA),
            'running_time': NA,
            'running_time_human': utils.timedelta2human(NA),
            'running_time_in_seconds': NA,
        }

    def as_snapshot(self, *, host_process_snapshot_cache: dict[int, Any] | None = None):
        """A Snapshot of both sides (26 keys), the host part shared through the cache."""
        if host_process_snapshot_cache is None:  # 1.7's `or {}` dropped an empty cache: never shared
            host_process_snapshot_cache = {}
        try:
            host_snapshot = host_process_snapshot_cache[self.pid]
        except KeyError:
            host_snapshot = host_process_snapshot_cache[self.pid] = self.host_snapshot()
        return _utils().Snapshot(
            real=self,
            pid=self.pid,
            host=host_snapshot,
            is_running=host_snapshot.is_running,
            status=host_snapshot.status,
            username=host_snapshot.username,
            name=host_snapshot.name,
            cmdline=host_snapshot.cmdline,
            command=host_snapshot.command,
            cpu_percent=host_snapshot.cpu_percent,
            memory_percent=host_snapshot.memory_percent,
            host_memory=host_snapshot.host_memory,
            host_memory_human=host_snapshot.host_memory_human,
            running_time=host_snapshot.running_time,
            running_time_human=host_snapshot.running_time_human,
            running_time_in_seconds=host_snapshot.running_time_in_seconds,
            device=self.device,
            type=self.type,
            gpu_instance_id=self.gpu_instance_id(),
            compute_instance_id=self.compute_instance_id(),
            gpu_memory=self.gpu_memory(),
            gpu_memory_human=self.gpu_memory_human(),
            gpu_memory_percent=self.gpu_memory_percent(),
            gpu_sm_utilization=self.gpu_sm_utilization(),
            gpu_memory_utilization=self.gpu_memory_utilization(),
            gpu_encoder_utilization=self.gpu_encoder_utilization(),
            gpu_decoder_utilization=self.gpu_decoder_utilization(),
        )

    @classmethod
    def take_snapshots(cls, gpu_processes: Iterable[GpuProcess], *, failsafe: bool = False) -> list:
        """Snapshots of the processes in order, one host snapshot per pid."""
        cache: dict[int, Any] = {}
        context = cls.failsafe if failsafe else contextlib.nullcontext
        with context():
            return [process.as_snapshot(host_process_snapshot_cache=cache) for process in gpu_processes]

    @classmethod
    @contextlib.contextmanager
    def failsafe(cls):
        """In this thread, host queries give their fallbacks instead of raising; nestable."""
        previous = _failsafe_on()
        _FAILSAFE.on = True
        try:
            yield
        finally:
            _FAILSAFE.on = previous


HostProcess.register(GpuProcess)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ---- command lines -------------------------------------------------------------------------


def _join(argv: list[str], single_is_path: bool) -> str:
    words = (ctypes.c_char_p * max(len(argv), 1))(*[os.fsencode(word) for word in argv])
    out = ctypes.c_void_p()
    _clib.check(lib.nvitop_command_join(words, len(argv), single_is_path, ctypes.byref(out)))
    try:
        return _os_text(ctypes.string_at(out.value))
    finally:
        lib.nvitop_free(out)


def command_join(cmdline: list[str]) -> str:
    """The command line as a shell would read it back; a single word that is not an existing
    absolute file path (often a whole line setproctitle wrote) is returned as it is."""
    cmdline = list(cmdline)
    single_is_path = len(cmdline) == 1 and os.path.isabs(cmdline[0]) and os.path.isfile(cmdline[0])
    return _join(cmdline, single_is_path)


def add_quotes(s: str) -> str:
    """One argument quoted for a POSIX shell (command_join's rule for each word)."""
    return _join([s], True)
