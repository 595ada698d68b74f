# SPDX-License-Identifier: Apache-2.0
"""Helpers of the device/utils/libnvml tests: run a snippet of Python against libnvitop and the
NVML simulator on a chosen scenario, in a fresh process (the library context is process-wide).

Paths come from the CTest environment (NVITOP_LIBRARY, NVITOP_NVML_LIBRARY) or default to the
build tree beside the sources (build/src, build/sim).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIOS = os.path.join(ROOT, 'sim', 'scenarios')


def library() -> str:
    return os.path.abspath(os.environ.get('NVITOP_LIBRARY')
                           or os.path.join(ROOT, 'build', 'src', 'libnvitop.so'))


def simulator() -> str:
    env = os.environ.get('NVITOP_NVML_LIBRARY')
    if env:
        return os.path.abspath(env)
    return os.path.join(os.path.dirname(os.path.dirname(library())), 'sim', 'libnvidia-ml.so.1')


def cuda_simulator() -> str:
    """The libcuda stand-in of the build (sim/cuda)."""
    return os.path.join(os.path.dirname(simulator()), 'cuda', 'libcuda.so.1')


def cudart_stub() -> str:
    """The libcudart stand-in of the build (tests/fixtures/cudart)."""
    return os.environ.get('NVITOP_CUDART_STUB_LIB') or os.path.join(
        os.path.dirname(os.path.dirname(library())), 'tests', 'cudart', 'libcudart.so')


def scenario_path(name: str) -> str:
    return name if os.path.isabs(name) else os.path.join(SCENARIOS, name + '.json')


def scenario(name: str) -> dict:
    """The scenario file's data: tests assert against it, not against our own output."""
    with open(scenario_path(name), encoding='utf-8') as file:
        return json.load(file)


def environment(name: str | None, **extra: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env['NVITOP_LIBRARY'] = library()
    env['NVITOP_NVML_LIBRARY'] = simulator()
    env['PYTHONPATH'] = os.path.join(ROOT, 'python')
    env.pop('CUDA_VISIBLE_DEVICES', None)
    env.pop('LOGLEVEL', None)
    # No CUDA driver: CUDA_VISIBLE_DEVICES is read with NVML rules unless a test sets one.
    env.setdefault('NVITOP_CUDA_LIBRARY', '/nonexistent/libcuda.so.1')
    if name is not None:
        env['NVML_SIM_SCENARIO'] = scenario_path(name)
    for key, value in extra.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(name: str | None, code: str, *, check: bool = True, **extra: str | None) -> subprocess.CompletedProcess:
    """Runs `code` (dedented) in /usr/bin/python3 (or this interpreter) on scenario `name`."""
    proc = subprocess.run(
        [sys.executable, '-c', textwrap.dedent(code)],
        env=environment(name, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f'snippet failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}')
    return proc


def run_json(name: str | None, code: str, **extra: str | None):
    """Runs `code`, which must print one JSON document last, and returns it."""
    out = run(name, code, **extra).stdout.strip().splitlines()
    return json.loads(out[-1])
