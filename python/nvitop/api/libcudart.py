# SPDX-License-Identifier: Apache-2.0
"""The CUDA runtime facade (nvitop.api.libcudart of nvitop 1.7): placeholder, filled below."""

from __future__ import annotations


class cudaError(Exception):  # noqa: N801
    """CUDA runtime error."""


def cudaRuntimeGetVersion() -> str:  # noqa: N802
    """Not served yet."""
    raise cudaError(3)
