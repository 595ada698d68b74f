# SPDX-License-Identifier: Apache-2.0
"""HostProcess: every value nvitop shows against /proc, gone, zombie and denied processes,
signals (to children this test spawns only), the instance cache, reprs and snapshots."""

import copy
import datetime
import os
import pickle
import signal
import subprocess
import sys
import time

import psutil
import pytest

import proc_helpers as ph
from nvitop.api import host
from nvitop.api.process import HostProcess


@pytest.fixture
def child(tmp_path):
    env = {'PATH': os.environ.get('PATH', '/usr/bin'), 'NVITOP_MARK': 'a b=c', 'PYTHONPATH': ''}
    proc = ph.spawn(args=('two words', 'x', ''), env=env, cwd=str(tmp_path))
    ph.wait_state(proc.pid, 'S')  # asleep: its state and CPU time hold still
    yield proc
    ph.reap(proc)


def test_values_are_procs(child):
    pid = child.pid
    p = HostProcess(pid)
    assert isinstance(p, psutil.Process)
    assert p.pid == pid
    assert p.name() == ph.comm(pid) == 'python3'
    assert p.status() == ph.STATUS_WORDS[ph.proc_stat(pid)[3]]
    assert p.username() == ph.username(pid)
    assert p.ppid() == ph.ppid(pid) == os.getpid()
    assert p.create_time() == pytest.approx(ph.create_time(pid), abs=1e-6)
    assert p.create_time() == psutil.Process(pid).create_time()
    assert p.cmdline() == ph.cmdline(pid)
    assert p.cmdline()[-2:] == ['two words', 'x']  # the trailing empty word is dropped
    assert p.command().endswith(" 'two words' x") or p.command().endswith(' "two words" x')
    assert p.rss_memory() == ph.rss(pid)
    assert p.memory_percent() == pytest.approx(100.0 * ph.rss(pid) / ph.meminfo()['MemTotal'])
    assert p.num_threads() == int(ph.proc_stat(pid)[20])
    running = ph.uptime() - int(ph.proc_stat(pid)[22]) / os.sysconf('SC_CLK_TCK')
    assert isinstance(p.running_time(), datetime.timedelta)
    assert p.running_time_in_seconds() == pytest.approx(running, abs=0.5)
    assert p.elapsed_time_in_seconds() == pytest.approx(running, abs=0.5)
    assert p.environ() == ph.environ(pid)
    assert p.environ()['NVITOP_MARK'] == 'a b=c'
    assert p.cwd() == os.readlink(f'/proc/{pid}/cwd')
    assert p.parent() is HostProcess(os.getpid())
    assert p in HostProcess().children()
    assert p.children() == []


def test_cpu_percent_of_a_busy_child():
    busy = ph.spawn('while True: pass')
    try:
        p = HostProcess(busy.pid)
        before = int(ph.proc_stat(busy.pid)[14]) + int(ph.proc_stat(busy.pid)[15])
        start = time.monotonic()
        p.cpu_percent()  # since creation; the next one covers the interval below
        time.sleep(0.5)
        got = p.cpu_percent()
        ticks = int(ph.proc_stat(busy.pid)[14]) + int(ph.proc_stat(busy.pid)[15]) - before
        want = 100.0 * ticks / os.sysconf('SC_CLK_TCK') / (time.monotonic() - start)
        assert got == pytest.approx(want, abs=25.0)
        assert got > 10.0
        assert HostProcess(os.getpid()).cpu_percent(interval=0.05) >= 0.0
    finally:
        ph.reap(busy)


def test_children_recursive_and_parent():
    code = '''
import subprocess, sys, time
kid = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])
print(kid.pid, flush=True)
time.sleep(120)
'''
    middle = ph.spawn(code)
    try:
        grandchild = int(middle.stdout.readline())
        p = HostProcess(middle.pid)
        assert [c.pid for c in p.children()] == [grandchild]
        mine = [c.pid for c in HostProcess().children(recursive=True)]
        assert middle.pid in mine and grandchild in mine
        assert mine.index(middle.pid) < mine.index(grandchild)
        assert HostProcess(grandchild).parent() is p
        assert [q.pid for q in HostProcess(grandchild).parents()][:2] == [middle.pid, os.getpid()]
    finally:
        ph.reap(middle)
        os.kill(grandchild, signal.SIGKILL)


def test_instance_cache_identity_and_pickle(child):
    p = HostProcess(child.pid)
    assert HostProcess(child.pid) is p
    assert copy.deepcopy(p) is p
    assert pickle.loads(pickle.dumps(p)) is p
    assert HostProcess.INSTANCES[child.pid] is p
    assert HostProcess() is HostProcess(os.getpid())
    assert p == psutil.Process(child.pid)
    assert hash(p) == hash(psutil.Process(child.pid))
    with pytest.raises(ValueError, match=r'pid must be a positive integer \(got -1\)'):
        HostProcess(-1)


def test_repr_and_str(child):
    ph.wait_state(child.pid, 'S')
    p = HostProcess(child.pid)
    started = datetime.datetime.fromtimestamp(ph.create_time(child.pid)).strftime('%H:%M:%S')
    inner = f"pid={child.pid}, name='python3', status='sleeping', started='{started}'"
    assert repr(p) == f'HostProcess({inner})'
    assert str(p) == f'nvitop.api.process.HostProcess({inner})'  # QUIRK 1, kept
    assert f'{p}' == str(p)


def test_gone_process():
    pid = ph.gone_pid()
    p = HostProcess(pid)  # does not raise
    assert repr(p) == f"HostProcess(pid={pid}, status='terminated')"
    assert not p.is_running()
    for query in (p.name, p.status, p.cmdline, p.username, p.cpu_percent, p.memory_percent,
                  p.rss_memory, p.environ, p.cwd, p.running_time, p.create_time, p.ppid, p.children):
        with pytest.raises(psutil.NoSuchProcess, match=rf'^process no longer exists \(pid={pid}\)$'):
            query()
    assert pid not in HostProcess.INSTANCES


def test_process_that_ends_while_held():
    child = ph.spawn()
    p = HostProcess(child.pid)
    assert p.name() == 'python3'
    ph.reap(child)
    assert not p.is_running()
    with pytest.raises(psutil.NoSuchProcess):
        p.cmdline()
    with pytest.raises(psutil.NoSuchProcess):
        p.terminate()
    assert child.pid not in HostProcess.INSTANCES
    assert HostProcess(child.pid) is not p


def test_zombie():
    child = ph.spawn()
    try:
        os.kill(child.pid, signal.SIGKILL)
        ph.wait_state(child.pid, 'Z')
        p = HostProcess(child.pid)
        assert p.status() == 'zombie' == psutil.Process(child.pid).status()
        assert p.cmdline() == [] == ph.cmdline(child.pid)
        assert p.command() == ''
        assert p.is_running()
        assert p.name() == 'python3'
        assert "status='zombie'" in repr(p)
        for query in (p.environ, p.cwd):
            with pytest.raises(psutil.ZombieProcess):
                query()
        assert p.is_running()
    finally:
        ph.reap(child)


def test_no_permission():
    """As an unprivileged user, another user's environment and cwd raise AccessDenied."""
    code = '''
import os
import psutil
from nvitop.api.process import HostProcess
# Imported first: the checkout may be unreadable to nobody (a private temporary clone).
os.setgid(65534); os.setuid(65534)
p = HostProcess(1)
print(p.name(), p.username())
for query in (p.environ, p.cwd):
    try:
        query()
        print('no error')
    except psutil.AccessDenied as ex:
        print(type(ex).__name__, ex.pid)
snap = p.as_snapshot(attrs=['pid', 'environ', 'name'], ad_value='denied')
print(snap.environ, snap.pid)
'''
    if os.geteuid() != 0:
        pytest.skip('needs root to drop to an unprivileged user')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0] == f'{ph.comm(1)} {ph.username(1)}'
    assert out[1:] == ['AccessDenied 1', 'AccessDenied 1', 'denied 1']


def test_signals_to_a_child():
    child = ph.spawn()
    p = HostProcess(child.pid)
    p.send_signal(signal.SIGSTOP)
    ph.wait_state(child.pid, 'T')
    assert p.status() == 'stopped'
    p.resume()
    p.terminate()
    assert child.wait(timeout=10) == -signal.SIGTERM
    child.stdout.close()
    with pytest.raises(psutil.NoSuchProcess):
        p.kill()

    second = ph.spawn()
    q = HostProcess(second.pid)
    q.kill()
    assert q.wait(timeout=10) == -signal.SIGKILL
    second.stdout.close()


def test_no_signal_to_a_recycled_pid():
    """A process object whose pid now names another process must not signal it."""
    child = ph.spawn()
    try:
        p = HostProcess(child.pid)
        p.__dict__['_create_time'] -= 100.0  # as if the pid had been reused since
        assert not p.is_running()
        with pytest.raises(psutil.NoSuchProcess, match='reused'):
            p.kill()
        assert child.poll() is None
    finally:
        ph.reap(child)


def test_oneshot_reads_proc_once(child, monkeypatch):
    from nvitop.api import process  # pylint: disable=import-outside-toplevel

    p = HostProcess(child.pid)
    reads = []
    real = process._read_record
    monkeypatch.setattr(process, '_read_record', lambda pid: reads.append(pid) or real(pid))
    with p.oneshot():
        with p.oneshot():
            p.name(), p.cmdline(), p.memory_percent(), p.status()
        p.rss_memory(), p.running_time()
    assert reads == [child.pid]
    p.name()
    assert len(reads) == 2


def test_as_snapshot(child):
    p = HostProcess(child.pid)
    snap = p.as_snapshot()
    assert snap.real is p
    assert snap.pid == child.pid
    assert snap.name == 'python3'
    assert snap.cmdline == ph.cmdline(child.pid)
    assert snap.command == p.command()
    assert snap.ppid == os.getpid()
    assert isinstance(snap.running_time, datetime.timedelta)
    assert snap.running_time_human == p.running_time_human()
    assert 'memory_full_info' in list(snap)  # psutil's own attributes come along
    small = p.as_snapshot(attrs=['name', 'username'])
    assert sorted(small) == ['name', 'username']
    assert repr(small).startswith('HostProcessSnapshot(\n    real=HostProcess(')


def test_standalone_without_psutil():
    """Without psutil, HostProcess stands on libnvitop alone, with psutil's names."""
    code = '''
import sys
sys.modules['psutil'] = None
import os, signal, subprocess
from nvitop.api import host
from nvitop.api.process import HostProcess
child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
p = HostProcess(child.pid)
print(isinstance(p, host.Process), p.name(), p.ppid() == os.getpid(), p.is_running())
print(repr(p).startswith(f"HostProcess(pid={child.pid}, name='python3'"), str(p).startswith('nvitop.api.process.'))
print(p.as_dict(attrs=['pid', 'name']), p.memory_info().rss > 0, p.children() == [])
p.terminate()
print(p.wait(timeout=10))
try:
    p.name()
except host.NoSuchProcess as ex:
    print('gone', ex)
gone = HostProcess(child.pid)
print(repr(gone))
'''
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert lines[0] == 'True python3 True True'
    assert lines[1] == 'True True'
    assert lines[2].endswith(" 'name': 'python3'} True True")
    assert lines[3] == str(-signal.SIGTERM)
    assert lines[4].startswith('gone process no longer exists (pid=')
    assert lines[5].endswith("status='terminated')")
