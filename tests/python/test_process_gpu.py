# SPDX-License-Identifier: Apache-2.0
"""GpuProcess (cache, GPU values, failsafe fallbacks, snapshots, reprs) and command_join; the
processes of generated scenarios naming this test's own children, checked against the
scenario's values."""

import json
import os
import signal
import subprocess
import sys
import threading

import psutil
import pytest

import proc_helpers as ph
from nvitop.api import host, process
from nvitop.api.process import GpuProcess, HostProcess, add_quotes, command_join
from nvitop.api.utils import NA, UINT_MAX, bytes2human

SCENARIOS = os.environ.get('NVITOP_SCENARIOS', os.path.join(ph.SOURCE_DIR, 'sim', 'scenarios'))
HOST_KEYS = ['is_running', 'status', 'username', 'name', 'cmdline', 'command', 'cpu_percent',
             'memory_percent', 'host_memory', 'host_memory_human', 'running_time',
             'running_time_human', 'running_time_in_seconds']
GPU_KEYS = ['device', 'type', 'gpu_instance_id', 'compute_instance_id', 'gpu_memory',
            'gpu_memory_human', 'gpu_memory_percent', 'gpu_sm_utilization', 'gpu_memory_utilization',
            'gpu_encoder_utilization', 'gpu_decoder_utilization']


def _scenario():
    with open(os.environ['NVML_SIM_SCENARIO'], encoding='utf-8') as f:
        return json.load(f)


@pytest.fixture(scope='module')
def device():
    from nvitop.api.device import Device  # pylint: disable=import-outside-toplevel

    return Device(0)


@pytest.fixture
def child():
    proc = ph.spawn()
    ph.wait_state(proc.pid, 'S')
    yield proc
    ph.reap(proc)


def test_cache_and_constructor(device, child):
    p = GpuProcess(child.pid, device, gpu_memory=1 << 30, type='C')
    assert GpuProcess(child.pid, device) is p
    assert p.gpu_memory() == 1 << 30  # None leaves a set value alone
    assert p.type == 'C'
    GpuProcess(child.pid, device, gpu_memory=2 << 30, type='G')
    assert p.gpu_memory() == 2 << 30
    assert p.type == 'G'  # assigned, not accumulated (QUIRK 5 is Device.processes()'s)
    assert p.host is HostProcess(child.pid)
    assert p.pid == child.pid and p.device is device
    assert GpuProcess.INSTANCES[(child.pid, device)] is p
    assert GpuProcess(None, device).pid == os.getpid()


@pytest.mark.parametrize('value, want', [('C', 'C'), ('G', 'G'), ('C+G', 'C+G'), ('GC', 'C+G'),
                                         ('NC', 'C'), ('X', NA), (NA, NA), ('', NA)])
def test_type_setter(device, child, value, want):
    p = GpuProcess(child.pid, device)
    p.type = value
    assert p.type == want


def test_gpu_values(device, child):
    total = _scenario()['devices'][0]['memory']['total']
    used = 3332374528
    p = GpuProcess(child.pid, device, gpu_memory=used, gpu_instance_id=UINT_MAX, compute_instance_id=UINT_MAX)
    assert p.gpu_memory_percent() == round(100.0 * used / total, 1)
    assert p.gpu_memory_human() == bytes2human(used) == '3178MiB'
    assert p.gpu_instance_id() is NA and p.compute_instance_id() is NA
    GpuProcess(child.pid, device, gpu_instance_id=2, compute_instance_id=0)
    assert (p.gpu_instance_id(), p.compute_instance_id()) == (2, 0)
    p.set_gpu_utilization(10, None, 3)
    assert (p.gpu_sm_utilization(), p.gpu_memory_utilization(), p.gpu_encoder_utilization(),
            p.gpu_decoder_utilization()) == (10, NA, 3, NA)
    p.set_gpu_memory(NA)
    assert p.gpu_memory() is NA and p.gpu_memory_human() is NA and p.gpu_memory_percent() is NA


def test_identity_and_reprs(device, child):
    p = GpuProcess(child.pid, device, gpu_memory=2 << 30, type='C')
    assert isinstance(p, HostProcess)
    assert not isinstance(p, psutil.Process)
    assert p != p.host and p.host != p
    assert p == GpuProcess(child.pid, device)
    assert hash(p) == hash((child.pid, ph.create_time(child.pid), device.index)) or hash(p) == hash(p._ident)
    assert p._ident[0] == child.pid and p._ident[2] == device.index
    assert p._ident[1] == pytest.approx(ph.create_time(child.pid), abs=1e-6)
    assert repr(p) == (f'GpuProcess(pid={child.pid}, gpu_memory=2048MiB, type=C, device={device}, '
                       f'host={p.host!s})')
    assert 'host=nvitop.api.process.HostProcess(pid=' in repr(p)  # QUIRK 1, kept


def test_host_fallthrough(device, child):
    p = GpuProcess(child.pid, device)
    assert p.cwd() == os.readlink(f'/proc/{child.pid}/cwd')
    assert p.num_threads() == int(ph.proc_stat(child.pid)[20])
    with pytest.raises(AttributeError):
        p.no_such_method  # pylint: disable=pointless-statement


def test_host_values(device, child):
    p = GpuProcess(child.pid, device)
    assert p.name() == ph.comm(child.pid)
    assert p.username() == ph.username(child.pid)
    assert p.cmdline() == ph.cmdline(child.pid)
    assert p.command() == command_join(ph.cmdline(child.pid))
    assert p.host_memory() == p.rss_memory() == ph.rss(child.pid)
    assert p.host_memory_human() == bytes2human(ph.rss(child.pid))
    assert p.status() == 'sleeping'
    assert p.is_running()
    assert p.create_time() == pytest.approx(ph.create_time(child.pid), abs=1e-6)


def test_gone_raises_then_falls_back(device):
    pid = ph.gone_pid()
    p = GpuProcess(pid, device, gpu_memory=1 << 20)
    with pytest.raises(psutil.NoSuchProcess, match=rf'^process no longer exists \(pid={pid}\)$'):
        p.cpu_percent()
    assert (pid, device) not in GpuProcess.INSTANCES  # evicted by auto_garbage_clean
    assert pid not in HostProcess.INSTANCES
    with GpuProcess.failsafe():
        with GpuProcess.failsafe():
            assert p.cpu_percent() is NA
        assert p.cmdline() == ['No Such Process']
        assert p.command() == 'No Such Process'
        assert p.status() == 'terminated'
        assert p.is_running() is False
        for query in (p.create_time, p.running_time, p.running_time_human, p.running_time_in_seconds,
                      p.username, p.name, p.memory_percent, p.host_memory, p.host_memory_human):
            assert query() is NA
        seen = []
        worker = threading.Thread(target=lambda: seen.append(_raises(p.name)))
        worker.start()
        worker.join()
        assert seen == [True]  # the flag is per thread
    with pytest.raises(psutil.NoSuchProcess):
        p.name()
    with pytest.raises(psutil.NoSuchProcess):
        p.cwd()  # reached through the host: no fallback


def _raises(query):
    try:
        query()
    except psutil.NoSuchProcess:
        return True
    return False


def test_denied_cmdline_falls_back_to_no_permissions(device, child, monkeypatch):
    p = GpuProcess(child.pid, device)

    def denied(self):
        raise psutil.AccessDenied(self.pid)

    monkeypatch.setattr(HostProcess, 'cmdline', denied)
    with GpuProcess.failsafe():
        assert p.cmdline() == ['No Permissions']
        assert p.command() == 'No Permissions'
    with pytest.raises(psutil.AccessDenied):
        p.cmdline()


def test_zombie_cmdline(device):
    zombie = ph.spawn()
    try:
        os.kill(zombie.pid, signal.SIGKILL)
        ph.wait_state(zombie.pid, 'Z')
        p = GpuProcess(zombie.pid, device)
        assert p.cmdline() == ['Zombie Process']
        assert p.status() == 'zombie'
    finally:
        ph.reap(zombie)


def test_snapshots(device, child):
    p = GpuProcess(child.pid, device, gpu_memory=1 << 30, type='C')
    host_snap = p.host_snapshot()
    assert list(host_snap) == HOST_KEYS
    assert host_snap.real is p.host
    snap = p.as_snapshot()
    assert list(snap) == ['pid', 'host', *HOST_KEYS, *GPU_KEYS]
    assert snap.real is p and snap.pid == child.pid and snap.gpu_memory == 1 << 30
    assert snap.name == 'python3' and snap.cmdline == ph.cmdline(child.pid)
    assert repr(snap).startswith('GpuProcessSnapshot(\n    real=GpuProcess(')
    assert '    host=HostProcessSnapshot(\n        real=HostProcess(' in repr(snap)
    gone = GpuProcess(ph.gone_pid(), device)
    snaps = GpuProcess.take_snapshots([p, gone, p], failsafe=True)
    assert [s.pid for s in snaps] == [p.pid, gone.pid, p.pid]
    assert snaps[0].host is snaps[2].host  # one host snapshot per pid
    assert snaps[1].command == 'No Such Process' and snaps[1].status == 'terminated'
    with pytest.raises(psutil.NoSuchProcess):
        GpuProcess.take_snapshots([GpuProcess(ph.gone_pid(), device)])


@pytest.mark.parametrize('cached_username', [None, 'someone'])
def test_gone_snapshot_is_its_methods_fallbacks(device, cached_username):
    # host_snapshot() of a gone process in failsafe() answers without calling its 13 methods:
    # the same values as the methods' fallbacks, and the process forgotten as they forget it.
    pid = ph.gone_pid()

    def gone_process():
        p = GpuProcess(pid, device)
        p.host._username = cached_username
        return p

    fast = gone_process()
    with GpuProcess.failsafe():
        snap = fast.host_snapshot()
    assert (pid, device) not in GpuProcess.INSTANCES
    slow = gone_process()
    assert slow is not fast
    with GpuProcess.failsafe():
        want = {key: getattr(slow, key)() for key in HOST_KEYS}
    got = {key: getattr(snap, key) for key in HOST_KEYS}
    assert got == want
    assert [type(v) for v in got.values()] == [type(v) for v in want.values()]
    assert want['username'] == (NA if cached_username is None else cached_username)


@pytest.mark.parametrize('argv, want', [
    (['python3', '-c', 'print("hi there")'], 'python3 -c \'print("hi there")\''),
    (['a b'], 'a b'),
    (['/bin/ls'], '/bin/ls'),
    (['echo', '', "it's", 'a$b', 'x\ny', 'plain'], 'echo "" it\'s \'a$b\' "x\\ny" plain'),
    (["'"], "'"),  # QUIRK 9, kept: a lone quote stays bare
    (['/bin/sh', "'"], "/bin/sh '"),
    ([], ''),
])
def test_command_join(argv, want):
    assert command_join(argv) == want


def test_add_quotes():
    assert add_quotes('') == '""'
    assert add_quotes('plain') == 'plain'
    assert add_quotes('a b') == '"a b"'
    assert add_quotes('a"$b') == "'a\"$b'"
    assert add_quotes("it's $x") == '"it\'s \\$x"'


def _scenario_with(base, place, tmp_path):
    with open(os.path.join(SCENARIOS, base), encoding='utf-8') as f:
        data = json.load(f)
    place(data)
    path = tmp_path / 'scenario.json'
    path.write_text(json.dumps(data), encoding='utf-8')
    return str(path)


def _run(code, scenario):
    env = dict(os.environ, NVML_SIM_SCENARIO=scenario)
    proc = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_device_processes_of_own_children(tmp_path):
    """Device.processes() builds GpuProcess objects whose values are the scenario's and /proc's."""
    kids = [ph.spawn(), ph.spawn()]
    try:
        entries = [{'pid': kids[0].pid, 'type': 'C+G', 'used_memory': 3332374528, 'sm': 81, 'mem': 26, 'enc': 1, 'dec': 2},
                   {'pid': kids[1].pid, 'type': 'G', 'used_memory': 1048576, 'sm': 7, 'mem': 5, 'enc': 0, 'dec': 0}]
        scenario = _scenario_with('h100-under-load.json',
                                  lambda d: d['devices'][0].__setitem__('processes', entries), tmp_path)
        code = f'''
from nvitop import Device, GpuProcess
d = Device(0)
procs = d.processes()
for pid in sorted(procs):
    p = procs[pid]
    print(pid, p.type, p.gpu_memory(), p.gpu_sm_utilization(), p.gpu_memory_utilization(),
          p.gpu_encoder_utilization(), p.gpu_decoder_utilization(), p.name(), p.username(),
          p.gpu_memory_percent(), p.is_running())
print(d.processes()[{kids[0].pid}] is procs[{kids[0].pid}])
print(procs[{kids[0].pid}].update_gpu_status())
'''
        out = _run(code, scenario)
        with open(scenario, encoding='utf-8') as f:
            total = json.load(f)['devices'][0]['memory']['total']
        for line, entry, kid in zip(out, entries, kids):
            pct = round(100.0 * entry['used_memory'] / total, 1)
            want = (f"{kid.pid} {entry['type']} {entry['used_memory']} {entry['sm']} {entry['mem']} "
                    f"{entry['enc']} {entry['dec']} python3 {ph.username(kid.pid)} {pct} True")
            assert line == want
        assert out[2:] == ['True', str(entries[0]['used_memory'])]
    finally:
        for kid in kids:
            ph.reap(kid)


def test_mig_process_ids(tmp_path):
    kid = ph.spawn()
    try:
        def place(data):
            mig = next(dev for dev in data['devices'] if dev.get('mig_mode'))['mig_devices'][0]
            mig['processes'] = [{'pid': kid.pid, 'type': 'C', 'used_memory': 4718592000}]
            place.ids = (mig['gpu_instance_id'], mig['compute_instance_id'])

        scenario = _scenario_with('a100-mig-node.json', place, tmp_path)
        code = f'''
from nvitop import Device
for dev in Device.all():
    for mig in dev.mig_devices():
        p = mig.processes().get({kid.pid})
        if p is not None:
            print(p.gpu_instance_id(), p.compute_instance_id(), p.gpu_memory(), p.type)
'''
        out = _run(code, scenario)
        assert out[0] == f'{place.ids[0]} {place.ids[1]} 4718592000 C'
    finally:
        ph.reap(kid)


def test_kill_through_gpu_process(device):
    kid = ph.spawn()
    p = GpuProcess(kid.pid, device)
    p.kill()  # psutil's kill, reached through the host
    assert kid.wait(timeout=10) == -signal.SIGKILL
    kid.stdout.close()
    with GpuProcess.failsafe():
        assert p.is_running() is False
    assert host.PsutilError is psutil.Error
    assert process.auto_garbage_clean


@pytest.mark.parametrize('kind', ['sleeping', 'zombie'])
def test_host_snapshot_fast_path_equals_method_by_method(device, kind, monkeypatch):
    """host_snapshot() builds the common case from one record; it must say what the 13
    methods say one by one."""
    kid = ph.spawn()
    try:
        if kind == 'zombie':
            os.kill(kid.pid, signal.SIGKILL)
            ph.wait_state(kid.pid, 'Z')
        else:
            ph.wait_state(kid.pid, 'S')
        p = GpuProcess(kid.pid, device)
        fast = dict(p.host_snapshot())
        monkeypatch.setattr(HostProcess, '_snapshot_values', lambda self: None)
        slow = dict(p.host_snapshot())
        for key in ('cpu_percent', 'running_time', 'running_time_human', 'running_time_in_seconds'):
            assert type(fast.pop(key)) is type(slow.pop(key))  # pylint: disable=unidiomatic-typecheck
        assert fast == slow
        assert list(p.host_snapshot()) == list(HOST_KEYS)
    finally:
        ph.reap(kid)


def test_threads_share_processes_safely(device, child):
    """Snapshots in some threads and plain queries in others, on the same objects."""
    p = GpuProcess(child.pid, device, gpu_memory=1 << 20)
    errors, names = [], []

    def snapshots():
        try:
            for _ in range(100):
                snap = GpuProcess.take_snapshots([p], failsafe=True)[0]
                names.append((snap.name, snap.command))
        except Exception as ex:  # pylint: disable=broad-except
            errors.append(ex)

    def queries():
        try:
            for _ in range(100):
                with p.host.oneshot():
                    names.append((p.name(), p.command()))
                names.append((p.host.name(), p.host.command()))
        except Exception as ex:  # pylint: disable=broad-except
            errors.append(ex)

    threads = [threading.Thread(target=f) for f in (snapshots, queries, snapshots, queries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(names) == {('python3', command_join(ph.cmdline(child.pid)))}
