# SPDX-License-Identifier: Apache-2.0
"""take_snapshots() and a collector sample ask the PCIe throughput of every device at once
(libnvitop's nvitop_devices_query_begin/_end): the same snapshots as one as_snapshot() per
device, the same NVML calls (test_call_counts.py), and the driver's ~20 ms per device and
direction paid about once, not 16 times."""

from __future__ import annotations

from simrun import load_scenario, run_json, write_scenario

PCIE_MS = 100  # per call: 8 GPUs x 2 directions one after the other would take 1.6 s


def _scenario(tmp_path, latency: bool) -> str:
    data = load_scenario('node-8gpu-100proc.json')
    data['latency_us'] = {'nvmlDeviceGetPcieThroughput': PCIE_MS * 1000} if latency else {}
    return write_scenario(tmp_path, data)


def test_same_snapshots_as_one_device_at_a_time(tmp_path):
    result = run_json('''
        import json
        from nvitop import Device, ResourceMetricCollector, take_snapshots

        def plain(snapshot):
            return {key: repr(value) for key, value in vars(snapshot).items() if key not in ('real', 'timestamp')}

        batch = take_snapshots()
        single = [device.as_snapshot() for device in Device.all()]
        collector = ResourceMetricCollector(interval=3600.0)
        collector.activate('t')
        sampled = collector.take_snapshots()
        given = take_snapshots(Device.all()[2:4], gpu_processes=False)
        print(json.dumps({
            'batch': [plain(s) for s in batch.devices], 'single': [plain(s) for s in single],
            'sampled': [plain(s) for s in sampled.devices],
            'given': [s.index for s in given.devices], 'given_procs': len(given.gpu_processes),
            'reals': [s.real.index for s in batch.devices],
            'classes': [type(s.real).__name__ for s in batch.devices],
        }))
    ''', _scenario(tmp_path, latency=False))
    assert len(result['batch']) == 8
    assert result['batch'] == result['single'] == result['sampled']
    assert 'pcie_tx_throughput' in result['batch'][0]
    assert result['batch'][0]['pcie_tx_throughput'] not in ('N/A', "'N/A'")
    assert result['given'] == [2, 3] and result['given_procs'] == 0
    assert result['reals'] == list(range(8)) and set(result['classes']) == {'PhysicalDevice'}


def test_pcie_questions_of_every_device_at_once(tmp_path):
    result = run_json(f'''
        import json, time
        from nvitop import Device, ResourceMetricCollector, take_snapshots

        take_snapshots()  # static facts read once, as in the benchmark
        t0 = time.perf_counter()
        snapshots = take_snapshots()
        took = time.perf_counter() - t0
        collector = ResourceMetricCollector(interval=3600.0)
        collector.activate('t')
        t0 = time.perf_counter()
        collector.take_snapshots()
        sampled = time.perf_counter() - t0
        t0 = time.perf_counter()
        Device(0).pcie_tx_throughput()
        one = time.perf_counter() - t0
        print(json.dumps({{'took': took, 'sampled': sampled, 'one': one,
                          'tx': snapshots.devices[0].pcie_tx_throughput}}))
    ''', _scenario(tmp_path, latency=True))
    serial = 16 * PCIE_MS / 1000
    assert result['one'] >= PCIE_MS / 1000  # the latency is there
    assert isinstance(result['tx'], int)
    # One after the other: 1.6 s; at once: 0.1 s plus the Python work (slower on a loaded machine).
    assert result['took'] < serial / 2, result
    assert result['sampled'] < serial / 2, result


def test_an_error_midway_waits_for_the_questions(tmp_path):
    result = run_json('''
        import json
        from nvitop import take_snapshots
        from nvitop.api import process

        original = process.GpuProcess.take_snapshots

        def broken(*args, **kwargs):
            raise KeyError('midway')

        process.GpuProcess.take_snapshots = broken
        try:
            take_snapshots()
        except KeyError as ex:
            error = str(ex)
        process.GpuProcess.take_snapshots = original
        again = take_snapshots()
        print(json.dumps({'error': error, 'devices': len(again.devices),
                          'processes': len(again.gpu_processes)}))
    ''', _scenario(tmp_path, latency=False))
    assert result == {'error': "'midway'", 'devices': 8, 'processes': 100}
