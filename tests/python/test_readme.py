# SPDX-License-Identifier: Apache-2.0
"""Every Python block of the seed README's "More than a Monitor" runs unchanged on the simulator
and shows the scenario's values. Blocks are read at test time from the committed chapter (readme_blocks.py) and
run by readme_runner.py: IPython sessions cell by cell in one namespace (prompts removed, the last
expression of a cell displayed with repr() as IPython does), scripts whole. What the README elides
is filled by the runner and listed there; the README's own defects are listed in README_DEFECTS
below, each checked to still be in the seed."""

from __future__ import annotations

import copy
import json
import re

import pytest

from readme_blocks import blocks, cells, kind
from simrun import ROOT, load_scenario, run, write_scenario

RUNNER = str(ROOT / 'tests' / 'python' / 'readme_runner.py')

# The seed README's own bugs, which fail on nvitop 1.7 as well; the only text the tests change.
README_DEFECTS = {
    # a missing comma: a SyntaxError in the first cell of the low-level Device session
    'parse_cuda_visible_devices, normalize_cuda_visible_devices\n':
        'parse_cuda_visible_devices, normalize_cuda_visible_devices,\n',
}


def block_index() -> dict[str, int]:
    """Names for the blocks, checked against what they are (a changed seed fails here first)."""
    found = blocks()
    names = ['quick_start', 'quick_start_colored', 'status_snapshot', 'collector_session',
             'tensorboard', 'csv', 'collect_in_background', 'daemonize', 'device_session',
             'na_doctest', 'na_float', 'na_sort', 'process_session']
    assert len(found) == len(names)
    kinds = [kind(b) for b in found]
    assert kinds == ['script', 'script', 'ipython', 'ipython', 'script', 'script', 'script', 'script',
                     'ipython', 'doctest', 'script', 'script', 'ipython']
    return dict(zip(names, range(len(names))))


def session(tmp_path, names: list[str], scenario='h100-under-load.json', *, needs=(), wait=0.0,
            interval=0.0, patch=False, probes=(), timeout=300) -> tuple[list, dict, str]:
    index = block_index()
    found = blocks()
    all_cells = []
    for name in names:
        block = found[index[name]]
        if patch:
            for wrong, right in README_DEFECTS.items():
                block = block.replace(wrong, right)
        all_cells += cells(block)
    path = tmp_path / 'cells.json'
    path.write_text(json.dumps({'cells': all_cells, 'needs': list(needs), 'wait': wait,
                                'interval': interval, 'probes': list(probes)}))
    result = run('', scenario, args=[RUNNER, str(path)], cwd=str(tmp_path), timeout=timeout)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report['cells'], report['extra'], result.stdout


def assert_all_ok(report):
    failed = [(i, r) for i, r in enumerate(report) if r[0] != 'ok']
    assert failed == []


def test_the_readme_defects_are_still_in_the_seed():
    text = ''.join(blocks())
    for wrong in README_DEFECTS:
        assert wrong in text


def test_quick_start(tmp_path):
    report, _, out = session(tmp_path, ['quick_start'])
    assert_all_ok(report)
    device = load_scenario('h100-under-load.json')['devices'][0]
    assert "PhysicalDevice(index=0, name='NVIDIA H100 80GB HBM3', total_memory=79.65GiB)" in out
    assert '  - Fan speed:       N/A%' in out
    assert f'  - Temperature:     {device["temperature"]}C' in out
    assert '  - Total memory:    79.65GiB' in out
    assert '  - Free memory:     68.96GiB' in out
    assert '  - Used memory:     10466MiB' in out
    assert '  - Processes (2): [1045, 1046]' in out
    assert re.search(r'    - GpuProcess\(pid=1045, gpu_memory=3178MiB, type=C, device=PhysicalDevice', out)


def test_quick_start_colored(tmp_path):
    report, _, out = session(tmp_path, ['quick_start_colored'])
    assert_all_ok(report)
    assert 'NVIDIA H100 80GB HBM3' in out and 'Processes (2):' in out
    assert re.search(r'    1045 +N/A', out) or re.search(r'    1045 ', out)


def test_status_snapshot_session(tmp_path):
    report, _, _ = session(tmp_path, ['status_snapshot'], 'node-8gpu-100proc.json')
    assert_all_ok(report)
    shown = [r[1] for r in report]
    assert shown[1].startswith('SnapshotResult(devices=[PhysicalDeviceSnapshot(')
    assert shown[4].startswith('SnapshotResult(devices=[CudaDeviceSnapshot(\n    real=CudaDevice(cuda_index=0, nvml_index=1,')
    assert shown[5].count('CudaDeviceSnapshot(') == 1 and 'cuda_index=1, nvml_index=0' in shown[5]


def test_collector_session(tmp_path):
    probe = "with collector(tag='<tag>'):\n    _metrics = collector.collect()\nsorted(_metrics)\n"
    report, extra, _ = session(tmp_path, ['collector_session'], 'node-8gpu-100proc.json', probes=[probe])
    assert_all_ok(report)  # `devices=Device(0)` included: a single device is accepted
    metrics = extra['probes'][0]
    for cuda, gpu in ((0, 3), (1, 2), (2, 1), (3, 0)):
        assert f"'<tag>/cuda:{cuda} (gpu:{gpu})/memory_used (MiB)/mean'" in metrics
    assert "'<tag>/host/load_average (%) (15 min)/mean'" in metrics
    assert "'<tag>/duration (s)'" in metrics and "'<tag>/timestamp'" in metrics


def test_tensorboard_loop(tmp_path):
    pytest.importorskip('torch')
    report, extra, _ = session(tmp_path, ['tensorboard'], needs=['training'])
    assert_all_ok(report)
    assert extra['tags'] == ['resources/train', 'resources/validate', 'train/loss', 'validate/loss']


def test_csv_loop(tmp_path):
    pytest.importorskip('pandas')
    report, _, _ = session(tmp_path, ['csv'], needs=['fast_sleep'])
    assert_all_ok(report)
    lines = (tmp_path / 'results.csv').read_text().splitlines()
    assert len(lines) == 61
    header = lines[0].split(',')
    assert header[0] == 'time' and 'resources/gpu:0/memory_total (MiB)/mean' in header
    assert 'resources/pid:1045/gpu:0/gpu_memory (MiB)/mean' in header  # root_pids={1}: every process


def test_collect_in_background_blocks(tmp_path):
    report, extra, _ = session(tmp_path, ['collect_in_background', 'daemonize'], wait=0.5)
    assert_all_ok(report)
    assert extra['logged'] == 2  # each daemon's first collection is immediate; the next in 5 s


def readme_machine(tmp_path) -> str:
    """A machine with what the low-level session names: 10 GPUs, GPU 1 of UUID
    GPU-01234567-89ab-cdef-0123-456789abcdef, GPU 2 at bus 00000000:06:00.0, and GPU processes
    of the session's pids (52059 and 53002 on GPU 0, 23266 on GPU 1)."""
    base = load_scenario('rtx4090-idle.json')
    template = base['devices'][0]
    devices = []
    for i in range(10):
        device = copy.deepcopy(template)
        device['uuid'] = f'GPU-{i:08x}-0000-4000-8000-00000000000{i % 10}'
        device['bus_id'] = f'00000000:{i + 4:02X}:00.0'
        device['minor_number'] = i
        device['processes'] = []
        devices.append(device)
    devices[1]['uuid'] = 'GPU-01234567-89ab-cdef-0123-456789abcdef'
    devices[2]['bus_id'] = '00000000:06:00.0'
    process = {'type': 'C', 'used_memory': 1031 << 20, 'sm': 0, 'mem': 5, 'enc': 0, 'dec': 0}
    devices[0]['processes'] = [dict(process, pid=52059), dict(process, pid=53002)]
    devices[1]['processes'] = [dict(process, pid=23266)]
    base['devices'] = devices
    return write_scenario(tmp_path, base, 'readme-machine.json')


# Cells that need the README author's machine and fail there as on any other (cell index in the
# low-level session -> exception type): a placeholder UUID, and pid 23266, which is not a
# process of this host.
MACHINE_ONLY = {
    10: 'NVMLError_NotFound',  # In [11]: CudaDevice(uuid='GPU-xxxxxxxx-...')
    33: 'NoSuchProcess',       # In [22]: process.status()
    34: 'NoSuchProcess',       # In [23]: process.cmdline()
    35: 'NoSuchProcess',       # In [24]: process.command()
    36: 'NoSuchProcess',       # In [25]: process.cwd()
    38: 'NoSuchProcess',       # In [27]: process.as_snapshot()
}


def test_low_level_session(tmp_path):
    report, _, _ = session(tmp_path, ['device_session', 'na_doctest', 'na_float', 'na_sort',
                                      'process_session'], readme_machine(tmp_path),
                           needs=['device'], patch=True)
    failed = {i: r[0] for i, r in enumerate(report) if r[0] != 'ok'}
    assert failed == MACHINE_ONLY
    shown = [r[1] for r in report]
    assert shown[4] == '10' and shown[5] == '4'  # Device.count(), CudaDevice.count()
    assert shown[8].startswith("PhysicalDevice(index=0, name='NVIDIA GeForce RTX 4090'")  # In [9]
    assert shown[9].startswith("PhysicalDevice(index=1, ")  # In [10]: by the README's UUID
    assert 'CudaDevice(cuda_index=0, nvml_index=9,' in shown[7]
    assert shown[11] == '461373440'  # nvidia0.memory_used(), the scenario's
    assert sorted(re.findall(r'(\d+): GpuProcess', shown[14])) == ['52059', '53002']
    assert shown[37] == "'1031MiB'"  # In [26]: process.gpu_memory_human()
