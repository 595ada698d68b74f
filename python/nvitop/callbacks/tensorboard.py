# SPDX-License-Identifier: Apache-2.0
"""Logs a dict of scalars (e.g. `ResourceMetricCollector.collect()`) to a TensorBoard writer.

Works with `torch.utils.tensorboard.SummaryWriter`, `tensorboardX.SummaryWriter` or any writer
with `add_scalar(tag, scalar, global_step=None, walltime=None)`; no import of TensorBoard here.
"""

from __future__ import annotations

from typing import Any

__all__ = ['add_scalar_dict']


def add_scalar_dict(
    writer: Any,
    main_tag: str,
    tag_scalar_dict: dict[str, float],
    global_step: int | None = None,
    walltime: float | None = None,
) -> None:
    """Call `writer.add_scalar(f'{main_tag}/{tag}', scalar, ...)` for each entry.

    Examples:
        >>> with collector(tag='train'):
        ...     add_scalar_dict(writer, 'resources', collector.collect(), global_step=step)
        # TensorBoard tags 'resources/train/...'
    """
    for tag, scalar in tag_scalar_dict.items():
        writer.add_scalar(f'{main_tag}/{tag}', scalar, global_step=global_step, walltime=walltime)
