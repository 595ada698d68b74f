# SPDX-License-Identifier: Apache-2.0
"""Resource metric collection: `take_snapshots`, `ResourceMetricCollector`, `collect_in_background`.

The collector is libnvitop's (include/nvitop/collector.h): its sampling thread, the scopes, the
key names and the statistics (time-weighted mean, min, max, last) all live in C. This module only
turns Python arguments into the C options and the C collection into a dict.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import itertools
import os
import threading
import weakref
from typing import Any, Callable, ClassVar, Generator, Iterable, NamedTuple

from nvitop._cdev import device_pointers
from nvitop._clib import CError, declare, lib
from nvitop.api import libnvml
from nvitop.api.device import CudaDevice, Device, _PendingSnapshots
from nvitop.api.process import GpuProcess
from nvitop.api.utils import MiB, Snapshot


__all__ = ['take_snapshots', 'collect_in_background', 'ResourceMetricCollector']

_EINVAL = -2
_ESTATE = -13
_NVML_INIT_ERRORS = (-3, -4, -5, -6, -8)  # NVITOP_ENOLIB, ENODRIVER, EVERSION, ENVML, EPERM


class _CollectorOptions(ctypes.Structure):
    """nvitop_collector_options_t."""

    _fields_ = [
        ('context', ctypes.c_void_p),
        ('devices', ctypes.POINTER(ctypes.c_void_p)),
        ('device_count', ctypes.c_size_t),
        ('cuda_order', ctypes.c_bool),
        ('root_pids', ctypes.POINTER(ctypes.c_uint32)),
        ('root_pid_count', ctypes.c_size_t),
        ('interval_s', ctypes.c_double),
        ('manual_sampling', ctypes.c_bool),
        ('max_series', ctypes.c_size_t),
    ]


class _Metric(ctypes.Structure):
    """nvitop_metric_t."""

    _fields_ = [('key', ctypes.c_char_p), ('value', ctypes.c_double)]


class _Metrics(ctypes.Structure):
    """nvitop_metrics_t."""

    _fields_ = [('count', ctypes.c_size_t), ('items', ctypes.POINTER(_Metric))]


_ON_COLLECTOR = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
_ON_COLLECT = ctypes.CFUNCTYPE(ctypes.c_bool, ctypes.POINTER(_Metrics), ctypes.c_void_p)


class _DaemonOptions(ctypes.Structure):
    """nvitop_daemon_options_t."""

    _fields_ = [
        ('on_start', _ON_COLLECTOR),
        ('on_collect', _ON_COLLECT),
        ('on_stop', _ON_COLLECTOR),
        ('arg', ctypes.c_void_p),
        ('interval_s', ctypes.c_double),
        ('tag', ctypes.c_char_p),
    ]


_P = ctypes.c_void_p
declare('nvitop_collector_options_init', None, ctypes.POINTER(_CollectorOptions))
declare('nvitop_collector_new', ctypes.c_int, ctypes.POINTER(_CollectorOptions), ctypes.POINTER(_P),
        ctypes.c_char_p, ctypes.c_size_t)
declare('nvitop_collector_free', None, _P)
declare('nvitop_collector_begin', ctypes.c_int, _P, ctypes.c_char_p)
declare('nvitop_collector_end', ctypes.c_int, _P, ctypes.c_char_p)
declare('nvitop_collector_clear', ctypes.c_int, _P, ctypes.c_char_p)
declare('nvitop_collector_collect', ctypes.c_int, _P, ctypes.POINTER(ctypes.POINTER(_Metrics)))
declare('nvitop_collector_sample', ctypes.c_int, _P)
declare('nvitop_collector_message', ctypes.c_char_p, _P, ctypes.c_char_p, ctypes.c_size_t)
declare('nvitop_metrics_free', None, ctypes.POINTER(_Metrics))
declare('nvitop_collector_daemonize', ctypes.c_int, _P, ctypes.POINTER(_DaemonOptions), ctypes.POINTER(_P))
declare('nvitop_daemon_stop', None, _P)
declare('nvitop_daemon_join', ctypes.c_int, _P)
declare('nvitop_daemon_free', None, _P)
declare('nvitop_collector_last_pids', ctypes.c_int, _P, ctypes.POINTER(ctypes.c_uint32), ctypes.c_size_t)


class SnapshotResult(NamedTuple):  # pylint: disable=missing-class-docstring
    devices: list[Snapshot]
    gpu_processes: list[Snapshot]


def _unique(iterable: Iterable) -> list:
    return list(dict.fromkeys(iterable))


def take_snapshots(
    devices: Device | Iterable[Device] | None = None,
    *,
    gpu_processes: bool | GpuProcess | Iterable[GpuProcess] | None = None,
) -> SnapshotResult:
    """Retrieve the status of demand devices and GPU processes.

    Args:
        devices: the devices to snapshot; all physical devices and their MIG devices if not given.
        gpu_processes: True or None: the processes of those devices; False: no processes; a
            GpuProcess or an iterable of them: exactly those (and, without `devices`, their devices).

    Returns: SnapshotResult(devices, gpu_processes), two lists of snapshots.
    """
    if isinstance(devices, Device):
        devices = [devices]
    if isinstance(gpu_processes, GpuProcess):
        gpu_processes = [gpu_processes]

    # The devices first: their slow questions run in libnvitop while the processes are read.
    refresh: list[Device] = []  # devices whose processes() refresh the given processes
    if gpu_processes is not None and gpu_processes is not True:
        given = bool(gpu_processes)  # an iterable of processes (a generator even if empty)
        gpu_processes = list(gpu_processes) if given else []  # False or an empty collection: []
        refresh = _unique(process.device for process in gpu_processes)
        if devices is None:
            devices = refresh if given else Device.all()
        leaf_devices = None
    elif devices is None:
        devices, leaf_devices = [], []
        for physical_device in Device.all():
            devices.append(physical_device)
            mig_devices = physical_device.mig_devices()
            devices.extend(mig_devices)
            leaf_devices.extend(mig_devices or [physical_device])
    else:
        leaf_devices = devices = list(devices)
    return _take_snapshots(_PendingSnapshots(devices), refresh, leaf_devices, gpu_processes)


def _take_snapshots(
    pending: _PendingSnapshots,
    refresh: list[Device],
    leaf_devices: list[Device] | None,
    gpu_processes: list[GpuProcess] | None,
) -> SnapshotResult:
    """take_snapshots() once its devices' queries are under way: the processes (of
    `leaf_devices`, or `gpu_processes` after refreshing them through `refresh`), their snapshots,
    then the devices' snapshots."""
    try:
        for device in refresh:
            device.processes()  # refreshes the GPU statistics of the given processes
        if leaf_devices is not None:
            gpu_processes = list(
                itertools.chain.from_iterable(device.processes().values() for device in leaf_devices),
            )
        process_snapshots = GpuProcess.take_snapshots(gpu_processes, failsafe=True)
    except BaseException:
        pending.cancel()
        raise
    return SnapshotResult(pending.finish(), process_snapshots)


# Daemons still running are stopped and waited for before the interpreter goes away: their C
# thread calls back into Python, which it must not do during finalisation. A daemon leaves this
# table (under the lock) before it is freed, so a pointer read here under the lock is valid.
_LIVE_DAEMONS: dict[threading.Thread, int] = {}
_LIVE_LOCK = threading.Lock()


@atexit.register
def _stop_daemons() -> None:
    with _LIVE_LOCK:
        threads = list(_LIVE_DAEMONS)
        for daemon in _LIVE_DAEMONS.values():
            lib.nvitop_daemon_stop(daemon)
    for thread in threads:
        thread.join(timeout=10.0)


class _DaemonThread(threading.Thread):
    """The thread collect_in_background() returns: it runs libnvitop's daemon and waits for it."""

    # pylint: disable-next=too-many-arguments
    def __init__(self, collector, on_collect, interval, on_start, on_stop, tag) -> None:
        super().__init__(name=tag, daemon=True)
        self.collector = collector
        self._on_collect, self._on_start, self._on_stop = on_collect, on_start, on_stop
        self._interval = interval
        self._tag = tag
        self._errors: list[BaseException] = []

    def _call(self, function, *args, always: bool = False) -> Any:
        if self._errors and not always:
            return False
        try:
            return function(*args)
        except KeyboardInterrupt:
            return False
        except BaseException as ex:  # pylint: disable=broad-except
            self._errors.append(ex)  # raised again from run(), as a Python thread would
            return False

    def _options(self) -> _DaemonOptions:
        collector = self.collector
        no_call = _ON_COLLECTOR()
        start = no_call if self._on_start is None else _ON_COLLECTOR(
            lambda _c, _a: self._call(self._on_start, collector) and None)
        stop = no_call if self._on_stop is None else _ON_COLLECTOR(
            lambda _c, _a: self._call(self._on_stop, collector, always=True) and None)
        collect = _ON_COLLECT(
            lambda metrics, _a: bool(self._call(self._on_collect, _metrics_dict(metrics.contents))))
        # The callbacks must outlive the C thread: they stay referenced by the options kept here.
        self._callbacks = (start, stop, collect)
        return _DaemonOptions(start, collect, stop, None, self._interval, self._tag.encode())

    def run(self) -> None:
        collector = self.collector
        options = self._options()
        daemon = ctypes.c_void_p()
        code = lib.nvitop_collector_daemonize(collector._handle, ctypes.byref(options), ctypes.byref(daemon))
        if code == _ESTATE:  # the tag is taken: as nvitop, on_start, the error, then on_stop
            try:
                if self._on_start is not None:
                    self._on_start(collector)
                raise RuntimeError(collector._message())
            finally:
                if self._on_stop is not None:
                    self._on_stop(collector)
        collector._check(code)
        with _LIVE_LOCK:
            _LIVE_DAEMONS[self] = daemon.value
        try:
            lib.nvitop_daemon_join(daemon)  # the GIL is released while the C thread runs
        finally:
            with _LIVE_LOCK:
                del _LIVE_DAEMONS[self]
            lib.nvitop_daemon_free(daemon)
        if self._errors:
            raise self._errors[0]


# pylint: disable-next=too-many-arguments
def collect_in_background(
    on_collect: Callable[[dict[str, float]], bool],
    collector: ResourceMetricCollector | None = None,
    interval: float | None = None,
    *,
    on_start: Callable[[ResourceMetricCollector], None] | None = None,
    on_stop: Callable[[ResourceMetricCollector], None] | None = None,
    tag: str = 'metrics-daemon',
    start: bool = True,
) -> threading.Thread:
    """Start a daemon thread that calls `on_collect(collector.collect())` every `interval` seconds.

    The collection runs inside `with collector(tag)`, so the keys start with `tag`. It stops when
    `on_collect` returns a falsy value; `on_start(collector)` runs before and `on_stop(collector)`
    after. The thread (named `tag`, with the attribute `collector`) is started unless `start` is
    False.
    """
    if collector is None:
        collector = ResourceMetricCollector()
    if isinstance(interval, (int, float)) and not isinstance(interval, bool) and interval > 0:
        interval = float(interval)
    elif interval is None:
        interval = collector.interval
    else:
        raise ValueError(f'Invalid argument interval={interval!r}')

    daemon = _DaemonThread(collector, on_collect, interval, on_start, on_stop, tag)
    if start:
        daemon.start()
    return daemon


def _metrics_dict(metrics: _Metrics) -> dict[str, float]:
    items = metrics.items
    return {items[i].key.decode('utf-8', 'replace'): items[i].value for i in range(metrics.count)}


def _valid_interval(interval: Any) -> float:
    if isinstance(interval, (int, float)) and not isinstance(interval, bool) and interval > 0:
        return float(interval)
    raise ValueError(f'Invalid argument interval={interval!r}')


class ResourceMetricCollector:  # pylint: disable=too-many-instance-attributes
    """Collects the resource metrics of the host, the GPUs and the GPU processes of a run.

    Args:
        devices: the devices to log (a single Device is accepted too); all physical devices if
            not given. A MIG-enabled GPU adds its MIG devices.
        root_pids: only GPU processes descending from these pids are logged; the current process
            if not given; {1} logs every GPU process; an empty set none.
        interval: seconds between two samples of the background sampler.

    Core methods::

        collector.activate(tag='<tag>')  # alias: start
        collector.deactivate()           # alias: stop
        collector.clear(tag='<tag>')
        collector.collect()

        with collector(tag='<tag>'):
            ...

        collector.daemonize(on_collect_fn)

    Keys are '<tag>[/<tag>...]/<scope>/<metric (unit)>/<mean|min|max|last>'.
    """

    # (<attribute>, <name>, <unit>): documentation of what the C collector samples.
    DEVICE_METRICS: ClassVar[list[tuple[str, str, float | int]]] = [
        ('memory_used', 'memory_used (MiB)', MiB),
        ('memory_free', 'memory_free (MiB)', MiB),
        ('memory_total', 'memory_total (MiB)', MiB),
        ('memory_percent', 'memory_percent (%)', 1.0),
        ('gpu_utilization', 'gpu_utilization (%)', 1.0),
        ('memory_utilization', 'memory_utilization (%)', 1.0),
        ('fan_speed', 'fan_speed (%)', 1.0),
        ('temperature', 'temperature (C)', 1.0),
        ('power_usage', 'power_usage (W)', 1000.0),
    ]

    # (<attribute>, <scope>, <name>, <unit>); scope None is the process's device.
    PROCESS_METRICS: ClassVar[list[tuple[str, str | None, str, float | int]]] = [
        ('cpu_percent', 'host', 'cpu_percent (%)', 1.0),
        ('host_memory', 'host', 'host_memory (MiB)', MiB),
        ('host_memory_percent', 'host', 'host_memory_percent (%)', 1.0),
        ('running_time_in_seconds', 'host', 'running_time (min)', 60.0),
        ('gpu_memory', None, 'gpu_memory (MiB)', MiB),
        ('gpu_memory_percent', None, 'gpu_memory_percent (%)', 1.0),
        ('gpu_memory_utilization', None, 'gpu_memory_utilization (%)', 1.0),
        ('gpu_sm_utilization', None, 'gpu_sm_utilization (%)', 1.0),
    ]

    _handle: int | None = None  # so that a failed constructor leaves nothing to clean up

    def __init__(
        self,
        devices: Device | Iterable[Device] | None = None,
        *,
        root_pids: Iterable[int] | None = None,
        interval: float = 1.0,
    ) -> None:
        """Initialize the resource metric collector."""
        self.interval: float = _valid_interval(interval)
        if devices is None:
            devices = Device.all()
        elif isinstance(devices, Device):
            devices = [devices]  # the README's `devices=Device(0)`
        self.devices: list[Device] = list(devices)
        self.all_devices: list[Device] = []
        self.leaf_devices: list[Device] = []
        for device in self.devices:
            self.all_devices.append(device)
            mig_devices = device.mig_devices()
            self.all_devices.extend(mig_devices)
            self.leaf_devices.extend(mig_devices or [device])
        self.root_pids: set[int] = {os.getpid()} if root_pids is None else set(root_pids)
        self._handle = self._new_c_collector()
        weakref.finalize(self, lib.nvitop_collector_free, self._handle).atexit = False

    def _new_c_collector(self) -> int:
        options = _CollectorOptions()
        lib.nvitop_collector_options_init(ctypes.byref(options))
        pointers = device_pointers(self.devices)
        options.devices = ctypes.cast(pointers, ctypes.POINTER(ctypes.c_void_p))
        options.device_count = len(self.devices)
        options.cuda_order = bool(self.devices) and all(isinstance(d, CudaDevice) for d in self.devices)
        pids = (ctypes.c_uint32 * max(len(self.root_pids), 1))(*sorted(self.root_pids))
        options.root_pids = ctypes.cast(pids, ctypes.POINTER(ctypes.c_uint32))
        options.root_pid_count = len(self.root_pids)
        options.interval_s = self.interval
        handle = ctypes.c_void_p()
        message = ctypes.create_string_buffer(256)
        code = lib.nvitop_collector_new(ctypes.byref(options), ctypes.byref(handle), message, len(message))
        if code in _NVML_INIT_ERRORS:  # no driver, no library...: the NVMLError of nvitop's queries
            raise libnvml.error_from_c(code)
        if code < 0:
            raise CError(code, message.value.decode(errors='replace'))
        return handle.value

    def _message(self) -> str:
        buffer = ctypes.create_string_buffer(512)
        lib.nvitop_collector_message(self._handle, buffer, len(buffer))
        return buffer.value.decode(errors='replace')

    def _check(self, code: int) -> int:
        if code == _ESTATE:
            raise RuntimeError(self._message())
        if code == _EINVAL:
            raise ValueError(self._message() or 'invalid argument')
        if code < 0:
            raise CError(code, self._message() or lib.nvitop_strerror(code).decode())
        return code

    @staticmethod
    def _tag(tag: str | None) -> bytes | None:
        return None if tag is None else str(tag).encode()

    def activate(self, tag: str) -> ResourceMetricCollector:
        """Start a new metric collection with the given tag, nested in the current one."""
        self._check(lib.nvitop_collector_begin(self._handle, self._tag(tag)))
        return self

    start = activate

    def deactivate(self, tag: str | None = None) -> ResourceMetricCollector:
        """Stop the collection `tag` (the innermost if None) and every collection inside it."""
        self._check(lib.nvitop_collector_end(self._handle, self._tag(tag)))
        return self

    stop = deactivate

    @contextlib.contextmanager
    def context(self, tag: str) -> Generator[ResourceMetricCollector, None, None]:
        """A context manager: `activate(tag)` on entry, `deactivate(tag)` on exit."""
        self.activate(tag=tag)
        try:
            yield self
        finally:
            self.deactivate(tag=tag)

    __call__ = context  # `with collector(tag='<tag>'):`

    def clear(self, tag: str | None = None) -> None:
        """Reset the collection `tag` (the innermost if None) and every collection inside it."""
        self._check(lib.nvitop_collector_clear(self._handle, self._tag(tag)))

    reset = clear

    def collect(self) -> dict[str, float]:
        """The statistics of the innermost collection since it began or was cleared."""
        out = ctypes.POINTER(_Metrics)()
        self._check(lib.nvitop_collector_collect(self._handle, ctypes.byref(out)))
        try:
            return _metrics_dict(out.contents)
        finally:
            lib.nvitop_metrics_free(out)

    # pylint: disable-next=too-many-arguments
    def daemonize(
        self,
        on_collect: Callable[[dict[str, float]], bool],
        interval: float | None = None,
        *,
        on_start: Callable[[ResourceMetricCollector], None] | None = None,
        on_stop: Callable[[ResourceMetricCollector], None] | None = None,
        tag: str = 'metrics-daemon',
        start: bool = True,
    ) -> threading.Thread:
        """`collect_in_background(on_collect, collector=self, ...)`."""
        return collect_in_background(
            on_collect, collector=self, interval=interval,
            on_start=on_start, on_stop=on_stop, tag=tag, start=start,
        )

    def _last_pids(self) -> set[int]:
        size = 1024
        while True:
            pids = (ctypes.c_uint32 * size)()
            count = self._check(lib.nvitop_collector_last_pids(self._handle, pids, size))
            if count <= size:
                return set(pids[:count])
            size = count

    def take_snapshots(self) -> SnapshotResult:
        """Take one sample now (added to every active collection) and return its snapshots."""
        pending = _PendingSnapshots(self.all_devices)  # runs while the collector samples
        try:
            self._check(lib.nvitop_collector_sample(self._handle))
            pids = self._last_pids()
            processes = [
                process
                for device in self.leaf_devices
                for process in device.processes().values()
                if process.pid in pids
            ]
        except BaseException:
            pending.cancel()
            raise
        # take_snapshots(self.all_devices, gpu_processes=processes or False), devices begun above
        return _take_snapshots(pending, _unique(p.device for p in processes), None, processes)
