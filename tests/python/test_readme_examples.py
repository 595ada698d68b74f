# SPDX-License-Identifier: Apache-2.0
"""The examples of python-api.md §5 (examples/python/) run on the simulator and show its values."""

from __future__ import annotations

import pytest

from simrun import ROOT, run

EXAMPLES = ROOT / 'examples' / 'python'


def example(name: str, *args: str, scenario='h100-under-load.json', **kwargs):
    return run('', scenario, args=[str(EXAMPLES / name), *args], **kwargs)


def test_monitor_minimal():
    out = example('monitor-minimal/monitor_minimal.py').stdout
    assert "PhysicalDevice(index=0, name='NVIDIA H100 80GB HBM3', total_memory=79.65GiB)" in out
    assert '  - Temperature:     54C' in out and '  - Processes (2): [1045, 1046]' in out
    assert out.rstrip().endswith('-' * 120)


def test_monitor_colored():
    out = example('monitor-colored/monitor_colored.py', scenario='cuda-order.json',
                  CUDA_VISIBLE_DEVICES='1,0').stdout
    assert out.count('CudaDevice(cuda_index=') == 2
    assert 'CudaDevice(cuda_index=0, nvml_index=1,' in out
    assert out.count('-' * 120) == 1  # no rule after the first device


def test_take_snapshots_demo():
    out = example('take-snapshots/take_snapshots_demo.py', scenario='a100-mig-node.json').stdout
    assert out.startswith('SnapshotResult(devices=[PhysicalDeviceSnapshot(')
    assert '8 devices (no processes)' in out
    assert 'MigDeviceSnapshot(' in out


def test_collector_background():
    out = example('collector-background/collector_background.py', '1.0', '0.3').stdout
    lines = out.splitlines()
    collected = [line for line in lines if line.startswith('Collected ')]
    assert len(collected) >= 3
    assert lines[-1] == f'{len(collected)} records'


def test_collector_csv(tmp_path):
    pytest.importorskip('pandas')
    out = example('collector-csv/collector_csv.py', '3', '0.2', str(tmp_path / 'r.csv')).stdout
    assert out.startswith('3 rows of ')
    header = (tmp_path / 'r.csv').read_text().splitlines()[0].split(',')
    assert header[0] == 'time' and 'resources/pid:1046/gpu:0/gpu_memory (MiB)/last' in header


def test_collector_tensorboard(tmp_path):
    pytest.importorskip('torch')
    code = f'''
        import runpy, sys, types
        writer = types.ModuleType('torch.utils.tensorboard')  # TensorBoard is not in Debian
        class SummaryWriter:
            tags = set()
            def add_scalar(self, tag, value, global_step=None, walltime=None): SummaryWriter.tags.add(tag)
            def close(self): pass
        writer.SummaryWriter = SummaryWriter
        sys.modules['torch.utils.tensorboard'] = writer
        runpy.run_path({str(EXAMPLES / 'collector-tensorboard' / 'collector_tensorboard.py')!r}, run_name='__main__')
        print(sorted({{t.rsplit('/', 2)[0] for t in SummaryWriter.tags}})[:3])
        print('resources/train/batch/cuda:0 (gpu:0)/power_usage (W)/mean' in SummaryWriter.tags)
    '''
    out = run(code, cwd=str(tmp_path)).stdout.splitlines()
    assert out[-1] == 'True'


def test_select_devices_api():
    out = example('select-devices-api/select_devices_api.py', scenario='mixed-3gpu-mig.json').stdout
    assert out.splitlines()[:3] == [
        'Selected indices: [1, 0]',
        "Selected UUIDs: ['GPU-5c8f7b3e-9a21-4d6e-b0c4-7e2f1a9d8c41', 'GPU-3f0c1a52-7d1e-4b8a-9c66-0e5d2b7a9140']",
        'CUDA_VISIBLE_DEVICES=GPU-5c8f7b3e-9a21-4d6e-b0c4-7e2f1a9d8c41,GPU-3f0c1a52-7d1e-4b8a-9c66-0e5d2b7a9140',
    ]
