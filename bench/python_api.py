#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""One row of bench/python.sh, measured in this (fresh) process; prints one JSON line.

usage: python_api.py ROW RUNS     (RUNS 0: the setup only, the NVML calls' baseline)
ROW: import | queries | snapshots | collector. Standard library only; the API under test is
whatever `import nvitop` gives: a row whose names are missing prints {"na": "<why>"}.
"""

import json
import sys
import time

# nvitop 1.7's Device queries without arguments (python-api.md §2.2.7), _human forms included.
QUERIES = (
    'name uuid bus_id serial memory_info memory_total memory_used memory_free '
    'memory_total_human memory_used_human memory_free_human memory_percent memory_usage '
    'bar1_memory_info bar1_memory_total bar1_memory_used bar1_memory_free bar1_memory_total_human '
    'bar1_memory_used_human bar1_memory_free_human bar1_memory_percent bar1_memory_usage '
    'utilization_rates gpu_utilization memory_utilization encoder_utilization '
    'decoder_utilization clock_infos max_clock_infos clock_speed_infos graphics_clock sm_clock '
    'memory_clock video_clock max_graphics_clock max_sm_clock max_memory_clock max_video_clock '
    'fan_speed temperature power_usage power_limit power_status pcie_throughput '
    'pcie_tx_throughput pcie_rx_throughput pcie_tx_throughput_human pcie_rx_throughput_human '
    'nvlink_link_count display_active display_mode persistence_mode current_driver_model '
    'performance_state total_volatile_uncorrected_ecc_errors compute_mode '
    'cuda_compute_capability is_mig_device mig_mode is_mig_mode_enabled max_mig_device_count '
    'is_leaf_device'
).split()


def setup_queries(nvitop):
    device = nvitop.Device

    def op():
        for dev in device.all():
            for query in QUERIES:
                getattr(dev, query)()

    return op


def setup_snapshots(nvitop):
    take_snapshots = nvitop.take_snapshots
    return lambda: take_snapshots()  # pylint: disable=unnecessary-lambda


def setup_collector(nvitop):
    collector = nvitop.ResourceMetricCollector(interval=3600.0)  # no background sample
    collector.activate('bench')
    return collector.take_snapshots


SETUPS = {'queries': setup_queries, 'snapshots': setup_snapshots, 'collector': setup_collector}


def measure(op, runs):
    wall, cpu = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        op()
        wall.append((time.perf_counter() - w0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    return wall, cpu


def main():
    row, runs = sys.argv[1], int(sys.argv[2])
    w0, c0 = time.perf_counter(), time.process_time()
    import nvitop  # pylint: disable=import-outside-toplevel

    import_ms = ((time.perf_counter() - w0) * 1e3, (time.process_time() - c0) * 1e3)
    if row == 'import':
        print(json.dumps({'wall': [import_ms[0]], 'cpu': [import_ms[1]]}))
        return
    try:
        op = SETUPS[row](nvitop)
    except (AttributeError, ImportError, NotImplementedError) as ex:
        print(json.dumps({'na': f'{type(ex).__name__}: {ex}'}))
        return
    try:
        wall, cpu = measure(op, runs)
    except (AttributeError, NotImplementedError, TypeError) as ex:
        print(json.dumps({'na': f'{type(ex).__name__}: {ex}'}))
        return
    print(json.dumps({'wall': wall, 'cpu': cpu}))


if __name__ == '__main__':
    main()
