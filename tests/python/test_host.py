# SPDX-License-Identifier: Apache-2.0
"""nvitop.api.host: nvitop's host helpers (libnvitop) against /proc, psutil's re-export, and the
ctypes mirrors of the host structs against the frozen C layout."""

import collections
import getpass
import os
import platform
import subprocess
import sys

import psutil
import pytest

import proc_helpers as ph
from nvitop.api import host


def test_host_structs_match_c_layout():
    ph.check_mirror(host.HostSnapshotC, 'nvitop_host_snapshot_t')
    ph.check_mirror(host.HostProcessC, 'nvitop_host_process_t')


def test_layout_check_catches_a_shifted_field():
    import ctypes  # pylint: disable=import-outside-toplevel

    fields = list(host.HostProcessC._fields_)
    fields[4] = ('ppid', ctypes.c_int32)  # nvitop_int_t read as a bare int: every later field shifts
    bad = type('Bad', (ctypes.Structure,), {'_fields_': fields})
    with pytest.raises(AssertionError):
        ph.check_mirror(bad, 'nvitop_host_process_t')


def test_load_average_is_procs():
    with open('/proc/loadavg', encoding='ascii') as f:
        before = tuple(float(x) for x in f.read().split()[:3])
    load = host.load_average()
    assert isinstance(load, tuple) and len(load) == 3
    with open('/proc/loadavg', encoding='ascii') as f:
        after = tuple(float(x) for x in f.read().split()[:3])
    for got, low, high in zip(load, before, after):  # /proc/loadavg has two decimals
        assert min(low, high) - 0.005 <= got <= max(low, high) + 0.005


def test_memory_and_swap_percent_are_psutils_figures():
    mi = ph.meminfo()
    want = round((mi['MemTotal'] - mi['MemAvailable']) / mi['MemTotal'] * 100, 1)
    assert host.memory_percent() == pytest.approx(want, abs=1.0)
    assert host.memory_percent() == pytest.approx(psutil.virtual_memory().percent, abs=1.0)
    swap_total = mi['SwapTotal']
    want_swap = round((swap_total - mi['SwapFree']) / swap_total * 100, 1) if swap_total else 0.0
    assert host.swap_percent() == pytest.approx(want_swap, abs=1.0)
    assert isinstance(host.memory_percent(), float)


def test_uptime_is_procs():
    before = ph.uptime()
    got = host.uptime()
    after = ph.uptime()
    assert before - 0.01 <= got <= after + 0.01


def test_identity():
    assert host.getuser() == getpass.getuser()
    assert host.hostname() == platform.node()


def test_ppid_map_matches_proc():
    child = ph.spawn()
    try:
        mapping = host.ppid_map()
        assert mapping[child.pid] == os.getpid()
        assert mapping[os.getpid()] == os.getppid()
        assert mapping[1] == 0
        for pid in (1, os.getpid(), child.pid):
            assert mapping[pid] == ph.ppid(pid)
        listed = {int(p) for p in os.listdir('/proc') if p.isdigit()}
        mapping = host.ppid_map()
        still = listed & {int(p) for p in os.listdir('/proc') if p.isdigit()}
        assert still <= set(mapping)
        reverse = host.reverse_ppid_map()
        assert isinstance(reverse, collections.defaultdict)
        assert child.pid in reverse[os.getpid()]
        assert reverse[12345678] == []
    finally:
        ph.reap(child)


def test_psutil_is_reexported():
    assert host.PsutilError is psutil.Error
    assert host.NoSuchProcess is psutil.NoSuchProcess
    assert host.virtual_memory is psutil.virtual_memory
    assert host.Process is psutil.Process
    assert 'Error' not in host.__all__
    for name in ('WSL', 'PsutilError', 'getuser', 'ppid_map', 'virtual_memory', 'Process', 'pids'):
        assert name in host.__all__
    assert len(host.__all__) == 11 + len([n for n in psutil.__all__ if not n.startswith('_') and n != 'Error'])


@pytest.mark.parametrize('value, want', [(None, 'None'), ('', 'WSL'), ('Ubuntu', 'Ubuntu')])
def test_wsl(value, want):
    env = dict(os.environ)
    env.pop('WSL_DISTRO_NAME', None)
    if value is not None:
        env['WSL_DISTRO_NAME'] = value
    out = subprocess.run([sys.executable, '-c', 'from nvitop.api import host; print(host.WSL, host.WINDOWS_SUBSYSTEM_FOR_LINUX)'],
                         env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out == [want, want]


def test_without_psutil():
    """A fresh venv has no psutil: the host module still gives what nvitop needs, from C."""
    code = '''
import sys
sys.modules['psutil'] = None  # import psutil raises ImportError
import os
from nvitop.api import host
assert not host.HAVE_PSUTIL
mem = host.virtual_memory()
print(mem.total, round(mem.percent), host.swap_memory().total, host.boot_time())
print(os.getpid() in host.pids(), issubclass(host.NoSuchProcess, host.PsutilError),
      issubclass(host.ZombieProcess, host.NoSuchProcess), issubclass(host.AccessDenied, host.PsutilError))
print(str(host.NoSuchProcess(42)), '|', str(host.NoSuchProcess(42, 'x')), '|', str(host.AccessDenied(7)))
print(host.LINUX, host.POSIX, host.WINDOWS, host.Process.__name__)
'''
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    mi = ph.meminfo()
    total, percent, swap_total, btime = lines[0].split()
    assert int(total) == mi['MemTotal']
    assert int(swap_total) == mi['SwapTotal']
    assert float(btime) == ph.boot_time()
    assert abs(int(percent) - psutil.virtual_memory().percent) <= 2
    assert lines[1] == 'True True True True'
    assert lines[2] == "process no longer exists (pid=42) | process no longer exists (pid=42, name='x') | (pid=7)"
    assert lines[3] == 'True True False _StandaloneProcess'
