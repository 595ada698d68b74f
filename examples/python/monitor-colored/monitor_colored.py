# SPDX-License-Identifier: Apache-2.0
"""The status of every CUDA device and its processes, in colour (nvitop's monitor-colored)."""

import time

from nvitop import NA, CudaDevice, GpuProcess, colored


def label(text: str) -> str:
    return colored(text, color='blue', attrs=('bold',))


def main() -> None:
    print(colored(time.strftime('%a %b %d %H:%M:%S %Y'), color='red', attrs=('bold',)))

    separator = False
    for device in CudaDevice.all():
        with device.oneshot():
            processes = device.processes()  # type: dict[int, GpuProcess]

            print(colored(str(device), color='green', attrs=('bold',)))
            print(label('  - Fan speed:       ') + f'{device.fan_speed()}%')
            print(label('  - Temperature:     ') + f'{device.temperature()}C')
            print(label('  - GPU utilization: ') + f'{device.gpu_utilization()}%')
            print(label('  - Total memory:    ') + f'{device.memory_total_human()}')
            print(label('  - Used memory:     ') + f'{device.memory_used_human()}')
            print(label('  - Free memory:     ') + f'{device.memory_free_human()}')
        if len(processes) > 0:
            processes = GpuProcess.take_snapshots(processes.values(), failsafe=True)
            processes.sort(key=lambda process: (process.username, process.pid))

            print(label(f'  - Processes ({len(processes)}):'))
            fmt = '    {pid:<5}  {username:<8} {cpu:>5}  {host_memory:>8} {time:>8}  {gpu_memory:>8}  {sm:>3}  {command:<}'.format
            print(colored(fmt(pid='PID', username='USERNAME',
                              cpu='CPU%', host_memory='HOST-MEM', time='TIME',
                              gpu_memory='GPU-MEM', sm='SM%',
                              command='COMMAND'),
                          attrs=('bold',)))
            for snapshot in processes:
                print(fmt(pid=snapshot.pid,
                          username=snapshot.username[:7] + ('+' if len(snapshot.username) > 8 else snapshot.username[7:8]),
                          cpu=snapshot.cpu_percent, host_memory=snapshot.host_memory_human,
                          time=snapshot.running_time_human,
                          gpu_memory=(snapshot.gpu_memory_human if snapshot.gpu_memory_human is not NA else 'WDDM:N/A'),
                          sm=snapshot.gpu_sm_utilization,
                          command=snapshot.command))
        else:
            print(colored('  - No Running Processes', attrs=('bold',)))

        if separator:
            print('-' * 120)
        separator = True


if __name__ == '__main__':
    main()
