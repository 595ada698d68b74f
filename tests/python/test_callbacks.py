# SPDX-License-Identifier: Apache-2.0
"""nvitop.callbacks: the Keras and Lightning GpuStatsLogger driven by minimal stand-ins of each
framework's callback protocol (tests/python/standins: neither framework is packaged by Debian),
the TensorBoard helper, and a tiny PyTorch model trained with the collector logging each step."""

from __future__ import annotations

import math
import os

import pytest

from simrun import ROOT, load_scenario, run, run_json

STANDINS = str(ROOT / 'tests' / 'python' / 'standins')
PYTHONPATH = os.pathsep.join([STANDINS, str(ROOT / 'python')])
STAT_KEYS = ['gpu_id: 0/utilization.memory (%)', 'gpu_id: 0/utilization.gpu (%)',
             'gpu_id: 0/memory.used (MiB)', 'gpu_id: 0/memory.free (MiB)']


def test_import_without_frameworks():
    code = '''
        import json, sys
        import nvitop.callbacks.keras as keras_cb, nvitop.callbacks.lightning as lightning_cb
        import nvitop.callbacks.tensorboard as tb
        print(json.dumps(['keras' in sys.modules, 'lightning' in sys.modules,
                          keras_cb.GpuStatsLogger.__mro__[1].__module__,
                          tb.add_scalar_dict.__name__]))
    '''
    keras_loaded, lightning_loaded, base, _ = run_json(code)
    assert not keras_loaded and not lightning_loaded
    assert base == 'nvitop.callbacks.keras'  # the plain fallback base


def test_keras_logger_through_fit():
    code = '''
        import json
        from keras.callbacks import CSVLogger, fit
        from nvitop.callbacks.keras import GpuStatsLogger
        stats = GpuStatsLogger(['/gpu:0', '/device:GPU:0'], intra_step_time=True, inter_step_time=True,
                               fan_speed=True, temperature=True)
        logger = CSVLogger()
        losses = iter(range(100, 0, -1))
        fit(lambda: float(next(losses)), [stats, logger], epochs=2, steps_per_epoch=3)
        print(json.dumps(logger.rows))
    '''
    rows = run_json(code, PYTHONPATH=PYTHONPATH)
    device = load_scenario('h100-under-load.json')['devices'][0]
    assert len(rows) == 6
    for i, row in enumerate(rows):
        assert set(STAT_KEYS) <= set(row)
        assert row['gpu_id: 0/memory.used (MiB)'] == device['memory']['used'] / 2**20
        assert row['gpu_id: 0/temperature.gpu (C)'] == device['temperature']
        assert math.isnan(row['gpu_id: 0/fan.speed (%)'])
        assert row['batch_time/intra_step (ms)'] >= 0  # on_train_batch_begin was called
        assert 'loss' in row
        # inter-step time from the second step of each epoch (the timers restart per epoch)
        assert ('batch_time/inter_step (ms)' in row) == (i % 3 != 0)


def test_keras_logger_arguments():
    code = '''
        import json
        from nvitop.callbacks.keras import GpuStatsLogger
        out = [GpuStatsLogger._gpu_ids(x) for x in (2, [1, '/GPU:0', '/device:gpu:1'], ())]
        for bad in (['/cpu:0'], [3]):
            try:
                GpuStatsLogger(bad)
            except ValueError as ex:
                out.append(str(ex))
        print(json.dumps(out))
    '''
    out = run_json(code, PYTHONPATH=PYTHONPATH)
    assert out == [[0, 1], [0, 1], [], 'Invalid GPU device name: /cpu:0',
                   'Cannot use GpuStatsLogger callback because devices unavailable. Received: `gpus=[3]`']


def test_loggers_without_driver():
    code = '''
        from nvitop.callbacks.keras import GpuStatsLogger as K
        from nvitop.callbacks.lightning import GpuStatsLogger as L
        for cls, args in ((K, (1,)), (L, ())):
            try:
                cls(*args)
            except Exception as ex:
                print(type(ex).__name__, ex)
    '''
    lines = run(code, 'driver-not-loaded.json', PYTHONPATH=PYTHONPATH).stdout.splitlines()
    assert lines == [
        'ValueError Cannot use the GpuStatsLogger callback because the NVIDIA driver is not installed.',
        'MisconfigurationException Cannot use GpuStatsLogger callback because NVIDIA driver is not installed.',
    ]


LIGHTNING_TRAINING = '''
    import json
    import torch
    from torch import nn
    from lightning.pytorch.trainer import Trainer
    from nvitop.callbacks.lightning import GpuStatsLogger

    class Module(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.Linear(4, 1)
            self.optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
        def training_step(self, batch, batch_idx):
            x, y = batch
            loss = nn.functional.mse_loss(self.layer(x), y)
            self.optimizer.zero_grad(); loss.backward(); self.optimizer.step()
            return {'loss': loss.detach()}

    torch.manual_seed(0)
    batches = [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(3)]
    trainer = Trainer([GpuStatsLogger(intra_step_time=True, inter_step_time=True)])
    trainer.fit(Module(), batches, epochs=2)
    print(json.dumps(trainer.logger.records))
'''


def test_lightning_logger_through_trainer():
    records = run_json(LIGHTNING_TRAINING, PYTHONPATH=PYTHONPATH)
    assert len(records) == 12  # a start and an end record per step
    assert [step for step, _ in records] == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6]
    for i, (_, metrics) in enumerate(records):
        assert set(STAT_KEYS) <= set(metrics)
        assert ('batch_time/intra_step (ms)' in metrics) == (i % 2 == 1)
    assert 'batch_time/inter_step (ms)' in records[2][1]


def test_lightning_logger_checks_the_trainer():
    code = '''
        from lightning.pytorch.trainer import Trainer
        from nvitop.callbacks.lightning import GpuStatsLogger
        for kwargs in ({'logger': False}, {'device_type': 'cpu'}, {'device_ids': [5]}):
            try:
                Trainer([GpuStatsLogger()], **kwargs).fit(None, [], epochs=1)
            except Exception as ex:
                print(type(ex).__name__, ex)
    '''
    lines = run(code, PYTHONPATH=PYTHONPATH).stdout.splitlines()
    assert lines == [
        'MisconfigurationException Cannot use GpuStatsLogger callback with Trainer that has no logger.',
        'MisconfigurationException You are using GpuStatsLogger but are not running on GPU. The root device type is cpu.',
        'ValueError Cannot use GpuStatsLogger callback because devices unavailable. Received: `gpus=[5]`',
    ]


def test_torch_training_logged_by_the_collector():
    """A tiny model trained with PyTorch; each step inside `with collector('batch')`, its
    collection written through add_scalar_dict, as the README's TensorBoard loop."""
    pytest.importorskip('torch')
    code = '''
        import json, os
        import torch
        from torch import nn
        from nvitop import CudaDevice, ResourceMetricCollector
        from nvitop.callbacks.tensorboard import add_scalar_dict

        class Writer:  # records add_scalar calls as TensorBoard's SummaryWriter takes them
            def __init__(self): self.scalars = []
            def add_scalar(self, tag, scalar, global_step=None, walltime=None):
                self.scalars.append([tag, float(scalar), global_step])

        torch.manual_seed(0)
        net = nn.Linear(16, 4)
        optimizer = torch.optim.SGD(net.parameters(), lr=0.05)
        x, y = torch.randn(64, 16), torch.randn(64, 4)
        writer = Writer()
        collector = ResourceMetricCollector(devices=CudaDevice.all(), root_pids={os.getpid()}, interval=0.05)
        losses, step = [], 0
        for epoch in range(2):
            with collector(tag='train'):
                for _ in range(5):
                    with collector(tag='batch'):
                        loss = nn.functional.mse_loss(net(x), y)
                        optimizer.zero_grad(); loss.backward(); optimizer.step()
                        step += 1
                        losses.append(loss.item())
                        add_scalar_dict(writer, 'train', {'loss': loss.item()}, global_step=step)
                        add_scalar_dict(writer, 'resources', collector.collect(), global_step=step)
                add_scalar_dict(writer, 'resources', collector.collect(), global_step=epoch)
        print(json.dumps([losses, writer.scalars]))
    '''
    losses, scalars = run_json(code, timeout=300)
    assert losses[-1] < losses[0]
    batch_steps = {s for tag, _, s in scalars if tag == 'resources/train/batch/cuda:0 (gpu:0)/memory_total (MiB)/mean'}
    assert batch_steps == set(range(1, 11))
    epoch_steps = {s for tag, _, s in scalars if tag == 'resources/train/duration (s)'}
    assert epoch_steps == {0, 1}
    total = [v for tag, v, _ in scalars if tag.endswith('cuda:0 (gpu:0)/memory_total (MiB)/last')]
    assert total and all(v == 85520809984 / 2**20 for v in total)
    assert all(tag.startswith(('train/loss', 'resources/train/')) for tag, _, _ in scalars)
