# SPDX-License-Identifier: Apache-2.0
"""How many NVML calls the Python API makes (the simulator's NVML_SIM_CALLS counts): the driver's
time is where an H100 spends it (PCIe throughput: about 20 ms per direction), so these bounds
guard the cost of issue 15 deterministically."""

from __future__ import annotations

import json

from simrun import load_scenario, run, write_scenario

PCIE = 'nvmlDeviceGetPcieThroughput'


def _calls(tmp_path, code: str) -> dict[str, int]:
    data = load_scenario('node-8gpu-100proc.json')
    data.pop('latency_us', None)  # the counts are the same; the run is faster
    scenario = write_scenario(tmp_path, data)
    calls = tmp_path / 'calls.json'
    run(code, scenario, NVML_SIM_CALLS=str(calls))
    return json.loads(calls.read_text(encoding='utf-8'))


def test_each_pcie_direction_is_one_driver_call(tmp_path):
    calls = _calls(tmp_path, '''
        from nvitop import Device
        for device in Device.all():
            device.pcie_tx_throughput()
            device.pcie_rx_throughput()
    ''')
    assert calls[PCIE] == 16  # 8 GPUs x 2 directions, each asked once


def test_one_direction_asks_one_direction(tmp_path):
    calls = _calls(tmp_path, '''
        from nvitop import Device
        from nvitop.api import libnvml
        device = Device(0)
        device.pcie_tx_throughput()
        device.pcie_rx_throughput_human()
        libnvml.nvmlQuery('nvmlDeviceGetPcieThroughput', device.handle, libnvml.NVML_PCIE_UTIL_TX_BYTES)
    ''')
    assert calls[PCIE] == 3


def test_oneshot_and_snapshots_ask_each_direction_once(tmp_path):
    calls = _calls(tmp_path, '''
        from nvitop import Device
        device = Device(0)
        device.pcie_throughput()
        with device.oneshot():
            device.pcie_tx_throughput()
            device.as_snapshot()
            device.pcie_throughput()
    ''')
    assert calls[PCIE] == 2 + 2


def test_take_snapshots_asks_each_gpu_question_once(tmp_path):
    calls = _calls(tmp_path, '''
        from nvitop import take_snapshots
        take_snapshots()
    ''')
    for function in ('nvmlDeviceGetPerformanceState', 'nvmlDeviceGetPersistenceMode',
                     'nvmlDeviceGetDisplayMode', 'nvmlDeviceGetDisplayActive',
                     'nvmlDeviceGetComputeMode', 'nvmlDeviceGetFanSpeed', 'nvmlDeviceGetPowerUsage'):
        assert calls[function] == 8, function  # the oneshot prefetch answers the snapshot's keys
    assert calls[PCIE] == 16
    assert calls['nvmlDeviceGetComputeRunningProcesses_v3'] == 8
