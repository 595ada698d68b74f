# SPDX-License-Identifier: Apache-2.0
"""Fixtures of the Python package's tests (tests/python/test_*.py, run by CTest: label python).

CTest sets the environment (tests/CMakeLists.txt): NVITOP_LIBRARY (the build's libnvitop.so),
PYTHONPATH (<source>/python), NVITOP_NVML_LIBRARY (the simulator), NVML_SIM_SCENARIO (the
default scenario), and NVITOP_TEST_ENV's paths (NVITOP_BUILD_DIR, NVITOP_SCENARIOS, ...).

libnvitop's context is process-wide: a test that needs another scenario runs its code in a
fresh Python process (`run_python`), never by changing this process's environment.
"""

import os
import subprocess
import sys
import textwrap
import types

import pytest

SOURCE_DIR = os.environ.get(
    'NVITOP_SOURCE_DIR',
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
)
BUILD_DIR = os.environ.get('NVITOP_BUILD_DIR', os.path.join(SOURCE_DIR, 'build'))
SCENARIOS_DIR = os.environ.get('NVITOP_SCENARIOS', os.path.join(SOURCE_DIR, 'sim', 'scenarios'))
SIM_LIBRARY = os.environ.get(
    'NVITOP_SIM_LIB', os.path.join(BUILD_DIR, 'sim', 'libnvidia-ml.so.1')
)
# pip must never reach the network, whatever the user's configuration says.
OFFLINE_PIP_ENV = {
    'PIP_NO_INDEX': '1',
    'PIP_DISABLE_PIP_VERSION_CHECK': '1',
    'PIP_CONFIG_FILE': os.devnull,
    'PIP_NO_CACHE_DIR': '1',
}


def pytest_collection_modifyitems(config, items):  # pylint: disable=unused-argument
    """A ThreadSanitizer (or MSan) libnvitop cannot be loaded into an uninstrumented python3:
    skip everything (ASan works: CTest preloads libasan, see tests/CMakeLists.txt)."""
    sanitize = os.environ.get('NVITOP_SANITIZE', '')
    if 'thread' in sanitize or 'memory' in sanitize:
        mark = pytest.mark.skip(reason=f'python3 cannot load a NVITOP_SANITIZE={sanitize} build')
        for item in items:
            item.add_marker(mark)


def scenario_path(name):
    """A scenario of sim/scenarios by name ('rtx4090-idle' or 'rtx4090-idle.json'), or a path."""
    if os.sep in name:
        return name
    if not name.endswith('.json'):
        name += '.json'
    path = os.path.join(SCENARIOS_DIR, name)
    if not os.path.isfile(path):
        raise FileNotFoundError(f'no scenario {path}')
    return path


def sim_env(scenario=None, **extra):
    """This process's environment on the simulator, with `scenario` (None: CTest's default;
    '' : no scenario variable at all) and extra variables (a None value removes one)."""
    env = dict(os.environ)
    env['NVITOP_NVML_LIBRARY'] = SIM_LIBRARY
    if scenario == '':
        env.pop('NVML_SIM_SCENARIO', None)
    elif scenario is not None:
        env['NVML_SIM_SCENARIO'] = scenario_path(scenario)
    for key, value in extra.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _run_python(code, scenario=None, env=None, python=None, args=(), timeout=60, check=True):
    """Runs `code` (dedented) in a fresh Python process on the simulator under `scenario`;
    returns the CompletedProcess (text). `check`: fail the test on a non-zero exit, showing
    stderr. `env`: extra variables (None values remove)."""
    run_env = sim_env(scenario, **(env or {}))
    proc = subprocess.run(
        [python or sys.executable, '-c', textwrap.dedent(code), *args],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and proc.returncode != 0:
        pytest.fail(
            f'python exited {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}'
        )
    return proc


@pytest.fixture
def run_python():
    """run_python(code, scenario=None, env=None, python=None, args=(), timeout=60, check=True)
    -> subprocess.CompletedProcess: a snippet in a fresh interpreter under a scenario."""
    return _run_python


@pytest.fixture
def scenario():
    """scenario(name) -> the path of sim/scenarios/<name>.json."""
    return scenario_path


@pytest.fixture(scope='session')
def wheel(tmp_path_factory):
    """The wheel: $NVITOP_WHEEL when set, else one built now from the build directory by
    scripts/build-wheel.py (once per session)."""
    given = os.environ.get('NVITOP_WHEEL')
    if given:
        return given
    out = tmp_path_factory.mktemp('dist')
    proc = subprocess.run(
        [sys.executable, os.path.join(SOURCE_DIR, 'scripts', 'build-wheel.py'),
         '--build', BUILD_DIR, '--out', str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f'build-wheel.py failed:\n{proc.stdout}{proc.stderr}')
    return proc.stdout.strip().splitlines()[-1]


@pytest.fixture(scope='session')
def wheel_venv(wheel, tmp_path_factory):
    """A fresh venv (Debian's python3 -m venv) with the wheel installed offline:
    .root, .bin, .python, .site (nvitop's installed directory), .env (no PYTHONPATH nor
    NVITOP_LIBRARY: the venv must work on its own)."""
    root = tmp_path_factory.mktemp('venv') / 'v'
    subprocess.run(['/usr/bin/python3', '-m', 'venv', str(root)], check=True, timeout=120)
    env = dict(os.environ, **OFFLINE_PIP_ENV)
    for key in ('PYTHONPATH', 'NVITOP_LIBRARY', 'PYTHONHOME'):
        env.pop(key, None)
    proc = subprocess.run(
        [str(root / 'bin' / 'pip'), 'install', '--no-index', '--quiet', wheel],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f'pip install failed:\n{proc.stdout}{proc.stderr}')
    python = str(root / 'bin' / 'python')
    site = subprocess.run(
        [python, '-c', 'import os, nvitop._programs as p; print(os.path.dirname(p.__file__))'],
        env=env, capture_output=True, text=True, check=True, cwd=str(root),
    ).stdout.strip()
    return types.SimpleNamespace(root=root, bin=root / 'bin', python=python, site=site, env=env)
