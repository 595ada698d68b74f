# SPDX-License-Identifier: Apache-2.0
"""Runs Python snippets against the simulator, each in a fresh interpreter (the library context is
process-wide, so a scenario is chosen per process). Shared by the collector, select, callbacks and
README tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / 'sim' / 'scenarios'
PYTHON = '/usr/bin/python3' if os.path.exists('/usr/bin/python3') else sys.executable


def _build() -> Path:
    library = os.environ.get('NVITOP_LIBRARY')
    return Path(library).resolve().parents[1] if library else ROOT / 'build'


def scenario_path(scenario: str | os.PathLike) -> str:
    path = Path(scenario)
    return str(path if path.is_absolute() else SCENARIOS / path)


def load_scenario(name: str) -> dict:
    with open(scenario_path(name), encoding='utf-8') as file:
        return json.load(file)


def write_scenario(directory: Path, data: dict, name: str = 'scenario.json') -> str:
    path = Path(directory) / name
    path.write_text(json.dumps(data), encoding='utf-8')
    return str(path)


def environment(scenario: str | os.PathLike = 'h100-under-load.json', **extra: str) -> dict[str, str]:
    build = _build()
    env = dict(os.environ)
    env.update(
        NVITOP_LIBRARY=os.environ.get('NVITOP_LIBRARY', str(build / 'src' / 'libnvitop.so')),
        NVITOP_NVML_LIBRARY=os.environ.get('NVITOP_NVML_LIBRARY', str(build / 'sim' / 'libnvidia-ml.so.1')),
        NVML_SIM_SCENARIO=scenario_path(scenario),
        PYTHONPATH=os.pathsep.join([str(ROOT / 'python'), *filter(None, [os.environ.get('PYTHONPATH')])]),
        PYTHONDONTWRITEBYTECODE='1',
    )
    env.pop('CUDA_VISIBLE_DEVICES', None)
    env.pop('CUDA_DEVICE_ORDER', None)
    env.update(extra)
    return env


def run(code: str, scenario: str | os.PathLike = 'h100-under-load.json', *, timeout: float = 120,
        check: bool = True, args: list[str] | None = None, cwd: str | None = None,
        **extra: str) -> subprocess.CompletedProcess:
    """Runs `code` (dedented) with /usr/bin/python3 on `scenario`; asserts exit 0 when `check`."""
    command = [PYTHON, '-c', textwrap.dedent(code)] if args is None else [PYTHON, *args]
    result = subprocess.run(command, env=environment(scenario, **extra), capture_output=True,
                            text=True, timeout=timeout, check=False, cwd=cwd)
    if check:
        assert result.returncode == 0, f'exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}'
    return result


def run_json(code: str, scenario: str | os.PathLike = 'h100-under-load.json', **kwargs):
    """Runs `code`, which prints one JSON document last; returns it parsed."""
    result = run(code, scenario, **kwargs)
    return json.loads(result.stdout.strip().splitlines()[-1])
