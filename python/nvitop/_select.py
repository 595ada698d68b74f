# SPDX-License-Identifier: Apache-2.0
"""`select_devices`: nvitop's CUDA device selection over libnvitop's nvitop_select_devices().

The rule (candidates, constraints, tolerance, ranking, the MIG rule, the count) lives in C
(include/nvitop/select.h); this module converts the arguments and the result.
"""

from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING, Iterable, Literal

from nvitop._cdev import device_pointers, initialized_context, mig_index_of
from nvitop._clib import CInt, declare, lib, read_owned

if TYPE_CHECKING:
    from nvitop.api.device import Device

__all__ = ['select_devices']

_FORMAT_INDEX, _FORMAT_UUID = 0, 1


class _SelectOptions(ctypes.Structure):
    """nvitop_select_options_t."""

    _fields_ = [
        ('devices', ctypes.POINTER(ctypes.c_void_p)),
        ('device_count', ctypes.c_size_t),
        ('format', ctypes.c_int),
        ('force_index', ctypes.c_bool),
        ('min_count', ctypes.c_size_t),
        ('max_count', ctypes.c_int64),
        ('min_free_memory_bytes', ctypes.c_int64),
        ('min_total_memory_bytes', ctypes.c_int64),
        ('max_gpu_utilization_percent', ctypes.c_int64),
        ('max_memory_utilization_percent', ctypes.c_int64),
        ('tolerance_percent', ctypes.c_int64),
        ('free_accounts', ctypes.POINTER(ctypes.c_char_p)),
        ('free_account_count', ctypes.c_size_t),
        ('no_sort', ctypes.c_bool),
    ]


class _SelectedDevice(ctypes.Structure):
    """nvitop_selected_device_t."""

    _fields_ = [
        ('device', ctypes.c_void_p),
        ('physical_index', ctypes.c_int32),
        ('mig_index', ctypes.c_int32),
        ('is_mig', ctypes.c_bool),
        ('id', ctypes.c_char_p),
        ('memory_free_bytes', CInt),
        ('memory_used_bytes', CInt),
        ('memory_total_bytes', CInt),
        ('gpu_utilization_percent', CInt),
        ('memory_utilization_percent', CInt),
        ('loosened', ctypes.c_uint),
    ]


class _Selection(ctypes.Structure):
    """nvitop_selection_t."""

    _fields_ = [
        ('count', ctypes.c_size_t),
        ('devices', ctypes.POINTER(_SelectedDevice)),
        ('format', ctypes.c_int),
        ('candidate_count', ctypes.c_size_t),
    ]


declare('nvitop_select_options_init', None, ctypes.POINTER(_SelectOptions))
declare('nvitop_select_devices', ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_SelectOptions),
        ctypes.POINTER(ctypes.POINTER(_Selection)))
declare('nvitop_selection_free', None, ctypes.POINTER(_Selection))


def _limit(value: int | None) -> int:
    return -1 if value is None else int(value)


def _bytes(size: int | str | None) -> int | None:
    if isinstance(size, str):
        from nvitop.api.utils import human2bytes  # pylint: disable=import-outside-toplevel

        return human2bytes(size)
    return size


def _leaf_objects(devices: list[Device] | None) -> dict[tuple[int, int | None], Device]:
    """The Python object of each leaf device, by (physical index, MIG index)."""
    if devices is None:
        from nvitop.api.device import Device  # pylint: disable=import-outside-toplevel

        devices = Device.all()
    found = {}
    for device in devices:
        for leaf in device.to_leaf_devices():
            found.setdefault((leaf.physical_index, mig_index_of(leaf)), leaf)
    return found


def _run(options: _SelectOptions) -> list[tuple[int, int | None, str, int]]:
    """(physical index, MIG index or None, id, format) of each selected device, best first."""
    ctx = initialized_context()
    return read_owned(_Selection,
                      lambda out: lib.nvitop_select_devices(ctx, ctypes.byref(options), out),
                      lib.nvitop_selection_free, _rows)


def _rows(selection: _Selection) -> list[tuple[int, int | None, str, int]]:
    chosen = selection.devices
    return [
        (
            chosen[i].physical_index,
            chosen[i].mig_index if chosen[i].is_mig else None,
            chosen[i].id.decode('utf-8', 'replace'),
            selection.format,
        )
        for i in range(selection.count)
    ]


# pylint: disable-next=too-many-arguments,too-many-locals,redefined-builtin
def select_devices(
    devices: Iterable[Device] | None = None,
    *,
    format: Literal['index', 'uuid', 'device'] = 'index',
    force_index: bool = False,
    min_count: int = 0,
    max_count: int | None = None,
    min_free_memory: int | str | None = None,
    min_total_memory: int | str | None = None,
    max_gpu_utilization: int | None = None,
    max_memory_utilization: int | None = None,
    tolerance: int = 0,
    free_accounts: list[str] | None = None,
    sort: bool = True,
) -> list[int] | list[tuple[int, int]] | list[str] | list[Device]:
    """Select a subset of devices satisfying the constraints, best first.

    Args:
        devices: the devices to choose from (MIG-enabled GPUs stand for their MIG devices); all
            physical devices if not given.
        format: 'index' (NVML indices; a MIG device gives UUIDs unless `force_index`), 'uuid'
            or 'device' (the device objects).
        force_index: keep indices even when a MIG device is selected.
        min_count: with MIG devices among the candidates, keep the non-MIG devices when there are
            at least this many (the count itself is the caller's to check).
        max_count: at most this many devices.
        min_free_memory, min_total_memory: bytes, or a size string such as '8GiB'.
        max_gpu_utilization, max_memory_utilization: percent.
        tolerance: loosens each constraint by this many percent.
        free_accounts: the GPU memory of these users' processes counts as free.
        sort: rank the devices (most free memory first); False keeps the given order.

    Examples:
        >>> os.environ['CUDA_VISIBLE_DEVICES'] = ','.join(
        ...     select_devices(format='uuid', min_count=4, min_free_memory='8GiB'))
    """
    assert format in {'index', 'uuid', 'device'}
    assert tolerance >= 0
    if max_count is not None:
        if max_count == 0:
            return []
        assert max_count >= min_count >= 0

    if devices is not None:
        devices = list(devices)
        if not devices:
            return []

    options = _SelectOptions()
    lib.nvitop_select_options_init(ctypes.byref(options))
    if devices is not None:
        pointers = device_pointers(devices)
        options.devices = ctypes.cast(pointers, ctypes.POINTER(ctypes.c_void_p))
        options.device_count = len(devices)
    options.format = _FORMAT_UUID if format == 'uuid' else _FORMAT_INDEX
    options.force_index = bool(force_index)
    options.min_count = int(min_count)
    options.max_count = _limit(max_count)
    options.min_free_memory_bytes = _limit(_bytes(min_free_memory))
    options.min_total_memory_bytes = _limit(_bytes(min_total_memory))
    options.max_gpu_utilization_percent = _limit(max_gpu_utilization)
    options.max_memory_utilization_percent = _limit(max_memory_utilization)
    options.tolerance_percent = int(tolerance)
    accounts = [str(name).encode() for name in (free_accounts or [])]
    if accounts:
        options.free_accounts = (ctypes.c_char_p * len(accounts))(*accounts)
        options.free_account_count = len(accounts)
    options.no_sort = not sort

    selected = _run(options)
    if format == 'device':
        leaves = _leaf_objects(devices)
        return [leaves[(physical, mig)] for physical, mig, _, _ in selected]
    return [
        identifier if chosen_format == _FORMAT_UUID else (physical if mig is None else (physical, mig))
        for physical, mig, identifier, chosen_format in selected
    ]
