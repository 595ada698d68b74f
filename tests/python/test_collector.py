# SPDX-License-Identifier: Apache-2.0
"""ResourceMetricCollector, collect_in_background and take_snapshots on the simulator: the keys
exactly as python-api.md §4.4 lists them, the values of the scenario, tags and their errors, the
background sampler and daemon, and the quirks decided in docs/python.md."""

from __future__ import annotations

import math
import os

import pytest

from simrun import load_scenario, run, run_json, write_scenario

MIB = 1 << 20
STATS = ('mean', 'min', 'max', 'last')
HOST_METRICS = (
    'cpu_percent (%)', 'memory_percent (%)', 'swap_percent (%)', 'memory_used (GiB)',
    'load_average (%) (1 min)', 'load_average (%) (5 min)', 'load_average (%) (15 min)',
)
DEVICE_METRICS = (
    'memory_used (MiB)', 'memory_free (MiB)', 'memory_total (MiB)', 'memory_percent (%)',
    'gpu_utilization (%)', 'memory_utilization (%)', 'fan_speed (%)', 'temperature (C)',
    'power_usage (W)',
)
PROCESS_HOST_METRICS = ('cpu_percent (%)', 'host_memory (MiB)', 'host_memory_percent (%)')
PROCESS_DEVICE_METRICS = (
    'gpu_memory (MiB)', 'gpu_memory_percent (%)', 'gpu_memory_utilization (%)',
    'gpu_sm_utilization (%)',
)


def expected_keys(prefix: str, device_scopes: list[str], processes: list[tuple[int, str]]) -> list[str]:
    """The keys of python-api.md §4.4, in nvitop's order."""
    keys = [f'{prefix}/host/{m}/{s}' for m in HOST_METRICS for s in STATS]
    keys += [f'{prefix}/{d}/{m}/{s}' for d in device_scopes for m in DEVICE_METRICS for s in STATS]
    for pid, scope in processes:
        keys += [f'{prefix}/pid:{pid}/host/{m}/{s}' for m in PROCESS_HOST_METRICS for s in STATS]
        keys.append(f'{prefix}/pid:{pid}/host/running_time (min)/last')
        keys += [f'{prefix}/pid:{pid}/{scope}/{m}/{s}' for m in PROCESS_DEVICE_METRICS for s in STATS]
    keys += [f'{prefix}/pid:{pid}/host/running_time (min)' for pid, _ in processes]
    keys += [f'{prefix}/duration (s)', f'{prefix}/timestamp', f'{prefix}/last_timestamp']
    return keys


COLLECT_NESTED = '''
    import json, time
    from nvitop import ResourceMetricCollector
    collector = ResourceMetricCollector(root_pids={1}, interval=0.2)
    with collector(tag='train'):
        with collector(tag='batch'):
            time.sleep(0.3)
            metrics = collector.collect()
    print(json.dumps(list(metrics.items())))
'''


def test_keys_exactly_as_nvitop_and_values_of_the_scenario():
    items = run_json(COLLECT_NESTED)
    keys = [key for key, _ in items]
    pids = [1045, 1046]  # every GPU process ({1}), in pid order
    assert keys == expected_keys('train/batch', ['gpu:0'], [(pid, 'gpu:0') for pid in pids])
    assert len(keys) == 28 + 36 + 2 * 30 + 3  # python-api.md §4.4's counts

    metrics = dict(items)
    device = load_scenario('h100-under-load.json')['devices'][0]
    memory = device['memory']
    for stat in STATS:
        assert metrics[f'train/batch/gpu:0/memory_total (MiB)/{stat}'] == pytest.approx(memory['total'] / MIB)
        assert metrics[f'train/batch/gpu:0/memory_used (MiB)/{stat}'] == pytest.approx(memory['used'] / MIB)
        assert metrics[f'train/batch/gpu:0/memory_free (MiB)/{stat}'] == pytest.approx(
            (memory['total'] - memory['reserved'] - memory['used']) / MIB)
        assert metrics[f'train/batch/gpu:0/temperature (C)/{stat}'] == pytest.approx(device['temperature'])
        assert metrics[f'train/batch/gpu:0/power_usage (W)/{stat}'] == pytest.approx(device['power_usage'] / 1000)
        assert math.isnan(metrics[f'train/batch/gpu:0/fan_speed (%)/{stat}'])  # fan: null
        assert metrics[f'train/batch/gpu:0/gpu_utilization (%)/{stat}'] in device['utilization']['gpu']['seq'] or stat == 'mean'
    for process in device['processes']:
        prefix = f'train/batch/pid:{process["pid"]}/gpu:0'
        assert metrics[f'{prefix}/gpu_memory (MiB)/last'] == process['used_memory'] // MIB
        assert metrics[f'{prefix}/gpu_sm_utilization (%)/mean'] == pytest.approx(process['sm'])
        assert metrics[f'{prefix}/gpu_memory_utilization (%)/max'] == process['mem']
    assert 0.3 <= metrics['train/batch/duration (s)'] < 5
    assert metrics['train/batch/last_timestamp'] <= metrics['train/batch/timestamp']


def own_process_scenario(tmp_path, pid: int) -> str:
    data = load_scenario('h100-under-load.json')
    data['devices'][0]['processes'] = [
        {'pid': pid, 'type': 'C', 'used_memory': 512 * MIB, 'sm': 42, 'mem': 7, 'enc': 0, 'dec': 0},
    ]
    return write_scenario(tmp_path, data)


def test_default_root_pids_give_process_metrics(tmp_path):
    """Quirk 2 fixed: the roots are held, so the default root (this process) gives pid: keys."""
    code = '''
        import json, os, sys
        from nvitop import ResourceMetricCollector
        scenario = json.load(open(os.environ['NVML_SIM_SCENARIO']))
        scenario['devices'][0]['processes'][0]['pid'] = os.getpid()
        path = os.environ['NVML_SIM_SCENARIO'] + '.own'
        json.dump(scenario, open(path, 'w'))
        os.environ['NVML_SIM_SCENARIO'] = path
        collector = ResourceMetricCollector()
        with collector('a'):
            metrics = collector.collect()
        print(json.dumps([os.getpid(), metrics]))
    '''
    pid, metrics = run_json(code, own_process_scenario(tmp_path, 1))
    assert metrics[f'a/pid:{pid}/gpu:0/gpu_memory (MiB)/mean'] == pytest.approx(512.0)
    assert metrics[f'a/pid:{pid}/gpu:0/gpu_sm_utilization (%)/last'] == 42.0
    assert metrics[f'a/pid:{pid}/host/host_memory (MiB)/last'] > 1
    assert metrics[f'a/pid:{pid}/host/running_time (min)'] >= 0
    assert f'a/pid:{pid}/host/running_time (min)/mean' not in metrics
    assert len([k for k in metrics if k.startswith(f'a/pid:{pid}/')]) == 30


def test_root_pids_select_processes():
    code = '''
        import json
        from nvitop import ResourceMetricCollector
        out = {}
        for name, roots in (('default', None), ('all', {1}), ('none', set()), ('one', {1046})):
            collector = ResourceMetricCollector(root_pids=roots)
            with collector('t'):
                out[name] = sorted({k.split('/')[1] for k in collector.collect() if '/pid:' in k})
        print(json.dumps(out))
    '''
    scopes = run_json(code)
    assert scopes == {'default': [], 'all': ['pid:1045', 'pid:1046'], 'none': [], 'one': ['pid:1046']}


def test_tags_errors_and_nesting():
    code = '''
        import json
        from nvitop import ResourceMetricCollector
        c = ResourceMetricCollector(root_pids=set())
        out = []
        def attempt(f, *args):
            try:
                r = f(*args)
                out.append(['ok', r is c])
            except Exception as ex:
                out.append([type(ex).__name__, str(ex)])
        attempt(c.collect)
        attempt(c.deactivate)            # nothing active, no tag: a no-op
        attempt(c.deactivate, 'x')
        attempt(c.clear)
        attempt(c.clear, 'x')
        attempt(c.activate, 'train')
        attempt(c.start, 'batch')
        out.append(sorted({k.split('/host/')[0] for k in c.collect() if '/host/' in k}))
        attempt(c.activate, 'train')
        attempt(c.deactivate, 'nope')
        attempt(c.stop, 'train')         # pops batch too
        attempt(c.collect)
        with c(tag='epoch') as same:
            out.append(same is c)
            with c.context('step'):
                out.append(sorted({k.split('/host/')[0] for k in c.collect() if '/host/' in k}))
        attempt(c.collect)
        print(json.dumps(out))
    '''
    out = run_json(code)
    not_started = ['RuntimeError', 'Resource metric collector has not been started yet.']
    assert out == [
        not_started,
        ['ok', True],
        not_started,
        ['ok', False],
        not_started,
        ['ok', True],
        ['ok', True],
        ['train/batch'],
        ['RuntimeError', 'Resource metric collector is already started with tag "train"'],
        ['RuntimeError', 'Resource metric collector has not been started with tag "nope".'],
        ['ok', True],
        not_started,
        True,
        ['epoch/step'],
        not_started,
    ]


def test_clear_restarts_duration_and_statistics():
    code = '''
        import json, time
        from nvitop import ResourceMetricCollector
        c = ResourceMetricCollector(root_pids=set(), interval=0.1)
        c.activate('outer'); c.activate('inner')
        time.sleep(0.4)
        before = c.collect()['outer/inner/duration (s)']
        c.reset('outer')
        after = c.collect()['outer/inner/duration (s)']
        c.deactivate()
        outer = c.collect()['outer/duration (s)']
        print(json.dumps([before, after, outer]))
    '''
    before, after, outer = run_json(code)
    assert before >= 0.4
    assert after < before - 0.2 and outer < before  # both started again at the clear


def test_background_sampler_resumes_after_a_full_stop():
    """Quirk 3 fixed: after every tag closed for longer than one interval, a new tag still gets
    background samples (the utilisation changes every second: min < max only with several)."""
    code = '''
        import json, time
        from nvitop import ResourceMetricCollector
        c = ResourceMetricCollector(root_pids=set(), interval=0.1)
        with c('a'):
            time.sleep(0.2)
        time.sleep(0.5)
        with c('b'):
            time.sleep(2.5)
            m = c.collect()
        print(json.dumps([m['b/gpu:0/gpu_utilization (%)/min'], m['b/gpu:0/gpu_utilization (%)/max']]))
    '''
    low, high = run_json(code)
    assert low < high


def test_invalid_interval():
    """Quirk 4 fixed: ValueError with nvitop's message and nothing printed from a destructor."""
    code = '''
        from nvitop import ResourceMetricCollector, collect_in_background
        for bad in (0, -2, 'x', None):
            try:
                ResourceMetricCollector(interval=bad)
            except ValueError as ex:
                print(ex)
        c = ResourceMetricCollector(root_pids=set())
        for bad in (0, -2, 'x'):
            try:
                collect_in_background(lambda m: False, c, interval=bad)
            except ValueError as ex:
                print(ex)
        import gc; gc.collect()
    '''
    result = run(code)
    assert result.stdout.splitlines() == [
        'Invalid argument interval=0', 'Invalid argument interval=-2', "Invalid argument interval='x'",
        'Invalid argument interval=None',
        'Invalid argument interval=0', 'Invalid argument interval=-2', "Invalid argument interval='x'",
    ]
    assert result.stderr == ''


def test_attributes_and_devices_forms():
    code = '''
        import json, os
        from nvitop import Device, ResourceMetricCollector
        c = ResourceMetricCollector(devices=Device(1), root_pids={1})  # the README's form
        out = {
            'interval': c.interval, 'root_pids': sorted(c.root_pids),
            'devices': [str(d.index) for d in c.devices],
            'all': [str(d.index) for d in c.all_devices],
            'leaf': [str(d.index) for d in c.leaf_devices],
            'default_roots': sorted(ResourceMetricCollector().root_pids) == [os.getpid()],
            'tables': [len(c.DEVICE_METRICS), len(c.PROCESS_METRICS)],
        }
        with c('t'):
            out['scopes'] = sorted({k.split('/')[1] for k in c.collect() if k.count('/') > 2})
        print(json.dumps(out))
    '''
    out = run_json(code, 'a100-mig-node.json')
    assert out['interval'] == 1.0 and out['root_pids'] == [1]
    assert out['devices'] == ['1']
    assert out['all'] == ['1', '(1, 0)', '(1, 1)']
    assert out['leaf'] == ['(1, 0)', '(1, 1)']
    assert out['default_roots'] is True
    assert out['tables'] == [9, 8]
    device_scopes = {s for s in out['scopes'] if s.startswith('gpu:')}
    assert device_scopes == {'gpu:1', 'gpu:(1, 0)', 'gpu:(1, 1)'}


def test_cuda_order_scopes():
    code = '''
        import json
        from nvitop import CudaDevice, ResourceMetricCollector
        c = ResourceMetricCollector(CudaDevice.all(), root_pids=set())
        with c('t'):
            keys = c.collect()
        print(json.dumps(sorted({k.split('/')[1] for k in keys if k.count('/') > 2} - {'host'})))
    '''
    scopes = run_json(code, 'cuda-order.json', CUDA_VISIBLE_DEVICES='3,0')
    assert scopes == ['cuda:0 (gpu:3)', 'cuda:1 (gpu:0)']


def test_collect_in_background_and_daemonize():
    code = '''
        import json, threading, time
        from nvitop import ResourceMetricCollector, collect_in_background
        events = []
        def on_start(c): events.append(['start', c is collector])
        def on_stop(c): events.append(['stop', c is collector])
        def on_collect(metrics):
            events.append(['collect', sorted({k.split('/')[0] for k in metrics}),
                           threading.current_thread().name == 'metrics-daemon' or 'c-thread'])
            return sum(e[0] == 'collect' for e in events) < 3
        collector = ResourceMetricCollector(root_pids=set(), interval=1.0)
        t0 = time.monotonic()
        thread = collect_in_background(on_collect, collector, 0.2, on_start=on_start, on_stop=on_stop)
        out = {'name': thread.name, 'daemon': thread.daemon, 'collector': thread.collector is collector}
        thread.join(10)
        out['elapsed'] = time.monotonic() - t0
        out['alive'] = thread.is_alive()
        out['events'] = [e[:2] for e in events]
        # the method form, not started, with its own tag
        second = collector.daemonize(lambda m: False, tag='bg', start=False)
        out['second'] = [second.name, second.is_alive()]
        second.start(); second.join(10)
        out['second_alive'] = second.is_alive()
        print(json.dumps(out))
    '''
    out = run_json(code)
    assert out['name'] == 'metrics-daemon' and out['daemon'] and out['collector']
    assert not out['alive']
    assert out['events'] == [['start', True]] + [['collect', ['metrics-daemon']]] * 3 + [['stop', True]]
    assert 0.35 <= out['elapsed'] < 3  # three collections 0.2 s apart (its own interval, not 1 s)
    assert out['second'] == ['bg', False] and not out['second_alive']


def test_daemon_tag_taken_and_callback_errors():
    code = '''
        import json, threading, time
        from nvitop import ResourceMetricCollector, collect_in_background
        errors = []
        threading.excepthook = lambda args: errors.append([type(args.exc_value).__name__, str(args.exc_value)])
        c = ResourceMetricCollector(root_pids=set())
        stops = []
        c.activate('busy')
        t = collect_in_background(lambda m: True, c, on_stop=lambda c: stops.append(1), tag='busy')
        t.join(10)
        def boom(metrics):
            raise KeyError('boom')
        t = collect_in_background(boom, c, on_stop=lambda c: stops.append(2), tag='other')
        t.join(10)
        print(json.dumps([errors, stops]))
    '''
    errors, stops = run_json(code)
    assert errors == [
        ['RuntimeError', 'Resource metric collector is already started with tag "busy"'],
        ['KeyError', "'boom'"],
    ]
    assert stops == [1, 2]


def test_script_exits_with_a_daemon_running():
    """The daemon calls back into Python from a C thread: an exit while it runs must be clean."""
    code = '''
        from nvitop import ResourceMetricCollector
        def on_stop(collector):
            print('stopped', flush=True)
        ResourceMetricCollector(root_pids=set()).daemonize(lambda m: True, interval=0.05, on_stop=on_stop)
        import time; time.sleep(0.3)
        print('bye', flush=True)
    '''
    result = run(code)
    assert result.stdout == 'bye\nstopped\n' and result.stderr == ''


def test_collector_in_one_thread_queries_in_others():
    code = '''
        import json, threading, time
        from nvitop import Device, ResourceMetricCollector, take_snapshots
        collector = ResourceMetricCollector(root_pids={1}, interval=0.02)
        stop = threading.Event()
        failures, counts = [], {'collect': 0, 'query': 0, 'snap': 0}
        def collecting():
            with collector('bg'):
                while not stop.is_set():
                    m = collector.collect()
                    counts['collect'] += 1
                    if m['bg/gpu:0/memory_total (MiB)/last'] != 81559.0:
                        failures.append('collect')
        def querying():
            while not stop.is_set():
                for device in Device.all():
                    if device.memory_total() != 85520809984 or len(device.processes()) != 2:
                        failures.append('query')
                counts['query'] += 1
        def snapshotting():
            while not stop.is_set():
                devices, processes = take_snapshots()
                if len(devices) != 1 or len(processes) != 2:
                    failures.append('snap')
                counts['snap'] += 1
        threads = [threading.Thread(target=f) for f in (collecting, querying, querying, snapshotting)]
        for t in threads: t.start()
        time.sleep(1.5)
        stop.set()
        for t in threads: t.join(20)
        print(json.dumps([failures[:5], counts, any(t.is_alive() for t in threads)]))
    '''
    failures, counts, alive = run_json(code)
    assert failures == [] and not alive
    assert counts['collect'] > 3 and counts['query'] > 3 and counts['snap'] > 3


def test_take_snapshots_forms():
    code = '''
        import json
        from nvitop import Device, GpuProcess, take_snapshots
        from nvitop.api.collector import SnapshotResult
        out = {}
        result = take_snapshots()
        out['type'] = type(result) is SnapshotResult and result._fields == ('devices', 'gpu_processes')
        out['default'] = [len(result.devices), len(result.gpu_processes)]
        devices, processes = take_snapshots(Device.all())
        out['all'] = [len(devices), len(processes)]
        out['no_processes'] = [len(x) for x in take_snapshots(gpu_processes=False)]
        out['one'] = [len(x) for x in take_snapshots(Device(2))]
        proc = next(iter(Device(2).processes().values()))
        d, p = take_snapshots(gpu_processes=proc)
        out['by_process'] = [[str(s.index) for s in d], [s.pid for s in p], p[0].real is proc]
        out['mig_index'] = [str(s.index) for s in take_snapshots(Device((0, 1)), gpu_processes=False).devices]
        print(json.dumps(out))
    '''
    out = run_json(code, 'a100-mig-node.json')
    scenario = load_scenario('a100-mig-node.json')
    migs = sum(len(d.get('mig_devices') or []) for d in scenario['devices'])
    assert out['type'] is True
    assert out['default'][0] == 8 + migs  # physical devices and their MIG devices
    assert out['all'][0] == 8  # exactly those devices
    assert out['no_processes'] == [8, 0]  # quirk 8 kept: Device.all(), no MIG devices
    assert out['one'][0] == 1 and out['one'][1] == len(scenario['devices'][2]['processes'])
    assert out['by_process'][0] == ['2'] and len(out['by_process'][1]) == 1 and out['by_process'][2]
    assert out['mig_index'] == ['(0, 1)']
    assert out['default'][1] >= out['all'][1]


def test_collector_take_snapshots_method(tmp_path):
    code = '''
        import json
        from nvitop import ResourceMetricCollector
        everything = ResourceMetricCollector(root_pids={1})
        nothing = ResourceMetricCollector(root_pids=set())
        with everything('t'):
            devices, processes = everything.take_snapshots()
            samples = everything.collect()
        print(json.dumps([len(devices), sorted(p.pid for p in processes),
                          [len(x) for x in nothing.take_snapshots()],
                          sorted({k.split('/')[1] for k in samples if '/pid:' in k})]))
    '''
    devices, pids, nothing, scopes = run_json(code)
    assert devices == 1 and pids == [1045, 1046]
    assert nothing == [1, 0]
    assert scopes == ['pid:1045', 'pid:1046']


def test_no_driver_raises_as_nvitop():
    code = '''
        from nvitop import ResourceMetricCollector, libnvml
        try:
            ResourceMetricCollector()
        except libnvml.NVMLError as ex:
            print(type(ex).__name__)
    '''
    assert run(code, 'driver-not-loaded.json').stdout.strip() == 'NVMLError_DriverNotLoaded'
