# SPDX-License-Identifier: Apache-2.0
"""The device classes (nvitop.api.device of nvitop 1.7) over libnvitop's device objects.

Each Device holds `_handle`, the C nvitop_device_t*. Every query is one libnvitop call
(nvitop_device_query() with the NVITOP_DQ_* bits of that query) read through the ctypes
mirror of nvitop_device_snapshot_t (_cdevice.DeviceSnapshot); a value the driver does not give
is NA, whatever the reason. CUDA_VISIBLE_DEVICES is resolved by libnvitop
(nvitop_cuda_devices(): the CUDA driver in a child process, else NVML rules).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import re
import threading
from typing import Any, Callable, ClassVar, Generator, Iterable, NamedTuple

from nvitop import _clib
from nvitop.api import _cdevice as C
from nvitop.api import libcudart, libnvml
from nvitop.api.utils import (
    NA,
    UINT_MAX,
    NaType,
    Snapshot,
    boolify,
    bytes2human,
    memoize_when_activated,
)

__all__ = [
    'CudaDevice',
    'CudaMigDevice',
    'Device',
    'MigDevice',
    'PhysicalDevice',
    'normalize_cuda_visible_devices',
    'parse_cuda_visible_devices',
]

_lib = _clib.lib


class MemoryInfo(NamedTuple):  # in bytes # pylint: disable=missing-class-docstring
    total: int | NaType
    free: int | NaType
    used: int | NaType
    reserved: int | NaType = NA


class ClockInfos(NamedTuple):  # in MHz # pylint: disable=missing-class-docstring
    graphics: int | NaType
    sm: int | NaType
    memory: int | NaType
    video: int | NaType


class ClockSpeedInfos(NamedTuple):  # pylint: disable=missing-class-docstring
    current: ClockInfos
    max: ClockInfos


class UtilizationRates(NamedTuple):  # in percentage # pylint: disable=missing-class-docstring
    gpu: int | NaType
    memory: int | NaType
    encoder: int | NaType
    decoder: int | NaType


class ThroughputInfo(NamedTuple):  # in KiB/s # pylint: disable=missing-class-docstring
    tx: int | NaType
    rx: int | NaType

    @property
    def transmit(self) -> int | NaType:
        """Alias of tx."""
        return self.tx

    @property
    def receive(self) -> int | NaType:
        """Alias of rx."""
        return self.rx


class _OmittedType:  # the repr nvitop gives its sentinel
    def __repr__(self) -> str:
        return '<VALUE OMITTED>'


_VALUE_OMITTED = _OmittedType()  # type: ignore[assignment]


def _int(field: _clib.CInt) -> int | NaType:
    return field.value if field.na == 0 else NA


def _real(field: _clib.CReal) -> float | NaType:
    return field.value if field.na == 0 else NA


def _str(field: _clib.CStr) -> str | NaType:
    return _clib.text(field.value) if field.na == 0 and field.value is not None else NA


def _enum(field: _clib.CInt, to_string: Callable) -> str | NaType:
    if field.na != 0:
        return NA
    text = to_string(field.value)
    return NA if text is None else text.decode()


def _clock_of(kind: str, *, maximum: bool = False) -> Callable:
    """The Device method `[max_]<kind>_clock`: one field of clock_infos() or max_clock_infos()."""
    infos = 'max_clock_infos' if maximum else 'clock_infos'

    def clock(self) -> int | NaType:
        return getattr(getattr(self, infos)(), kind)

    clock.__name__ = ('max_' if maximum else '') + kind + '_clock'
    clock.__qualname__ = 'Device.' + clock.__name__
    label = 'SM' if kind == 'sm' else kind
    clock.__doc__ = f'{"Maximum" if maximum else "Current"} {label} clock, MHz.'
    return clock


def _nvml_error(code: int) -> libnvml.NVMLError:
    return libnvml.error_from_c(code)


def _raw_handle(pointer: ctypes.c_void_p) -> int:
    return int(pointer.value)


def _device_by_index(index: int) -> int:
    libnvml._initialize()  # pylint: disable=protected-access
    ptr = ctypes.c_void_p()
    with _clib.LOCK:
        rc = _lib.nvitop_device_get(_clib.context(), index, ctypes.byref(ptr))
    if rc == -7:  # ENOTFOUND: an index out of range, as NVML says it
        raise libnvml.NVMLError(libnvml.NVML_ERROR_INVALID_ARGUMENT)  # pylint: disable=no-member
    if rc < 0:
        raise _nvml_error(rc)
    return _raw_handle(ptr)


def _device_by(function: str, key: str) -> int:
    libnvml._initialize()  # pylint: disable=protected-access
    ptr = ctypes.c_void_p()
    with _clib.LOCK:
        rc = getattr(_lib, function)(_clib.context(), key.encode(), ctypes.byref(ptr))
    if rc < 0:
        raise _nvml_error(rc)
    return _raw_handle(ptr)


def _mig_by_index(parent_handle: int, mig_index: int) -> int:
    ptr = ctypes.c_void_p()
    with _clib.LOCK:
        rc = _lib.nvitop_device_mig_get(parent_handle, mig_index, ctypes.byref(ptr))
    if rc == -7 or rc == -2:
        raise libnvml.mig_index_error(parent_handle, mig_index)
    if rc < 0:
        raise _nvml_error(rc)
    return _raw_handle(ptr)


class _LazyGpuProcessClass:  # pylint: disable=too-few-public-methods
    """nvitop.api.process.GpuProcess, imported on first use (process imports device)."""

    def __get__(self, instance: Any, owner: type | None = None) -> type:
        try:
            from nvitop.api.process import GpuProcess  # pylint: disable=import-outside-toplevel
        except AttributeError as ex:  # not to be taken for a missing attribute of the device
            raise ImportError(f'nvitop.api.process cannot be imported: {ex}') from ex
        return GpuProcess


class Device:  # pylint: disable=too-many-instance-attributes,too-many-public-methods
    """Live class of the GPU devices, different from the device snapshots."""

    # https://docs.nvidia.com/deploy/nvml-api/group__nvmlDeviceQueries.html
    UUID_PATTERN: re.Pattern = re.compile(
        r"""^  # full match
        (?:(?P<MigMode>MIG)-)?                                 # prefix for MIG UUID
        (?:(?P<GpuUuid>GPU)-)?                                 # prefix for GPU UUID
        (?(MigMode)|(?(GpuUuid)|GPU-))                         # always have a prefix
        (?P<UUID>[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})  # UUID for the GPU/MIG device in lower case
        # Suffix for MIG device while using GPU UUID with GPU instance (GI) ID and compute instance (CI) ID
        (?(MigMode)  # match only when the MIG prefix matches
            (?(GpuUuid)  # match only when provide with GPU UUID
                /(?P<GpuInstanceId>\d+)     # GI ID of the MIG device
                /(?P<ComputeInstanceId>\d+) # CI ID of the MIG device
            |)
        |)
        $""",  # full match
        flags=re.VERBOSE,
    )

    GPU_PROCESS_CLASS: ClassVar[type] = _LazyGpuProcessClass()  # type: ignore[assignment]
    cuda: ClassVar[type[CudaDevice]] = None  # type: ignore[assignment]  # set below

    SNAPSHOT_KEYS: ClassVar[list[str]] = [
        'name',
        'uuid',
        'bus_id',
        'memory_info',
        'memory_used',
        'memory_free',
        'memory_total',
        'memory_used_human',
        'memory_free_human',
        'memory_total_human',
        'memory_percent',
        'memory_usage',
        'utilization_rates',
        'gpu_utilization',
        'memory_utilization',
        'encoder_utilization',
        'decoder_utilization',
        'clock_infos',
        'max_clock_infos',
        'clock_speed_infos',
        'sm_clock',
        'memory_clock',
        'fan_speed',
        'temperature',
        'power_usage',
        'power_limit',
        'power_status',
        'pcie_throughput',
        'pcie_tx_throughput',
        'pcie_rx_throughput',
        'pcie_tx_throughput_human',
        'pcie_rx_throughput_human',
        'display_active',
        'display_mode',
        'current_driver_model',
        'persistence_mode',
        'performance_state',
        'total_volatile_uncorrected_ecc_errors',
        'compute_mode',
        'cuda_compute_capability',
        'mig_mode',
    ]

    # ---- class-level queries ------------------------------------------------------------------

    @classmethod
    def is_available(cls) -> bool:
        """True when there is at least one device (False on any NVML error)."""
        try:
            return cls.count() > 0
        except libnvml.NVMLError:
            return False

    @staticmethod
    def driver_version() -> str | NaType:
        """The driver version, e.g. '580.159.04'."""
        libnvml._initialize()  # pylint: disable=protected-access
        with _clib.LOCK:
            return _str(_lib.nvitop_driver_version(_clib.context()))

    @staticmethod
    def cuda_driver_version() -> str | NaType:
        """The highest CUDA version the driver supports, e.g. '13.0'."""
        libnvml._initialize()  # pylint: disable=protected-access
        with _clib.LOCK:
            version = _lib.nvitop_cuda_driver_version(_clib.context())
        if version.na != 0:
            return NA
        buf = ctypes.create_string_buffer(32)
        return _lib.nvitop_cuda_version_string(version.value, buf, len(buf)).decode()

    max_cuda_version = cuda_driver_version

    @staticmethod
    def cuda_runtime_version() -> str | NaType:
        """The CUDA runtime version ('X.Y'), NA without libcudart."""
        try:
            return libcudart.cudaRuntimeGetVersion()
        except libcudart.cudaError:
            return NA

    cudart_version = cuda_runtime_version

    @classmethod
    def count(cls) -> int:
        """The number of physical GPUs (raises if NVML cannot be initialised)."""
        libnvml._initialize()  # pylint: disable=protected-access
        count = ctypes.c_uint(0)
        with _clib.LOCK:
            rc = _lib.nvitop_device_count(_clib.context(), ctypes.byref(count))
        if rc < 0:
            raise _nvml_error(rc)
        return count.value

    @classmethod
    def all(cls) -> list[PhysicalDevice]:
        """Every physical GPU ([] without a driver)."""
        return cls.from_indices()  # type: ignore[return-value]

    @classmethod
    def from_indices(cls, indices: int | Iterable[int | tuple[int, int]] | None = None) -> list:
        """Devices by NVML index; None: all of them."""
        if indices is None:
            try:
                indices = range(cls.count())
            except libnvml.NVMLError:
                return []
        if isinstance(indices, int):
            indices = [indices]
        return list(map(cls, indices))  # type: ignore[arg-type]

    @staticmethod
    def from_cuda_visible_devices() -> list[CudaDevice]:
        """The devices a CUDA program would see, in CUDA order."""
        visible = _parse_cuda_visible_devices_to_indices(os.getenv('CUDA_VISIBLE_DEVICES'))
        return [CudaDevice(cuda_index, nvml_index=nvml_index)
                for cuda_index, nvml_index in enumerate(visible)]

    @staticmethod
    def from_cuda_indices(cuda_indices: int | Iterable[int] | None = None) -> list[CudaDevice]:
        """CUDA devices by CUDA ordinal; None: all of them."""
        cuda_devices = Device.from_cuda_visible_devices()
        if cuda_indices is None:
            return cuda_devices
        if isinstance(cuda_indices, int):
            cuda_indices = [cuda_indices]
        cuda_indices = list(cuda_indices)
        count = len(cuda_devices)
        devices = []
        for cuda_index in cuda_indices:
            if not isinstance(cuda_index, int) or not 0 <= cuda_index < count:
                raise RuntimeError(f'CUDA Error: invalid device ordinal: {cuda_index!r}.')
            devices.append(cuda_devices[cuda_index])
        return devices

    @staticmethod
    def parse_cuda_visible_devices(
        cuda_visible_devices: str | None = _VALUE_OMITTED,
    ) -> list[int] | list[tuple[int, int]]:
        """NVML indices of the devices CUDA_VISIBLE_DEVICES selects (see the module function)."""
        return parse_cuda_visible_devices(cuda_visible_devices)

    @staticmethod
    def normalize_cuda_visible_devices(cuda_visible_devices: str | None = _VALUE_OMITTED) -> str:
        """The same devices as comma-separated UUIDs (see the module function)."""
        return normalize_cuda_visible_devices(cuda_visible_devices)

    # ---- construction ------------------------------------------------------------------------

    def __new__(
        cls,
        index: int | tuple[int, int] | str | None = None,
        *,
        uuid: str | None = None,
        bus_id: str | None = None,
    ) -> Device:
        if (index, uuid, bus_id).count(None) != 2:
            raise TypeError(
                f'Device(index=None, uuid=None, bus_id=None) takes 1 non-None arguments '
                f'but (index, uuid, bus_id) = {(index, uuid, bus_id)!r} were given',
            )
        if cls is not Device:
            return super().__new__(cls)
        match = None
        if isinstance(index, str):
            match = cls.UUID_PATTERN.match(index)
            if match is not None:
                uuid = index
        if uuid is not None and match is None:
            match = cls.UUID_PATTERN.match(uuid)
        if index is not None and match is None:
            if isinstance(index, tuple):
                if len(index) == 2 and all(isinstance(i, int) for i in index):
                    return super().__new__(MigDevice)
                raise TypeError(
                    f'index for MIG device must be a tuple of two integers '
                    f'but index = {index!r} was given',
                )
            if not isinstance(index, int):
                raise TypeError(
                    f'index must be an integer, or a tuple of two integers, or a valid UUID string, '
                    f'but index = {index!r} was given',
                )
        elif uuid is not None and match is not None and match.group('MigMode') is not None:
            return super().__new__(MigDevice)
        return super().__new__(PhysicalDevice)

    def __init__(
        self,
        index: int | str | None = None,
        *,
        uuid: str | None = None,
        bus_id: str | None = None,
    ) -> None:
        if isinstance(index, str) and self.UUID_PATTERN.match(index) is not None:
            index, uuid = None, index
        self._name: str | NaType = NA
        self._uuid: str | NaType = NA
        self._bus_id: str | NaType = NA
        self._memory_total: int | NaType = NA
        self._memory_total_human: str | NaType = NA
        self._nvlink_link_count: int | None = None
        self._cuda_compute_capability: tuple[int, int] | NaType | None = None
        self._lock = threading.RLock()
        self._cuda_index: int | None = None
        self._max_clock_infos = ClockInfos(NA, NA, NA, NA)
        self._is_mig_device: bool | None = None
        if index is not None:
            self._nvml_index: int | tuple[int, int] | NaType = index
            self._handle: int | None = _device_by_index(index)  # type: ignore[arg-type]
        else:
            if uuid is not None:
                self._handle = _device_by('nvitop_device_by_uuid', uuid)
            else:
                self._handle = _device_by('nvitop_device_by_bus_id', bus_id)  # type: ignore[arg-type]
            self._nvml_index = int(_lib.nvitop_device_physical_index(self._handle))
        self._ident: tuple[Any, str] = (self.index, self.uuid())
        self._hash: int | None = None

    # ---- protocols ---------------------------------------------------------------------------

    def __repr__(self) -> str:
        return '{}(index={}, name={!r}, total_memory={})'.format(  # noqa: UP032
            self.__class__.__name__,
            self.index,
            self.name(),
            self.memory_total_human(),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Device):
            return NotImplemented
        return self._ident == other._ident

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(self._ident)
        return self._hash

    def __getattr__(self, name: str) -> Any:
        """nvitop's dynamic NVML methods, through libnvml.nvmlQuery's documented subset."""
        if name.startswith('_'):  # private state (also while __init__ has not set it yet)
            raise AttributeError(f'{self.__class__.__name__!r} object has no attribute {name!r}')
        try:
            return super().__getattribute__(name)
        except AttributeError:
            if self._handle is None:
                return lambda: NA
            match = libnvml.VERSIONED_PATTERN.match(name)
            base, suffix = (match.group('name'), match.group('suffix')) if match else (name, '')
            candidates = [
                'nvmlDeviceGet' + base.title().replace('_', '') + suffix,
                'nvmlDeviceGet' + ''.join(p[:1].upper() + p[1:] for p in base.split('_')) + suffix,
            ]
            for func in candidates:
                if libnvml.has_function(func):
                    break
            else:
                raise AttributeError(f"module 'pynvml' has no attribute {candidates[0]!r}") from None

            def attribute(*args: Any, **kwargs: Any) -> Any:
                try:
                    return libnvml.nvmlQuery(func, self, *args, **kwargs, ignore_errors=False)
                except libnvml.NVMLError_NotSupported:  # pylint: disable=no-member
                    return NA

            attribute.__name__ = name
            attribute.__qualname__ = f'{self.__class__.__name__}.{name}'
            setattr(self, name, attribute)
            return attribute

    def __reduce__(self) -> tuple[type[Device], tuple[int | tuple[int, int]]]:
        return self.__class__, (self._nvml_index,)

    # ---- the C query -------------------------------------------------------------------------

    def _query(self, what: int) -> C.DeviceSnapshot:
        """One libnvitop query of the NVITOP_DQ_* groups in `what` (inside oneshot(), answered by
        the block's prefetch when that asked them all: one driver question per block, not two)."""
        prefetched = getattr(self, '_cache', {}).get('_prefetched')
        if prefetched is not None and not what & ~prefetched[0]:
            return prefetched[1]
        snapshot = C.DeviceSnapshot()
        if self._handle is None:
            _lib.nvitop_device_snapshot_clear(ctypes.byref(snapshot))
            return snapshot
        with _clib.LOCK:
            _lib.nvitop_device_query(self._handle, what, ctypes.byref(snapshot))
        return snapshot

    # ---- properties --------------------------------------------------------------------------

    @property
    def index(self) -> int | tuple[int, int] | NaType:
        """The NVML index: an int, or (parent, mig) for a MIG device."""
        return self._nvml_index

    @property
    def nvml_index(self) -> int | tuple[int, int] | NaType:
        """The same as index."""
        return self._nvml_index

    @property
    def physical_index(self) -> int:
        """The NVML index of the physical GPU (the parent's for a MIG device)."""
        return self._nvml_index  # type: ignore[return-value]

    @property
    def handle(self) -> int | None:
        """The libnvitop device object (an nvitop_device_t* as an int), or None."""
        return self._handle

    @property
    def cuda_index(self) -> int:
        """The position of this device in CUDA's order (RuntimeError if CUDA cannot see it)."""
        if self._cuda_index is None:
            visible = _parse_cuda_visible_devices_to_indices(os.getenv('CUDA_VISIBLE_DEVICES'))
            try:
                self._cuda_index = visible.index(self.index)  # type: ignore[arg-type]
            except ValueError as ex:
                raise RuntimeError(
                    f'CUDA Error: Device(index={self.index}) is not visible to CUDA applications',
                ) from ex
        return self._cuda_index

    # ---- identity ----------------------------------------------------------------------------

    def name(self) -> str | NaType:
        """The product name, e.g. 'NVIDIA H100 80GB HBM3' (cached)."""
        if self._name is NA:
            self._name = _str(self._query(C.DQ_NAME).name)
        return self._name

    def uuid(self) -> str | NaType:
        """'GPU-...' or 'MIG-...' (cached)."""
        if self._uuid is NA:
            self._uuid = _str(self._query(C.DQ_UUID).uuid)
        return self._uuid

    def bus_id(self) -> str | NaType:
        """The PCI bus id, e.g. '00000000:18:00.0' (cached)."""
        if self._bus_id is NA:
            self._bus_id = _str(self._query(C.DQ_BUS_ID).bus_id)
        return self._bus_id

    def serial(self) -> str | NaType:
        """The board serial number."""
        return _str(self._query(C.DQ_SERIAL).serial)

    # ---- memory ------------------------------------------------------------------------------

    @memoize_when_activated
    def memory_info(self) -> MemoryInfo:
        """MemoryInfo(total, free, used, reserved) in bytes (the host's for unified memory)."""
        s = self._query(C.DQ_MEMORY)
        return MemoryInfo(
            total=_int(s.memory_total_bytes),
            free=_int(s.memory_free_bytes),
            used=_int(s.memory_used_bytes),
            reserved=_int(s.memory_reserved_bytes),
        )

    def memory_total(self) -> int | NaType:
        """Total memory in bytes (cached)."""
        if self._memory_total is NA:
            self._memory_total = self.memory_info().total
        return self._memory_total

    def memory_used(self) -> int | NaType:
        """Used memory in bytes."""
        return self.memory_info().used

    def memory_free(self) -> int | NaType:
        """Free memory in bytes."""
        return self.memory_info().free

    def memory_total_human(self) -> str | NaType:
        """bytes2human(memory_total()) (cached)."""
        if self._memory_total_human is NA:
            self._memory_total_human = bytes2human(self.memory_total())
        return self._memory_total_human

    def memory_used_human(self) -> str | NaType:
        """bytes2human(memory_used())."""
        return bytes2human(self.memory_used())

    def memory_free_human(self) -> str | NaType:
        """bytes2human(memory_free())."""
        return bytes2human(self.memory_free())

    def memory_percent(self) -> float | NaType:
        """used / total * 100, one decimal (libnvitop's memory_percent)."""
        return _real(self._query(C.DQ_MEMORY).memory_percent)

    def memory_usage(self) -> str:
        """'8192MiB / 79.65GiB'."""
        return f'{self.memory_used_human()} / {self.memory_total_human()}'

    @memoize_when_activated
    def bar1_memory_info(self) -> MemoryInfo:
        """MemoryInfo(total, free, used, reserved=NA) of BAR1, in bytes."""
        s = self._query(C.DQ_BAR1)
        return MemoryInfo(
            total=_int(s.bar1_total_bytes),
            free=_int(s.bar1_free_bytes),
            used=_int(s.bar1_used_bytes),
            reserved=NA,
        )

    def bar1_memory_total(self) -> int | NaType:
        """Total BAR1 memory in bytes."""
        return self.bar1_memory_info().total

    def bar1_memory_used(self) -> int | NaType:
        """Used BAR1 memory in bytes."""
        return self.bar1_memory_info().used

    def bar1_memory_free(self) -> int | NaType:
        """Free BAR1 memory in bytes."""
        return self.bar1_memory_info().free

    def bar1_memory_total_human(self) -> str | NaType:
        """bytes2human(bar1_memory_total())."""
        return bytes2human(self.bar1_memory_total())

    def bar1_memory_used_human(self) -> str | NaType:
        """bytes2human(bar1_memory_used())."""
        return bytes2human(self.bar1_memory_used())

    def bar1_memory_free_human(self) -> str | NaType:
        """bytes2human(bar1_memory_free())."""
        return bytes2human(self.bar1_memory_free())

    def bar1_memory_percent(self) -> float | NaType:
        """BAR1 used / total * 100, one decimal (libnvitop's bar1_percent)."""
        return _real(self._query(C.DQ_BAR1).bar1_percent)

    def bar1_memory_usage(self) -> str:
        """'used / total' of BAR1, human-readable."""
        return f'{self.bar1_memory_used_human()} / {self.bar1_memory_total_human()}'

    # ---- utilisation -------------------------------------------------------------------------

    @memoize_when_activated
    def utilization_rates(self) -> UtilizationRates:
        """UtilizationRates(gpu, memory, encoder, decoder) in percent."""
        s = self._query(C.DQ_UTILIZATION | C.DQ_ENCODER | C.DQ_DECODER)
        return UtilizationRates(
            gpu=_int(s.gpu_utilization_percent),
            memory=_int(s.memory_utilization_percent),
            encoder=_int(s.encoder_utilization_percent),
            decoder=_int(s.decoder_utilization_percent),
        )

    def gpu_utilization(self) -> int | NaType:
        """GPU (SM) utilisation in percent."""
        return self.utilization_rates().gpu

    gpu_percent = gpu_utilization

    def memory_utilization(self) -> int | NaType:
        """Memory bandwidth utilisation in percent."""
        return self.utilization_rates().memory

    def encoder_utilization(self) -> int | NaType:
        """Encoder utilisation in percent."""
        return self.utilization_rates().encoder

    def decoder_utilization(self) -> int | NaType:
        """Decoder utilisation in percent."""
        return self.utilization_rates().decoder

    # ---- clocks ------------------------------------------------------------------------------

    @memoize_when_activated
    def clock_infos(self) -> ClockInfos:
        """Current clocks in MHz."""
        s = self._query(C.DQ_CLOCKS)
        return ClockInfos(
            graphics=_int(s.clock_graphics_mhz),
            sm=_int(s.clock_sm_mhz),
            memory=_int(s.clock_memory_mhz),
            video=_int(s.clock_video_mhz),
        )

    clocks = clock_infos

    @memoize_when_activated
    def max_clock_infos(self) -> ClockInfos:
        """Maximum clocks in MHz."""
        if self._handle is None:
            return self._max_clock_infos
        s = self._query(C.DQ_MAX_CLOCKS)
        self._max_clock_infos = ClockInfos(
            graphics=_int(s.max_clock_graphics_mhz),
            sm=_int(s.max_clock_sm_mhz),
            memory=_int(s.max_clock_memory_mhz),
            video=_int(s.max_clock_video_mhz),
        )
        return self._max_clock_infos

    max_clocks = max_clock_infos

    def clock_speed_infos(self) -> ClockSpeedInfos:
        """ClockSpeedInfos(current, max)."""
        return ClockSpeedInfos(current=self.clock_infos(), max=self.max_clock_infos())

    graphics_clock = _clock_of('graphics')
    sm_clock = _clock_of('sm')
    memory_clock = _clock_of('memory')
    video_clock = _clock_of('video')
    max_graphics_clock = _clock_of('graphics', maximum=True)
    max_sm_clock = _clock_of('sm', maximum=True)
    max_memory_clock = _clock_of('memory', maximum=True)
    max_video_clock = _clock_of('video', maximum=True)

    # ---- thermal and power -------------------------------------------------------------------

    def fan_speed(self) -> int | NaType:
        """Fan speed in percent (may exceed 100)."""
        return _int(self._query(C.DQ_FAN).fan_speed_percent)

    def temperature(self) -> int | NaType:
        """GPU core temperature in Celsius."""
        return _int(self._query(C.DQ_TEMPERATURE).temperature_c)

    @memoize_when_activated
    def power_usage(self) -> int | NaType:
        """Power draw in milliwatts."""
        return _int(self._query(C.DQ_POWER_USAGE).power_usage_mw)

    power_draw = power_usage

    @memoize_when_activated
    def power_limit(self) -> int | NaType:
        """Power limit in milliwatts."""
        return _int(self._query(C.DQ_POWER_LIMIT).power_limit_mw)

    def power_status(self) -> str:
        """'412W / 700W'."""
        usage, limit = self.power_usage(), self.power_limit()
        if isinstance(usage, int):
            usage = f'{round(usage / 1000)}W'
        if isinstance(limit, int):
            limit = f'{round(limit / 1000)}W'
        return f'{usage} / {limit}'

    # ---- PCIe --------------------------------------------------------------------------------

    def pcie_throughput(self) -> ThroughputInfo:
        """ThroughputInfo(tx, rx) in KiB/s (one libnvitop query samples both directions)."""
        if hasattr(self, '_cache'):
            return ThroughputInfo(tx=self.pcie_tx_throughput(), rx=self.pcie_rx_throughput())
        s = self._query(C.DQ_PCIE_THROUGHPUT)
        return ThroughputInfo(tx=_int(s.pcie_tx_kibps), rx=_int(s.pcie_rx_kibps))

    @memoize_when_activated
    def pcie_tx_throughput(self) -> int | NaType:
        """PCIe transmit throughput in KiB/s (one 20 ms driver call: the receive side is not read)."""
        return _int(self._query(C.DQ_PCIE_TX).pcie_tx_kibps)

    @memoize_when_activated
    def pcie_rx_throughput(self) -> int | NaType:
        """PCIe receive throughput in KiB/s (one 20 ms driver call: the transmit side is not read)."""
        return _int(self._query(C.DQ_PCIE_RX).pcie_rx_kibps)

    def pcie_tx_throughput_human(self) -> str | NaType:
        """'1.21MiB/s'."""
        return _throughput_human(self.pcie_tx_throughput())

    def pcie_rx_throughput_human(self) -> str | NaType:
        """'1.21MiB/s'."""
        return _throughput_human(self.pcie_rx_throughput())

    # ---- NVLink ------------------------------------------------------------------------------

    def nvlink_link_count(self) -> int:
        """The number of NVLinks (0 if unknown)."""
        if self._nvlink_link_count is None:
            count = _int(self._nvlink_query()[1].count)
            if isinstance(count, int) and count > 0:  # QUIRK 6 fixed: 0 is asked again
                self._nvlink_link_count = count
            return count if isinstance(count, int) else 0
        return self._nvlink_link_count

    @memoize_when_activated
    def nvlink_throughput(self, interval: float | None = None) -> list[ThroughputInfo]:
        """One ThroughputInfo(tx, rx) in KiB/s per link (libnvitop samples over 20 ms)."""
        _check_interval(interval)
        if self._handle is None:
            return []
        links = self._nvlink_query()[1]
        count = _int(links.count)
        if not isinstance(count, int) or count <= 0:
            return []
        self._nvlink_link_count = count
        count = min(count, C.NVLINK_LINKS_MAX)
        return [ThroughputInfo(tx=_int(links.tx_kibps[i]), rx=_int(links.rx_kibps[i]))
                for i in range(count)]

    @memoize_when_activated
    def _nvlink_query(self) -> tuple[C.DeviceSnapshot, C.NvLinks]:
        """One NVLink query, shared by the per-link, total and mean methods inside oneshot():
        the snapshot (totals, means) and the record of every link (up to 36; the snapshot's
        own arrays stop at 18)."""
        snapshot, links = C.DeviceSnapshot(), C.NvLinks()
        if self._handle is None:
            _lib.nvitop_device_snapshot_clear(ctypes.byref(snapshot))
            return snapshot, links
        with _clib.LOCK:
            _lib.nvitop_device_query(self._handle, C.DQ_NVLINK, ctypes.byref(snapshot))
            _lib.nvitop_device_nvlinks(self._handle, ctypes.byref(links), ctypes.sizeof(links))
        return snapshot, links

    def _nvlink_snapshot(self) -> C.DeviceSnapshot:
        return self._nvlink_query()[0]

    def nvlink_total_throughput(self, interval: float | None = None) -> ThroughputInfo:
        """Sum over the links of the known values (libnvitop's nvlink_total_*_kibps)."""
        _check_interval(interval)
        s = self._nvlink_snapshot()
        return ThroughputInfo(tx=_int(s.nvlink_total_tx_kibps), rx=_int(s.nvlink_total_rx_kibps))

    def nvlink_mean_throughput(self, interval: float | None = None) -> ThroughputInfo:
        """Rounded mean over the links of the known values (libnvitop's nvlink_mean_*_kibps)."""
        _check_interval(interval)
        s = self._nvlink_snapshot()
        return ThroughputInfo(tx=_int(s.nvlink_mean_tx_kibps), rx=_int(s.nvlink_mean_rx_kibps))

    def nvlink_tx_throughput(self, interval: float | None = None) -> list[int | NaType]:
        """Per link, KiB/s."""
        return [t.tx for t in self.nvlink_throughput(interval)]

    def nvlink_rx_throughput(self, interval: float | None = None) -> list[int | NaType]:
        """Per link, KiB/s."""
        return [t.rx for t in self.nvlink_throughput(interval)]

    def nvlink_mean_tx_throughput(self, interval: float | None = None) -> int | NaType:
        """Mean over links, KiB/s."""
        return self.nvlink_mean_throughput(interval).tx

    def nvlink_mean_rx_throughput(self, interval: float | None = None) -> int | NaType:
        """Mean over links, KiB/s."""
        return self.nvlink_mean_throughput(interval).rx

    def nvlink_total_tx_throughput(self, interval: float | None = None) -> int | NaType:
        """Sum over links, KiB/s."""
        return self.nvlink_total_throughput(interval).tx

    def nvlink_total_rx_throughput(self, interval: float | None = None) -> int | NaType:
        """Sum over links, KiB/s."""
        return self.nvlink_total_throughput(interval).rx

    def nvlink_tx_throughput_human(self, interval: float | None = None) -> list[str | NaType]:
        """Per link, '<size>/s'."""
        return [_throughput_human(v) for v in self.nvlink_tx_throughput(interval)]

    def nvlink_rx_throughput_human(self, interval: float | None = None) -> list[str | NaType]:
        """Per link, '<size>/s'."""
        return [_throughput_human(v) for v in self.nvlink_rx_throughput(interval)]

    def nvlink_mean_tx_throughput_human(self, interval: float | None = None) -> str | NaType:
        """Mean over links, '<size>/s'."""
        return _throughput_human(self.nvlink_mean_tx_throughput(interval))

    def nvlink_mean_rx_throughput_human(self, interval: float | None = None) -> str | NaType:
        """Mean over links, '<size>/s'."""
        return _throughput_human(self.nvlink_mean_rx_throughput(interval))

    def nvlink_total_tx_throughput_human(self, interval: float | None = None) -> str | NaType:
        """Sum over links, '<size>/s'."""
        return _throughput_human(self.nvlink_total_tx_throughput(interval))

    def nvlink_total_rx_throughput_human(self, interval: float | None = None) -> str | NaType:
        """Sum over links, '<size>/s'."""
        return _throughput_human(self.nvlink_total_rx_throughput(interval))

    # ---- modes -------------------------------------------------------------------------------

    def display_active(self) -> str | NaType:
        """'Enabled' or 'Disabled'."""
        return _enum(self._query(C.DQ_DISPLAY_ACTIVE).display_active, _lib.nvitop_enable_state_string)

    def display_mode(self) -> str | NaType:
        """'Enabled' or 'Disabled'."""
        return _enum(self._query(C.DQ_DISPLAY_MODE).display_mode, _lib.nvitop_enable_state_string)

    def current_driver_model(self) -> str | NaType:
        """'WDDM', 'WDM' or 'MCDM' (NA on Linux)."""
        return _enum(self._query(C.DQ_DRIVER_MODEL).driver_model, _lib.nvitop_driver_model_string)

    driver_model = current_driver_model

    def persistence_mode(self) -> str | NaType:
        """'Enabled' or 'Disabled'."""
        return _enum(self._query(C.DQ_PERSISTENCE).persistence_mode,
                     _lib.nvitop_enable_state_string)

    def performance_state(self) -> str | NaType:
        """'P0' ... 'P15'."""
        state = _int(self._query(C.DQ_PSTATE).performance_state)
        return NA if state is NA else f'P{state}'

    def total_volatile_uncorrected_ecc_errors(self) -> int | NaType:
        """Volatile uncorrected ECC errors."""
        return _int(self._query(C.DQ_ECC_ERRORS).ecc_errors_volatile_uncorrected)

    def compute_mode(self) -> str | NaType:
        """'Default', 'Exclusive Thread', 'Prohibited' or 'Exclusive Process'."""
        return _enum(self._query(C.DQ_COMPUTE_MODE).compute_mode, _lib.nvitop_compute_mode_string)

    def cuda_compute_capability(self) -> tuple[int, int] | NaType:
        """(major, minor); cached once known (QUIRK 6 fixed: an NA is asked again)."""
        if self._cuda_compute_capability is None or self._cuda_compute_capability is NA:
            s = self._query(C.DQ_CUDA_CAPABILITY)
            major, minor = _int(s.cuda_capability_major), _int(s.cuda_capability_minor)
            if major is NA or minor is NA:
                return NA
            self._cuda_compute_capability = (major, minor)
        return self._cuda_compute_capability

    # ---- MIG ---------------------------------------------------------------------------------

    def is_mig_device(self) -> bool:
        """True for a MIG device."""
        if self._is_mig_device is None:
            self._is_mig_device = bool(self._handle is not None
                                       and _lib.nvitop_device_is_mig(self._handle))
        return self._is_mig_device

    def mig_mode(self) -> str | NaType:
        """'Enabled', 'Disabled' or NA (MIG devices, no MIG support)."""
        if self._handle is None or self.is_mig_device():
            return NA
        return _enum(self._query(C.DQ_MIG).mig_mode, _lib.nvitop_enable_state_string)

    def is_mig_mode_enabled(self) -> bool:
        """True only when mig_mode() is 'Enabled'."""
        return boolify(self.mig_mode())

    def max_mig_device_count(self) -> int:
        """0 here; PhysicalDevice says."""
        return 0

    def mig_devices(self) -> list[MigDevice]:
        """[] here; PhysicalDevice lists its MIG devices."""
        return []

    def is_leaf_device(self) -> bool:
        """A MIG device, or a GPU without MIG enabled."""
        return self.is_mig_device() or not self.is_mig_mode_enabled()

    def to_leaf_devices(self) -> list[PhysicalDevice] | list[MigDevice] | list[CudaDevice]:
        """[self] for a leaf (and any CUDA device); else the MIG devices."""
        if isinstance(self, CudaDevice) or self.is_leaf_device():
            return [self]  # type: ignore[list-item]
        return self.mig_devices()

    # ---- processes and snapshots -------------------------------------------------------------

    def processes(self) -> dict[int, Any]:
        """{pid: GpuProcess} of the processes on this device (libnvitop's merged list)."""
        if self._handle is None:
            return {}
        gpu_process_class = self.GPU_PROCESS_CLASS
        plist = ctypes.POINTER(C.ProcessList)()
        with _clib.LOCK:
            rc = _lib.nvitop_device_processes(self._handle, C.PQ_UTILIZATION, ctypes.byref(plist))
            rows = []
            if rc == 0 and plist:
                try:
                    rows = [_process_row(plist.contents.items[i]) for i in range(plist.contents.count)]
                finally:
                    _lib.nvitop_process_list_free(plist)
        processes = {}
        for row in rows:
            proc = gpu_process_class(
                pid=row['pid'],
                device=self,
                gpu_memory=row['gpu_memory'],
                gpu_instance_id=row['gpu_instance_id'],
                compute_instance_id=row['compute_instance_id'],
                type=row['type'],
            )
            setter = getattr(proc, 'set_gpu_utilization', None)
            if setter is not None:
                setter(*row['utilization'])
            processes[row['pid']] = proc
        return processes

    def as_snapshot(self) -> Snapshot:
        """Every SNAPSHOT_KEYS value at once, as a Snapshot."""
        with self.oneshot():
            self._prefetch()
            return Snapshot(
                real=self,
                index=self.index,
                physical_index=self.physical_index,
                **{key: getattr(self, key)() for key in self.SNAPSHOT_KEYS},
            )

    def _as_snapshot_from(self, answer: C.DeviceSnapshot) -> Snapshot:
        """as_snapshot() answered by a query of every SNAPSHOT_BITS made for several devices at
        once (_PendingSnapshots): the same methods run, their driver questions already asked."""
        with self.oneshot():
            self._cache['_given'] = answer
            return self.as_snapshot()

    def _prefetch(self) -> None:
        """Inside oneshot(): one libnvitop query fills every memoised method not yet asked."""
        cache = getattr(self, '_cache', None)
        if cache is None or self._handle is None:
            return
        s = cache.pop('_given', None)
        if s is not None:
            bits = SNAPSHOT_BITS
        else:
            tx, rx = _unwrapped(Device.pcie_tx_throughput), _unwrapped(Device.pcie_rx_throughput)
            bits = C.DQ_ALL_FAST | (0 if tx in cache else C.DQ_PCIE_TX) | (0 if rx in cache else C.DQ_PCIE_RX)
            s = self._query(bits)
        cache['_prefetched'] = (bits, s)
        max_clocks = ClockInfos(_int(s.max_clock_graphics_mhz), _int(s.max_clock_sm_mhz),
                                _int(s.max_clock_memory_mhz), _int(s.max_clock_video_mhz))
        values = {
            Device.memory_info: MemoryInfo(
                _int(s.memory_total_bytes), _int(s.memory_free_bytes),
                _int(s.memory_used_bytes), _int(s.memory_reserved_bytes)),
            Device.bar1_memory_info: MemoryInfo(
                _int(s.bar1_total_bytes), _int(s.bar1_free_bytes), _int(s.bar1_used_bytes), NA),
            Device.utilization_rates: UtilizationRates(
                _int(s.gpu_utilization_percent), _int(s.memory_utilization_percent),
                _int(s.encoder_utilization_percent), _int(s.decoder_utilization_percent)),
            Device.clock_infos: ClockInfos(
                _int(s.clock_graphics_mhz), _int(s.clock_sm_mhz), _int(s.clock_memory_mhz),
                _int(s.clock_video_mhz)),
            Device.max_clock_infos: max_clocks,
            Device.power_usage: _int(s.power_usage_mw),
            Device.power_limit: _int(s.power_limit_mw),
            Device.pcie_tx_throughput: _int(s.pcie_tx_kibps),
            Device.pcie_rx_throughput: _int(s.pcie_rx_kibps),
        }
        for method, value in values.items():  # a value already memoised stays (its first result)
            cache.setdefault(_unwrapped(method), value)
        if _unwrapped(Device.max_clock_infos) in cache:
            self._max_clock_infos = cache[_unwrapped(Device.max_clock_infos)]

    # Memoised methods (oneshot), as nvitop lists them.
    _MEMOIZED = ('memory_info', 'bar1_memory_info', 'utilization_rates', 'clock_infos',
                 'max_clock_infos', 'power_usage', 'power_limit', 'pcie_tx_throughput',
                 'pcie_rx_throughput', 'nvlink_throughput')

    @contextlib.contextmanager
    def oneshot(self) -> Generator[None, None, None]:
        """Memoises the batched queries for the block (re-entrant; the device lock is held)."""
        with self._lock:
            if hasattr(self, '_cache'):
                yield
            else:
                self._cache: dict = {}  # type: ignore[misc]
                try:
                    yield
                finally:
                    del self._cache


# What as_snapshot() asks libnvitop, in one query per device (its _prefetch in a fresh block).
SNAPSHOT_BITS = C.DQ_ALL_FAST | C.DQ_PCIE_TX | C.DQ_PCIE_RX


class _PendingSnapshots:
    """The as_snapshot() of several devices, their slow questions (PCIe throughput, ~20 ms per
    device and direction) asked by libnvitop all at once (nvitop_devices_query_begin) while the
    caller goes on; finish() waits for them and builds the snapshots in the devices' order."""

    def __init__(self, devices: Iterable[Device]) -> None:
        self.devices = list(devices)
        self._asked = [device for device in self.devices if device._handle is not None]
        handles = (ctypes.c_void_p * max(len(self._asked), 1))(*[d._handle for d in self._asked])
        query = ctypes.c_void_p()
        with _clib.LOCK:
            code = _lib.nvitop_devices_query_begin(handles, len(self._asked), SNAPSHOT_BITS,
                                                   ctypes.byref(query))
        self._query = query if code >= 0 else None  # else each device asks on its own

    def finish(self) -> list[Snapshot]:
        """Every device's snapshot (their as_snapshot() values)."""
        answers = (C.DeviceSnapshot * max(len(self._asked), 1))()
        if not self._end(answers):
            return [device.as_snapshot() for device in self.devices]
        given = {id(device): answers[i] for i, device in enumerate(self._asked)}
        return [device._as_snapshot_from(given[id(device)]) if id(device) in given
                else device.as_snapshot() for device in self.devices]

    def cancel(self) -> None:
        """Waits for the questions under way and drops their answers (after an error)."""
        self._end(None)

    def _end(self, answers: Any) -> bool:
        query, self._query = self._query, None
        if query is None:
            return False
        with _clib.LOCK:
            return _lib.nvitop_devices_query_end(query, answers) >= 0


def _unwrapped(method: Callable) -> Callable:
    return method.__wrapped__  # type: ignore[attr-defined]


def _throughput_human(value: int | NaType) -> str | NaType:
    if isinstance(value, int) and not isinstance(value, NaType):
        return f'{bytes2human(value * 1024)}/s'
    return NA


def _check_interval(interval: float | None) -> None:
    if interval is not None and not interval >= 0:
        raise ValueError(f'`interval` must be a non-negative number, got {interval!r}.')


def _process_row(item: C.GpuProcessInfo) -> dict[str, Any]:
    types = ''
    if item.type & C.PROCESS_COMPUTE:
        types += 'C'
    if item.type & C.PROCESS_GRAPHICS:
        types = types + '+G' if types else 'G'
    gi, ci = _int(item.gpu_instance_id), _int(item.compute_instance_id)
    return {
        'pid': int(item.pid),
        'gpu_memory': _int(item.gpu_memory_bytes),
        'gpu_instance_id': UINT_MAX if gi is NA else gi,
        'compute_instance_id': UINT_MAX if ci is NA else ci,
        'type': types or NA,
        'utilization': (
            _int(item.gpu_sm_utilization_percent),
            _int(item.gpu_memory_utilization_percent),
            _int(item.gpu_encoder_utilization_percent),
            _int(item.gpu_decoder_utilization_percent),
        ),
    }


class PhysicalDevice(Device):
    """A physical GPU."""

    @property
    def physical_index(self) -> int:
        """The device's own NVML index."""
        return self._nvml_index  # type: ignore[return-value]

    def max_mig_device_count(self) -> int:
        """The most MIG devices this GPU can hold (0 if unknown)."""
        count = _int(self._query(C.DQ_MIG).max_mig_device_count)
        return count if isinstance(count, int) else 0

    def mig_device(self, mig_index: int) -> MigDevice:
        """The MIG device `mig_index` of this GPU (NVMLError_NotFound if none)."""
        with _global_physical_device(self):
            return MigDevice(index=(self.index, mig_index))  # type: ignore[arg-type]

    def mig_devices(self) -> list[MigDevice]:
        """The MIG devices of this GPU ([] when MIG is off)."""
        mig_devices = []
        if self.is_mig_mode_enabled():
            count = _lib.nvitop_device_mig_count(self._handle)
            with _global_physical_device(self):
                for mig_index in range(count):
                    try:
                        mig_devices.append(MigDevice(index=(self.index, mig_index)))  # type: ignore[arg-type]
                    except libnvml.NVMLError:
                        break
        return mig_devices


_PHYSICAL_DEVICE = threading.local()


@contextlib.contextmanager
def _global_physical_device(device: PhysicalDevice) -> Generator[None, None, None]:
    previous = getattr(_PHYSICAL_DEVICE, 'device', None)
    _PHYSICAL_DEVICE.device = device
    try:
        yield
    finally:
        _PHYSICAL_DEVICE.device = previous


def _get_global_physical_device() -> PhysicalDevice | None:
    return getattr(_PHYSICAL_DEVICE, 'device', None)


class MigDevice(Device):  # pylint: disable=too-many-instance-attributes
    """A MIG device (GPU instance + compute instance) of a MIG-enabled GPU."""

    SNAPSHOT_KEYS: ClassVar[list[str]] = [
        *Device.SNAPSHOT_KEYS,
        'gpu_instance_id',
        'compute_instance_id',
    ]

    @classmethod
    def count(cls) -> int:
        """The number of MIG devices over every GPU."""
        return len(cls.all())

    @classmethod
    def all(cls) -> list[MigDevice]:  # type: ignore[override]
        """Every MIG device of every physical GPU."""
        mig_devices = []
        for device in PhysicalDevice.all():
            mig_devices.extend(device.mig_devices())
        return mig_devices

    def bus_id(self) -> NaType:  # type: ignore[override]
        """N/A: NVML gives no PCI info for a MIG handle (libnvitop's C API gives the parent's)."""
        return NA

    @classmethod
    def from_indices(cls, indices: Iterable[tuple[int, int]]) -> list[MigDevice]:  # type: ignore[override]
        """MIG devices by (parent, mig) index pairs."""
        return list(map(cls, indices))

    def __init__(  # pylint: disable=super-init-not-called
        self,
        index: tuple[int, int] | str | None = None,
        *,
        uuid: str | None = None,
    ) -> None:
        if isinstance(index, str) and self.UUID_PATTERN.match(index) is not None:
            index, uuid = None, index
        if (index, uuid).count(None) != 1:
            raise TypeError(
                f'MigDevice(index=None, uuid=None) takes 1 non-None arguments '
                f'but (index, uuid) = {(index, uuid)!r} were given',
            )
        self._name = NA
        self._uuid = NA
        self._bus_id = NA
        self._memory_total = NA
        self._memory_total_human = NA
        self._nvlink_link_count = None
        self._cuda_compute_capability = None
        self._lock = threading.RLock()
        self._cuda_index = None
        self._max_clock_infos = ClockInfos(NA, NA, NA, NA)
        self._is_mig_device = True
        self._gpu_instance_id: int | NaType = NA
        self._compute_instance_id: int | NaType = NA

        if index is not None:
            parent_index, mig_index = index  # type: ignore[misc]
            parent = _get_global_physical_device()
            if parent is None or parent.index != parent_index:
                parent = PhysicalDevice(index=parent_index)
            self._parent = parent
            self._handle = (None if parent.handle is None
                            else _mig_by_index(parent.handle, mig_index))
            self._nvml_index = (parent_index, mig_index)
        else:
            self._handle = _device_by('nvitop_device_by_uuid', uuid)  # type: ignore[arg-type]
            if not _lib.nvitop_device_is_mig(self._handle):
                raise libnvml.NVMLError(libnvml.NVML_ERROR_NOT_FOUND)  # pylint: disable=no-member
            parent_index = int(_lib.nvitop_device_physical_index(self._handle))
            mig_index = int(_lib.nvitop_device_mig_index(self._handle))
            self._parent = PhysicalDevice(index=parent_index)
            self._nvml_index = (parent_index, mig_index)
        self._ident = (self.index, self.uuid())
        self._hash = None

    @property
    def index(self) -> tuple[int, int]:
        """(parent index, mig index)."""
        return self._nvml_index  # type: ignore[return-value]

    @property
    def nvml_index(self) -> tuple[int, int]:
        """The same as index."""
        return self._nvml_index  # type: ignore[return-value]

    @property
    def physical_index(self) -> int:
        """The parent's NVML index."""
        return self._nvml_index[0]  # type: ignore[index]

    @property
    def mig_index(self) -> int:
        """The index among the parent's MIG devices."""
        return self._nvml_index[1]  # type: ignore[index]

    @property
    def parent(self) -> PhysicalDevice:
        """The physical GPU."""
        return self._parent

    def gpu_instance_id(self) -> int | NaType:
        """The GPU instance id (cached once known)."""
        if self._gpu_instance_id is NA:
            self._gpu_instance_id = _int(self._query(C.DQ_MIG).gpu_instance_id)
        return self._gpu_instance_id

    def compute_instance_id(self) -> int | NaType:
        """The compute instance id (cached once known)."""
        if self._compute_instance_id is NA:
            self._compute_instance_id = _int(self._query(C.DQ_MIG).compute_instance_id)
        return self._compute_instance_id

    def as_snapshot(self) -> Snapshot:
        """The base snapshot plus mig_index."""
        snapshot = super().as_snapshot()
        snapshot.mig_index = self.mig_index  # type: ignore[attr-defined]
        return snapshot


class CudaDevice(Device):
    """A device by CUDA ordinal (CUDA_VISIBLE_DEVICES and CUDA's order)."""

    @classmethod
    def is_available(cls) -> bool:
        """True when CUDA can see at least one device."""
        return cls.count() > 0

    @classmethod
    def count(cls) -> int:
        """The number of devices CUDA can see (0 on an NVML error)."""
        try:
            return len(parse_cuda_visible_devices())
        except libnvml.NVMLError:
            return 0

    @classmethod
    def all(cls) -> list[CudaDevice]:  # type: ignore[override]
        """Every CUDA device, in CUDA order."""
        return cls.from_indices()

    @classmethod
    def from_indices(cls, indices: int | Iterable[int] | None = None) -> list[CudaDevice]:  # type: ignore[override]
        """CUDA devices by CUDA ordinal."""
        return cls.from_cuda_indices(indices)

    def __new__(
        cls,
        cuda_index: int | None = None,
        *,
        nvml_index: int | tuple[int, int] | None = None,
        uuid: str | None = None,
    ) -> CudaDevice:
        if nvml_index is not None and uuid is not None:
            raise TypeError(
                f'CudaDevice(cuda_index=None, nvml_index=None, uuid=None) takes 1 non-None '
                f'arguments but (cuda_index, nvml_index, uuid) = '
                f'{(cuda_index, nvml_index, uuid)!r} were given',
            )
        if cuda_index is not None and nvml_index is None and uuid is None:
            visible = _parse_cuda_visible_devices_to_indices(os.getenv('CUDA_VISIBLE_DEVICES'))
            if not isinstance(cuda_index, int) or not 0 <= cuda_index < len(visible):
                raise RuntimeError(f'CUDA Error: invalid device ordinal: {cuda_index!r}.')
            nvml_index = visible[cuda_index]
        if cls is not CudaDevice:
            return Device.__new__(cls, index=nvml_index, uuid=uuid)
        device = Device.__new__(Device, index=nvml_index, uuid=uuid)
        if isinstance(device, MigDevice):
            return object.__new__(CudaMigDevice)  # type: ignore[return-value]
        return object.__new__(CudaDevice)  # type: ignore[return-value]

    def __init__(
        self,
        cuda_index: int | None = None,
        *,
        nvml_index: int | tuple[int, int] | None = None,
        uuid: str | None = None,
    ) -> None:
        if cuda_index is not None and nvml_index is None and uuid is None:
            visible = _parse_cuda_visible_devices_to_indices(os.getenv('CUDA_VISIBLE_DEVICES'))
            nvml_index = visible[cuda_index]
        if isinstance(self, MigDevice):
            MigDevice.__init__(self, index=nvml_index, uuid=uuid)  # type: ignore[arg-type]
        else:
            Device.__init__(self, index=nvml_index, uuid=uuid)
        if cuda_index is None:
            cuda_index = super().cuda_index
        self._cuda_index = cuda_index
        self._ident = ((self._cuda_index, self.index), self.uuid())  # type: ignore[assignment]

    @property
    def cuda_index(self) -> int:
        """The CUDA ordinal."""
        return self._cuda_index  # type: ignore[return-value]

    def __repr__(self) -> str:
        return '{}(cuda_index={}, nvml_index={}, name="{}", total_memory={})'.format(  # noqa: UP032
            self.__class__.__name__,
            self.cuda_index,
            self.index,
            self.name(),
            self.memory_total_human(),
        )

    def __reduce__(self) -> tuple[type[CudaDevice], tuple[int]]:  # type: ignore[override]
        return self.__class__, (self._cuda_index,)  # type: ignore[return-value]

    def as_snapshot(self) -> Snapshot:
        """The base snapshot plus cuda_index."""
        snapshot = super().as_snapshot()
        snapshot.cuda_index = self.cuda_index  # type: ignore[attr-defined]
        return snapshot


Device.cuda = CudaDevice


class CudaMigDevice(CudaDevice, MigDevice):  # type: ignore[misc]
    """A MIG device by CUDA ordinal."""


def is_mig_device_uuid(uuid: str | None) -> bool:
    """True for a string matching Device.UUID_PATTERN with a MIG- prefix."""
    if isinstance(uuid, str):
        match = Device.UUID_PATTERN.match(uuid)
        if match is not None and match.group('MigMode') is not None:
            return True
    return False


# ---- CUDA_VISIBLE_DEVICES: libnvitop resolves it (nvitop_cuda_devices) ------------------------


def parse_cuda_visible_devices(
    cuda_visible_devices: str | None = _VALUE_OMITTED,
) -> list[int] | list[tuple[int, int]]:
    """NVML indices (ints, or pairs for MIG) of the devices CUDA_VISIBLE_DEVICES selects.

    An omitted argument reads the environment variable; None means unset. Never raises for a
    bad value: an invalid one gives [].
    """
    if cuda_visible_devices is _VALUE_OMITTED:
        cuda_visible_devices = os.getenv('CUDA_VISIBLE_DEVICES', default=None)
    return list(_parse_cuda_visible_devices_to_indices(cuda_visible_devices))


def normalize_cuda_visible_devices(cuda_visible_devices: str | None = _VALUE_OMITTED) -> str:
    """The devices CUDA_VISIBLE_DEVICES selects, as comma-separated UUIDs."""
    if cuda_visible_devices is _VALUE_OMITTED:
        cuda_visible_devices = os.getenv('CUDA_VISIBLE_DEVICES', default=None)
    return ','.join(_parse_cuda_visible_devices_to_uuids(cuda_visible_devices))


def _cuda_device_handles(value: str | None) -> list[int]:
    libnvml._initialize()  # pylint: disable=protected-access
    devices = ctypes.POINTER(ctypes.c_void_p)()
    count = ctypes.c_size_t(0)
    source = ctypes.c_int(0)
    with _clib.LOCK:
        rc = _lib.nvitop_cuda_devices(
            _clib.context(),
            None if value is None else value.encode(),
            None,
            ctypes.byref(devices),
            ctypes.byref(count),
            ctypes.byref(source),
        )
        if rc < 0:
            return []
        try:
            return [int(devices[i]) for i in range(count.value)]
        finally:
            _clib.lib.nvitop_free(devices)


@functools.lru_cache
def _parse_cuda_visible_devices(value: str | None) -> tuple[tuple[Any, str], ...]:
    """((nvml index, uuid), ...) in CUDA order; cached per value for the process (QUIRK 12)."""
    try:
        handles = _cuda_device_handles(value)
    except libnvml.NVMLError:
        return ()
    result = []
    for handle in handles:
        physical = int(_lib.nvitop_device_physical_index(handle))
        if _lib.nvitop_device_is_mig(handle):
            index: Any = (physical, int(_lib.nvitop_device_mig_index(handle)))
        else:
            index = physical
        snapshot = C.DeviceSnapshot()
        with _clib.LOCK:
            _lib.nvitop_device_query(handle, C.DQ_UUID, ctypes.byref(snapshot))
        result.append((index, _str(snapshot.uuid)))
    return tuple(result)


def _parse_cuda_visible_devices_to_indices(value: str | None) -> list:
    return [index for index, _ in _parse_cuda_visible_devices(value)]


def _parse_cuda_visible_devices_to_uuids(value: str | None) -> list[str]:
    return [uuid for _, uuid in _parse_cuda_visible_devices(value)]

