# SPDX-License-Identifier: Apache-2.0
"""`GpuStatsLogger`: a Keras callback that adds GPU statistics to the logs of each training step.

Put it before a TensorBoard or CSVLogger callback in `model.fit(callbacks=[...])`: Keras hands the
same `logs` dict to the callbacks in order, so they log what this one added.

Written against Keras's public callback protocol (`keras.callbacks.Callback`: `on_epoch_begin`,
`on_train_batch_begin`, `on_train_batch_end`); without Keras installed the module still imports,
over a plain base class.
"""

from __future__ import annotations

import re

from nvitop.callbacks._timing import StepStats, devices_or_error, require_driver

try:  # Keras 3 and tf.keras 2 expose the same public base class
    from keras.callbacks import Callback  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    try:
        from tensorflow.keras.callbacks import Callback  # type: ignore[import-not-found]
    except ImportError:

        class Callback:  # type: ignore[no-redef]
            """Stand-in base when Keras is not installed."""

            def __init__(self) -> None:
                self.model = None
                self.params: dict = {}


__all__ = ['GpuStatsLogger']


class GpuStatsLogger(Callback):  # pylint: disable=too-many-instance-attributes
    """Automatically log GPU statistics during training.

    Args:
        gpus: the number of GPUs (CUDA ordinals 0 .. gpus-1), or a list of ordinals and device
            names ('/gpu:0', '/device:GPU:1').
        memory_utilization: log used and free memory and the memory bandwidth utilisation.
        gpu_utilization: log the GPU (SM) utilisation.
        intra_step_time: log the time of each step ('batch_time/intra_step (ms)').
        inter_step_time: log the time between steps ('batch_time/inter_step (ms)').
        fan_speed: log the fan speed.
        temperature: log the GPU temperature.

    Raises:
        ValueError: the NVIDIA driver is not installed, or the devices are not available.

    Examples:
        >>> gpu_stats = GpuStatsLogger(gpus=['/gpu:0', '/gpu:1'])
        >>> tb_callback = TensorBoard(log_dir='./logs')
        >>> model.fit(x, y, callbacks=[gpu_stats, tb_callback])
    """

    GPU_NAME_PATTERN = re.compile(r'^/(\w*device:)?GPU:(?P<ID>\d+)$', flags=re.IGNORECASE)

    # pylint: disable-next=too-many-arguments
    def __init__(
        self,
        gpus: int | list[int | str] | tuple[int | str, ...],
        *,
        memory_utilization: bool = True,
        gpu_utilization: bool = True,
        intra_step_time: bool = False,
        inter_step_time: bool = False,
        fan_speed: bool = False,
        temperature: bool = False,
    ) -> None:
        super().__init__()
        require_driver(ValueError,
                       'Cannot use the GpuStatsLogger callback because the NVIDIA driver is not installed.')
        devices = devices_or_error(self._gpu_ids(gpus))
        self._stats = StepStats(memory_utilization, gpu_utilization, intra_step_time,
                                inter_step_time, fan_speed, temperature)
        self._stats.devices = devices
        self._pending: dict[str, float] = {}

    @classmethod
    def _gpu_ids(cls, gpus) -> list[int]:
        if not isinstance(gpus, (list, tuple)):
            return list(range(gpus))
        gpu_ids = set()
        for gpu in gpus:
            if isinstance(gpu, int):
                gpu_ids.add(gpu)
                continue
            match = cls.GPU_NAME_PATTERN.match(gpu)
            if match is None:
                raise ValueError(f'Invalid GPU device name: {gpu}')
            gpu_ids.add(int(match.group('ID')))
        return sorted(gpu_ids)

    @staticmethod
    def _merge(logs: dict | None, stats: dict[str, float]) -> None:
        if logs is not None:
            logs.update(stats)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:  # pylint: disable=unused-argument
        """Keras hook: a new epoch starts, the step timers too."""
        self._stats.reset()

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:  # pylint: disable=unused-argument
        """Keras hook: the statistics at the start of a step, added to `logs`.

        Keras passes no logs to this hook, so the time since the previous step is kept and added
        to the logs of the step's end, which the loggers after this callback see.
        """
        stats = self._stats.at_step_start()
        self._pending = {k: v for k, v in stats.items() if k.startswith('batch_time/')}
        self._merge(logs, stats)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:  # pylint: disable=unused-argument
        """Keras hook: the statistics at the end of a step, added to `logs`."""
        self._merge(logs, self._pending)
        self._pending = {}
        self._merge(logs, self._stats.at_step_end())

    # nvitop 1.7's names (never called by Keras), kept for code that calls them directly.
    on_train_epoch_start = on_epoch_begin
    on_train_batch_start = on_train_batch_begin
