# SPDX-License-Identifier: Apache-2.0
"""A one-shot, plain-text status of every GPU and its processes (nvitop's monitor-minimal)."""

from nvitop import Device


def main() -> None:
    for device in Device.all():
        with device.oneshot():
            processes = device.processes()  # type: dict[int, GpuProcess]
            sorted_pids = sorted(processes.keys())

            print(device)
            print(f'  - Fan speed:       {device.fan_speed()}%')
            print(f'  - Temperature:     {device.temperature()}C')
            print(f'  - GPU utilization: {device.gpu_utilization()}%')
            print(f'  - Total memory:    {device.memory_total_human()}')
            print(f'  - Used memory:     {device.memory_used_human()}')
            print(f'  - Free memory:     {device.memory_free_human()}')
            print(f'  - Processes ({len(processes)}): {sorted_pids}')
            for pid in sorted_pids:
                print(f'    - {processes[pid]}')
        print('-' * 120)


if __name__ == '__main__':
    main()
