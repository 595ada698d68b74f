# SPDX-License-Identifier: Apache-2.0
"""The differential scripts (tests/python/differential/*.py) on this package print what they
printed on nvitop 1.7 (expected/<script>.<scenario>.txt, recorded by scripts/py-diff.sh from a
nvitop 1.7 checkout on the same frozen scenarios). Masks, where a documented decision makes the
outputs differ, are in the scripts themselves, each with its reason."""

import difflib
import glob
import json
import os
import subprocess
import sys

import pytest

from conftest import BUILD_DIR, SCENARIOS_DIR, SOURCE_DIR, sim_env

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'differential')
CUDA_SIM = os.environ.get('NVITOP_CUDA_SIM_LIB', os.path.join(BUILD_DIR, 'sim', 'cuda', 'libcuda.so.1'))


def cases():
    """(script, scenario) for each scenario named by each script's '# scenarios:' line."""
    out = []
    for script in sorted(glob.glob(os.path.join(HERE, '[!_]*.py'))):
        with open(script, encoding='utf-8') as file:
            line = next((l for l in file if l.startswith('# scenarios: ')), None)
        assert line, f'{script} has no "# scenarios:" line'
        name = os.path.splitext(os.path.basename(script))[0]
        out.extend((name, scenario) for scenario in line.split()[2:])
    return out


def live_scenario_pids(scenario_path):
    """The scenario's process ids that are live processes on this machine. The expectations were
    recorded where none was; on a busy machine one can be (some other program here), and then
    nvitop 1.7 and this package alike describe that process. (A PID namespace of the script's
    own would hide them, but makes the package see a container and show "other container".)"""
    with open(scenario_path, encoding='utf-8') as file:
        text = file.read()
    pids = set()
    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == 'pid' and isinstance(value, int):
                    pids.add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(json.loads(text))
    return sorted(pid for pid in pids if os.path.exists(f'/proc/{pid}'))


def run_script(name, scenario, tmp_path):
    """The script's stdout and exit status on this package, as scripts/py-diff.sh records them."""
    frozen = tmp_path / f'{scenario}.json'
    subprocess.run([sys.executable, os.path.join(HERE, '_frozen.py'),
                    os.path.join(SCENARIOS_DIR, f'{scenario}.json'), str(frozen)], check=True)
    env = sim_env(str(frozen), CUDA_VISIBLE_DEVICES=None, LOGLEVEL=None,
                  NVITOP_CUDA_LIBRARY=CUDA_SIM, PYTHONDONTWRITEBYTECODE='1',
                  PYTHONPATH=os.path.join(SOURCE_DIR, 'python'))
    live = live_scenario_pids(str(frozen))
    if live:
        pytest.skip(f'pids {live} of {scenario} are live processes on this machine: '
                    'nvitop 1.7 would describe them too')
    proc = subprocess.run([sys.executable, os.path.join(HERE, f'{name}.py')], env=env,
                          cwd=str(tmp_path), capture_output=True, text=True, timeout=120, check=False)
    return f'{proc.stdout}exit status {proc.returncode}\n', proc.stderr


@pytest.mark.parametrize(('name', 'scenario'), cases(), ids=lambda v: v)
def test_script_prints_what_nvitop_1_7_printed(name, scenario, tmp_path):
    expected_path = os.path.join(HERE, 'expected', f'{name}.{scenario}.txt')
    assert os.path.isfile(expected_path), f'no {expected_path}: run scripts/py-diff.sh'
    with open(expected_path, encoding='utf-8') as file:
        expected = file.read()
    got, stderr = run_script(name, scenario, tmp_path)
    if got != expected:
        diff = ''.join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                            'nvitop-1.7', 'ours', n=1))
        pytest.fail(f'{name}.py on {scenario} differs from nvitop 1.7:\n{diff[:6000]}\n--- stderr\n'
                    f'{stderr[-3000:]}')


def test_every_expected_file_has_its_script():
    known = {f'{name}.{scenario}.txt' for name, scenario in cases()}
    stale = sorted(set(os.listdir(os.path.join(HERE, 'expected'))) - known)
    assert not stale, f'expected files without a script/scenario: {stale}'
