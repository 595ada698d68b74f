# SPDX-License-Identifier: Apache-2.0
"""The programs from Python in a source tree (nvitop._programs): `python -m nvitop` and
`python -m nvitop.select` run the build's C programs (beside $NVITOP_LIBRARY) with the same
arguments; a missing program is exit 127 with a message, never a loop through $PATH."""

import os
import shutil

from conftest import BUILD_DIR


def test_python_m_nvitop_runs_the_build_program(run_python):
    want = run_python('import subprocess, sys; '
                      f'sys.exit(subprocess.call([{os.path.join(BUILD_DIR, "src", "nvitop")!r}, '
                      '"--version"]))')
    got = run_python('import runpy, sys; sys.argv[1:] = ["--version"]; '
                     'runpy.run_module("nvitop", run_name="__main__")')
    assert got.stdout == want.stdout and got.stdout.startswith('nvitop ')


def test_python_m_nvitop_select_passes_its_arguments(run_python):
    want = run_python('import subprocess, sys; '
                      f'sys.exit(subprocess.call([{os.path.join(BUILD_DIR, "src", "nvisel")!r}, '
                      '"-n", "2", "-S"]))', scenario='node-8gpu-100proc')
    got = run_python('import runpy, sys; sys.argv[1:] = ["-n", "2", "-S"]; '
                     'runpy.run_module("nvitop.select", run_name="__main__")',
                     scenario='node-8gpu-100proc')
    assert got.stdout == want.stdout and got.stdout.count(',') == 1


def test_program_lookup_follows_nvitop_library(run_python, tmp_path):
    got = run_python('import nvitop._programs as p; print(p.program_path("nvisel")); '
                     'print(p.prefix())', env={'NVITOP_BUILD_DIR': str(tmp_path)})
    path, prefix = got.stdout.split()
    assert path == os.path.join(os.path.dirname(os.environ['NVITOP_LIBRARY']), 'nvisel')
    assert prefix == 'None'


def test_a_missing_program_exits_127(run_python, tmp_path):
    # The package needs its library (importing nvitop loads it): a copy with no program beside it.
    library = tmp_path / 'libnvitop.so'
    shutil.copy(os.environ['NVITOP_LIBRARY'], library)
    got = run_python('import nvitop._programs as p, sys; sys.exit(p.nvitop())', check=False,
                     env={'NVITOP_LIBRARY': str(library), 'NVITOP_BUILD_DIR': str(tmp_path)})
    assert got.returncode == 127
    assert 'nvitop: the program is not installed with this package' in got.stderr
