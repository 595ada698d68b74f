# SPDX-License-Identifier: Apache-2.0
"""The wheel (scripts/build-wheel.py, `make wheel`): its contents, and a fresh venv with it
installed offline (`python3 -m venv v && v/bin/pip install --no-index nvitop-*.whl`) running
the programs on the simulator, `python -m nvitop`, and `import nvitop`. No network."""

import base64
import hashlib
import os
import re
import subprocess
import zipfile

import pytest

from conftest import BUILD_DIR, sim_env

PREFIX_FILES = [
    'nvitop/_prefix/bin/nvitop',
    'nvitop/_prefix/bin/nvisel',
    'nvitop/_prefix/bin/nvitop-exporter',
    'nvitop/_prefix/lib/libnvitop.so.1',
    'nvitop/_prefix/libexec/nvitop/nvitop-cuda-probe',
]
CUDA_SIM_LIBRARY = os.environ.get(
    'NVITOP_CUDA_SIM_LIB', os.path.join(BUILD_DIR, 'sim', 'cuda', 'libcuda.so.1')
)


def run(argv, env, **kwargs):
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, check=False, **kwargs)


def venv_env(venv, scenario=None, **extra):
    """The simulator's environment, without what would let the venv lean on the source tree."""
    return sim_env(scenario, PYTHONPATH=None, NVITOP_LIBRARY=None, NVITOP_BUILD_DIR=None,
                   **extra)


def build_program(name):
    return os.path.join(BUILD_DIR, 'src', name)


def test_wheel_holds_the_package_the_prefix_and_a_valid_record(wheel):
    assert re.fullmatch(r'nvitop-\d+\.\d+\.\d+-py3-none-linux_\w+\.whl', os.path.basename(wheel))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        for name in PREFIX_FILES + ['nvitop/_programs.py', 'nvitop/version.py',
                                    'nvitop/__main__.py', 'nvitop/_build_info.py']:
            assert name in names
        for name in PREFIX_FILES:
            if '/bin/' in name or '/libexec/' in name:
                assert (zf.getinfo(name).external_attr >> 16) & 0o111, f'{name} not executable'
        info = next(n for n in names if n.endswith('.dist-info/WHEEL'))
        assert 'Root-Is-Purelib: false' in zf.read(info).decode()
        entry_points = zf.read(info.replace('WHEEL', 'entry_points.txt')).decode()
        for script in ('nvitop = nvitop._programs:nvitop', 'nvisel = nvitop._programs:nvisel',
                       'nvitop-exporter = nvitop._programs:nvitop_exporter'):
            assert script in entry_points
        record = zf.read(info.replace('WHEEL', 'RECORD')).decode().splitlines()
        recorded = {}
        for line in record:
            path, digest, size = line.rsplit(',', 2)
            recorded[path] = (digest, size)
        assert set(recorded) == set(names)
        for path, (digest, size) in recorded.items():
            if path.endswith('RECORD'):
                continue
            data = zf.read(path)
            want = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
            assert digest == f'sha256={want}' and int(size) == len(data), path
        assert not any('__pycache__' in n or n.endswith('.pyc') for n in names)


def test_installed_programs_find_every_library(wheel_venv):
    """Each program loads: what a fresh Debian may lack comes from the bundled lib/ (RUNPATH
    $ORIGIN/../lib), the rest from the system; libnvitop.so.1 is the bundled one."""
    prefix = os.path.join(wheel_venv.site, '_prefix')
    for rel in ('bin/nvitop', 'bin/nvisel', 'bin/nvitop-exporter'):
        out = subprocess.run(['ldd', os.path.join(prefix, rel)], capture_output=True,
                             text=True, check=True).stdout
        assert 'not found' not in out, out
        for soname in ('libncursesw.so.6', 'libmicrohttpd.so.12'):
            for line in out.splitlines():
                if line.strip().startswith(soname):
                    assert f'{prefix}/bin/../lib/{soname}' in line, line


def test_nvitop_once_on_the_simulator(wheel_venv):
    env = venv_env(wheel_venv, 'rtx4090-idle')
    got = run([str(wheel_venv.bin / 'nvitop'), '-1'], env)
    want = run([build_program('nvitop'), '-1'], env)
    assert got.returncode == 0, got.stderr
    assert 'GeForce RTX 4090' in got.stdout
    # The same report as the build's program, but for the first line (the clock).
    assert got.stdout.split('\n', 1)[1] == want.stdout.split('\n', 1)[1]


def test_nvitop_once_without_a_driver(wheel_venv):
    env = venv_env(wheel_venv, NVITOP_NVML_LIBRARY='/nonexistent/libnvidia-ml.so.1')
    got = run([str(wheel_venv.bin / 'nvitop'), '-1'], env)
    want = run([build_program('nvitop'), '-1'], env)
    assert got.returncode == want.returncode != 0
    assert 'NVIDIA Management Library (NVML) not found' in got.stderr
    assert got.stderr == want.stderr


def test_nvisel_and_python_m_nvitop_select(wheel_venv):
    env = venv_env(wheel_venv, 'node-8gpu-100proc')
    want = run([build_program('nvisel')], env)
    assert want.returncode == 0 and want.stdout
    for argv in ([str(wheel_venv.bin / 'nvisel')],
                 [wheel_venv.python, '-m', 'nvitop.select']):
        got = run(argv, env, cwd=str(wheel_venv.root))
        assert (got.returncode, got.stdout, got.stderr) == (0, want.stdout, want.stderr), argv


def test_nvisel_finds_the_bundled_cuda_probe(wheel_venv):
    """CUDA's order (the simulator's libcuda) comes from libexec/nvitop/nvitop-cuda-probe of
    the bundled prefix; without the probe nvisel falls back to NVML's order 0,1,2,3."""
    env = venv_env(wheel_venv, 'cuda-order', NVITOP_CUDA_LIBRARY=CUDA_SIM_LIBRARY,
                   CUDA_VISIBLE_DEVICES=None, CUDA_DEVICE_ORDER=None, NVITOP_CUDA_PROBE=None)
    got = run([str(wheel_venv.bin / 'nvisel'), '-i', '-S'], env)
    assert (got.returncode, got.stdout.strip()) == (0, '2,3,0,1'), got.stderr


def test_python_m_nvitop_and_the_exporter_report_the_version(wheel_venv):
    env = venv_env(wheel_venv)
    version = run([build_program('nvitop'), '--version'], env).stdout.strip()
    assert re.fullmatch(r'nvitop \d+\.\d+\.\d+', version)
    got = run([wheel_venv.python, '-m', 'nvitop', '--version'], env, cwd=str(wheel_venv.root))
    assert (got.returncode, got.stdout.strip()) == (0, version), got.stderr
    got = run([str(wheel_venv.bin / 'nvitop-exporter'), '--version'], env)
    want = run([build_program('nvitop-exporter'), '--version'], env)
    assert (got.returncode, got.stdout) == (0, want.stdout), got.stderr


def test_import_nvitop_from_the_venv(wheel_venv):
    """The package imports from the venv alone, its version is libnvitop's, and the library it
    loads is the bundled one."""
    env = venv_env(wheel_venv, 'rtx4090-idle')
    code = (
        'import nvitop, nvitop.version as v, nvitop._programs as p\n'
        'print(v.__version__)\n'
        'print(p.bundled_library())\n'
        # A regular package (nvitop/__init__.py) re-exports the version, as nvitop 1.7 does.
        'print(nvitop.__version__ if nvitop.__file__ else "-")\n'
    )
    got = run([wheel_venv.python, '-c', code], env, cwd=str(wheel_venv.root))
    assert got.returncode == 0, got.stderr
    version, library, package_version = got.stdout.split()
    want = run([build_program('nvitop'), '--version'], env).stdout.split()[1]
    assert version == want
    assert package_version in (want, '-')
    assert library == os.path.join(wheel_venv.site, '_prefix', 'lib', 'libnvitop.so.1')


def runpath(path):
    out = subprocess.run(['readelf', '-d', path], capture_output=True, text=True,
                         check=True).stdout
    found = re.search(r'\((?:RUNPATH|RPATH)\)\s+Library r\w*path: \[(.*)\]', out)
    return found.group(1) if found else None


def test_programs_search_their_prefix_lib_and_never_the_current_directory(wheel_venv):
    """The installed programs' RUNPATH is $ORIGIN/../lib; the build tree's has no empty entry
    (CMake's padding), which the loader would read as the current directory."""
    for name in ('nvitop', 'nvisel', 'nvitop-exporter'):
        assert runpath(os.path.join(wheel_venv.site, '_prefix', 'bin', name)) == '$ORIGIN/../lib'
        build_runpath = runpath(build_program(name))
        assert build_runpath is None or '' not in build_runpath.split(':'), build_runpath
