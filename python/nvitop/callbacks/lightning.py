# SPDX-License-Identifier: Apache-2.0
"""`GpuStatsLogger`: a PyTorch Lightning callback that logs GPU statistics at each training step.

Written against Lightning's public callback protocol (`lightning.pytorch.callbacks.Callback`:
`on_train_start(trainer, pl_module)`, `on_train_epoch_start(trainer, pl_module)`,
`on_train_batch_start(trainer, pl_module, batch, batch_idx)`, `on_train_batch_end(trainer,
pl_module, outputs, batch, batch_idx)`); without Lightning installed the module still imports,
over a plain base class.
"""

from __future__ import annotations

from typing import Any

from nvitop.callbacks._timing import StepStats, devices_or_error, require_driver

try:
    from lightning.pytorch.callbacks import Callback  # type: ignore[import-not-found]
    from lightning.pytorch.utilities import rank_zero_only  # type: ignore[import-not-found]
    from lightning.pytorch.utilities.exceptions import (  # type: ignore[import-not-found]
        MisconfigurationException,
    )
except ImportError:  # pragma: no cover - depends on the environment
    try:
        from pytorch_lightning.callbacks import Callback  # type: ignore[import-not-found]
        from pytorch_lightning.utilities import rank_zero_only  # type: ignore[import-not-found]
        from pytorch_lightning.utilities.exceptions import (  # type: ignore[import-not-found]
            MisconfigurationException,
        )
    except ImportError:

        class Callback:  # type: ignore[no-redef]
            """Stand-in base when Lightning is not installed."""

        class MisconfigurationException(Exception):  # type: ignore[no-redef]
            """Stand-in for Lightning's exception when Lightning is not installed."""

        def rank_zero_only(function):  # type: ignore[no-redef]
            """Stand-in: one process, so it is rank zero."""
            return function


__all__ = ['GpuStatsLogger']


class GpuStatsLogger(Callback):
    """Automatically log GPU statistics during training through `trainer.logger`.

    Args:
        memory_utilization: log used and free memory and the memory bandwidth utilisation.
        gpu_utilization: log the GPU (SM) utilisation.
        intra_step_time: log the time of each step ('batch_time/intra_step (ms)').
        inter_step_time: log the time between steps ('batch_time/inter_step (ms)').
        fan_speed: log the fan speed.
        temperature: log the GPU temperature.

    Raises:
        MisconfigurationException: the NVIDIA driver is not installed, the trainer has no logger,
            or it does not train on CUDA devices.

    Examples:
        >>> trainer = Trainer(accelerator='gpu', devices=[0, 1], callbacks=[GpuStatsLogger()])
    """

    # pylint: disable-next=too-many-arguments
    def __init__(
        self,
        *,
        memory_utilization: bool = True,
        gpu_utilization: bool = True,
        intra_step_time: bool = False,
        inter_step_time: bool = False,
        fan_speed: bool = False,
        temperature: bool = False,
    ) -> None:
        super().__init__()
        require_driver(MisconfigurationException,
                       'Cannot use GpuStatsLogger callback because NVIDIA driver is not installed.')
        self._stats = StepStats(memory_utilization, gpu_utilization, intra_step_time,
                                inter_step_time, fan_speed, temperature)

    def on_train_start(self, trainer: Any, pl_module: Any) -> None:  # pylint: disable=unused-argument
        """Lightning hook: checks the trainer and finds its devices."""
        if not trainer.logger:
            raise MisconfigurationException(
                'Cannot use GpuStatsLogger callback with Trainer that has no logger.',
            )
        device_type = trainer.strategy.root_device.type
        if device_type != 'cuda':
            raise MisconfigurationException(
                f'You are using GpuStatsLogger but are not running on GPU. '
                f'The root device type is {device_type}.',
            )
        self._stats.devices = devices_or_error(trainer.device_ids)

    def on_train_epoch_start(self, trainer: Any, pl_module: Any) -> None:  # pylint: disable=unused-argument
        """Lightning hook: a new epoch starts, the step timers too."""
        self._stats.reset()

    @rank_zero_only
    def on_train_batch_start(self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int) -> None:  # pylint: disable=unused-argument,too-many-arguments
        """Lightning hook: logs the statistics at the start of a step."""
        trainer.logger.log_metrics(self._stats.at_step_start(), step=trainer.global_step)

    @rank_zero_only
    # pylint: disable-next=unused-argument,too-many-arguments
    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
        """Lightning hook: logs the statistics at the end of a step."""
        trainer.logger.log_metrics(self._stats.at_step_end(), step=trainer.global_step)
