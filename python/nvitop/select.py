# SPDX-License-Identifier: Apache-2.0
"""CUDA visible devices selection: `select_devices` (and the `nvisel` entry point)."""

from nvitop._select import select_devices

__all__ = ['select_devices']
