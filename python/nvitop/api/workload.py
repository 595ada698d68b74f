# SPDX-License-Identifier: Apache-2.0
"""Who owns a process: container, Kubernetes pod, Slurm job, systemd session or unit.

An extension of nvitop-in-C (Python nvitop has none): libnvitop's nvitop_process_workload()
reads /proc/PID/cgroup, the environment and the container runtimes' files (docs/workloads.md).
"""

from __future__ import annotations

import ctypes
from typing import Any

from nvitop import _clib
from nvitop._clib import CInt, CStr, NaReason, lib

__all__ = ['WorkloadC', 'process_workload']


class WorkloadC(ctypes.Structure):
    """nvitop_workload_t (include/nvitop/workload.h); the library sets `size` to its sizeof."""

    _fields_ = [
        ('size', ctypes.c_size_t),
        ('pid', ctypes.c_uint32),
        ('driver_pid', ctypes.c_uint32),
        ('kind', ctypes.c_int),
        ('na', ctypes.c_int),
        ('label', CStr),
        ('source', CStr),
        ('runtime', CStr),
        ('container_id', CStr),
        ('container_name', CStr),
        ('pod_uid', CStr),
        ('pod_namespace', CStr),
        ('pod_name', CStr),
        ('slurm_job_id', CInt),
        ('slurm_step', CStr),
        ('slurm_user', CStr),
        ('user_uid', CInt),
        ('session', CStr),
        ('unit', CStr),
        ('namespace_pid', CInt),
    ]


_clib.declare('nvitop_process_workload', ctypes.c_int, ctypes.c_void_p, ctypes.c_uint32,
              ctypes.POINTER(ctypes.POINTER(WorkloadC)))
_clib.declare('nvitop_workload_free', None, ctypes.POINTER(WorkloadC))
_clib.declare('nvitop_workload_kind_string', ctypes.c_char_p, ctypes.c_int)

_TEXT = ('label', 'source', 'runtime', 'container_id', 'container_name', 'pod_uid',
         'pod_namespace', 'pod_name', 'slurm_step', 'slurm_user', 'session', 'unit')
_INTS = ('slurm_job_id', 'user_uid', 'namespace_pid')


def _as_dict(c: WorkloadC) -> dict[str, Any]:
    if c.size < ctypes.sizeof(WorkloadC):
        raise RuntimeError(f'libnvitop fills nvitop_workload_t of {c.size} bytes, '
                           f'this package reads {ctypes.sizeof(WorkloadC)}')
    out: dict[str, Any] = {'kind': lib.nvitop_workload_kind_string(c.kind).decode(),
                           'pid': c.pid, 'driver_pid': c.driver_pid,
                           'reason': None if c.na == NaReason.NONE else lib.nvitop_na_string(c.na).decode()}
    for name in _TEXT:
        v = getattr(c, name)
        out[name] = _clib.text(v.value) if v.na == NaReason.NONE else None
    for name in _INTS:
        v = getattr(c, name)
        out[name] = v.value if v.na == NaReason.NONE else None
    return out


def process_workload(pid: int) -> dict[str, Any]:
    """The workload of a process as a dict: 'kind' ('container', 'pod', 'slurm', 'session',
    'unit', 'unknown'), 'label' (one display line, None when unknown; 'reason' then says why),
    and the fields of nvitop_workload_t (None where not applicable)."""
    return _clib.read_owned(WorkloadC,
                            lambda out: lib.nvitop_process_workload(_clib.context(), pid, out),
                            lib.nvitop_workload_free, _as_dict)
