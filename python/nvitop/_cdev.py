# SPDX-License-Identifier: Apache-2.0
"""C device objects for Python devices: what the collector and the selection hand to libnvitop.

The C functions that take devices read only their physical and MIG indices, so any Device object
(physical, MIG, CUDA-ordered) maps to the shared context's object of the same indices.
"""

from __future__ import annotations

import ctypes

from nvitop._clib import LOCK, check, context, declare, lib

declare('nvitop_device_get', ctypes.c_int, ctypes.c_void_p, ctypes.c_uint, ctypes.POINTER(ctypes.c_void_p))
declare('nvitop_device_mig_get', ctypes.c_int, ctypes.c_void_p, ctypes.c_uint, ctypes.POINTER(ctypes.c_void_p))
declare('nvitop_device_physical_index', ctypes.c_uint, ctypes.c_void_p)
declare('nvitop_device_mig_index', ctypes.c_int, ctypes.c_void_p)
declare('nvitop_device_is_mig', ctypes.c_bool, ctypes.c_void_p)


def initialized_context() -> int:
    """The shared context with NVML initialised (lazily, on the first query, as nvitop does); a
    failure raises the NVMLError nvitop raises (LibraryNotFound, DriverNotLoaded, ...)."""
    from nvitop.api import libnvml  # pylint: disable=import-outside-toplevel

    libnvml._initialize()  # pylint: disable=protected-access
    return context()


def mig_index_of(device) -> int | None:
    """The MIG index of a MIG device, None for a physical one."""
    is_mig = getattr(device, 'is_mig_device', None)
    if is_mig is not None and is_mig():
        return int(device.mig_index)
    return None


def device_pointer(device) -> ctypes.c_void_p:
    """The shared context's nvitop_device_t* of `device` (borrowed from the context)."""
    ctx = initialized_context()
    with LOCK:
        out = ctypes.c_void_p()
        check(lib.nvitop_device_get(ctx, int(device.physical_index), ctypes.byref(out)))
        mig = mig_index_of(device)
        if mig is not None:
            parent = out
            out = ctypes.c_void_p()
            check(lib.nvitop_device_mig_get(parent, mig, ctypes.byref(out)))
        return out


def device_pointers(devices) -> ctypes.Array:
    """A C array of the devices' pointers (nvitop_device_t *const *)."""
    pointers = [device_pointer(device) for device in devices]
    array = (ctypes.c_void_p * max(len(pointers), 1))()
    for i, pointer in enumerate(pointers):
        array[i] = pointer.value
    return array

