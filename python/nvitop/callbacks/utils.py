# SPDX-License-Identifier: Apache-2.0
"""Helpers shared by the framework callbacks: the devices of logical ids, and their statistics."""

from __future__ import annotations

from nvitop.api.device import CudaDevice, Device

__all__ = ['get_devices_by_logical_ids', 'get_gpu_stats']


def get_devices_by_logical_ids(device_ids: list[int], unique: bool = True) -> list[CudaDevice]:
    """The CUDA devices of the given CUDA ordinals (repeated devices once when `unique`)."""
    cuda_devices = Device.from_cuda_indices(device_ids)
    if not unique:
        return cuda_devices
    seen, unique_devices = set(), []
    for device in cuda_devices:
        if device.cuda_index not in seen:
            seen.add(device.cuda_index)
            unique_devices.append(device)
    return unique_devices


# pylint: disable-next=too-many-arguments
def get_gpu_stats(
    devices: list[Device],
    memory_utilization: bool = True,
    gpu_utilization: bool = True,
    fan_speed: bool = False,
    temperature: bool = False,
) -> dict[str, float]:
    """The statistics of the devices, as '<gpu_id: N>/<metric (unit)>' -> float (NaN for N/A)."""
    stats = {}
    for device in devices:
        prefix = f'gpu_id: {device.cuda_index}'
        if device.cuda_index != device.physical_index:
            prefix += f' (physical index: {device.physical_index})'
        with device.oneshot():
            if memory_utilization or gpu_utilization:
                utilization = device.utilization_rates()
                if memory_utilization:
                    stats[f'{prefix}/utilization.memory (%)'] = float(utilization.memory)
                if gpu_utilization:
                    stats[f'{prefix}/utilization.gpu (%)'] = float(utilization.gpu)
            if memory_utilization:
                stats[f'{prefix}/memory.used (MiB)'] = float(device.memory_used()) / 1024**2
                stats[f'{prefix}/memory.free (MiB)'] = float(device.memory_free()) / 1024**2
            if fan_speed:
                stats[f'{prefix}/fan.speed (%)'] = float(device.fan_speed())
            if temperature:
                stats[f'{prefix}/temperature.gpu (C)'] = float(device.temperature())
    return stats
