# SPDX-License-Identifier: Apache-2.0
"""What both framework callbacks share: their setup checks, and the statistics and step timings
they add at each training step."""

from __future__ import annotations

import time

from nvitop.api import libnvml
from nvitop.callbacks.utils import get_devices_by_logical_ids, get_gpu_stats

__all__ = ['StepStats', 'require_driver', 'devices_or_error']


def require_driver(error: type[Exception], message: str) -> None:
    """nvmlInit(), or `error(message)` (the framework's own exception) when there is no driver."""
    try:
        libnvml.nvmlInit()
    except libnvml.NVMLError as ex:
        raise error(message) from ex


def devices_or_error(gpu_ids: list[int]) -> list:
    """The CUDA devices of these logical ids, or ValueError naming the ids asked for."""
    try:
        return get_devices_by_logical_ids(gpu_ids, unique=True)
    except (libnvml.NVMLError, RuntimeError) as ex:
        raise ValueError(
            f'Cannot use GpuStatsLogger callback because devices unavailable. '
            f'Received: `gpus={gpu_ids}`',
        ) from ex


class StepStats:  # pylint: disable=too-many-instance-attributes
    """GPU statistics at the start and the end of each step, plus the step timings."""

    # pylint: disable-next=too-many-arguments
    def __init__(self, memory_utilization, gpu_utilization, intra_step_time, inter_step_time,
                 fan_speed, temperature) -> None:
        self.memory_utilization = memory_utilization
        self.gpu_utilization = gpu_utilization
        self.intra_step_time = intra_step_time
        self.inter_step_time = inter_step_time
        self.fan_speed = fan_speed
        self.temperature = temperature
        self.devices: list = []
        self.reset()

    def reset(self) -> None:
        """A new epoch: no step timed yet."""
        self._intra_start: float | None = None
        self._inter_start: float | None = None

    def _stats(self) -> dict[str, float]:
        return get_gpu_stats(
            self.devices,
            memory_utilization=self.memory_utilization,
            gpu_utilization=self.gpu_utilization,
            fan_speed=self.fan_speed,
            temperature=self.temperature,
        )

    def at_step_start(self) -> dict[str, float]:
        """The statistics when a step starts (and the time since the previous one ended)."""
        if self.intra_step_time:
            self._intra_start = time.monotonic()
        logs = self._stats()
        if self.inter_step_time and self._inter_start is not None:
            logs['batch_time/inter_step (ms)'] = 1000.0 * (time.monotonic() - self._inter_start)
        return logs

    def at_step_end(self) -> dict[str, float]:
        """The statistics when a step ends (and the time the step took)."""
        if self.inter_step_time:
            self._inter_start = time.monotonic()
        logs = self._stats()
        if self.intra_step_time and self._intra_start is not None:
            logs['batch_time/intra_step (ms)'] = 1000.0 * (time.monotonic() - self._intra_start)
        return logs
