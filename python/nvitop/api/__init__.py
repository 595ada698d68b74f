# SPDX-License-Identifier: Apache-2.0
"""The core API of nvitop (nvitop.api of nvitop 1.7) over libnvitop."""

from nvitop.api import caching, host, libcuda, libcudart, libnvml, termcolor, utils
from nvitop.api.device import (
    CudaDevice,
    CudaMigDevice,
    Device,
    MigDevice,
    PhysicalDevice,
    normalize_cuda_visible_devices,
    parse_cuda_visible_devices,
)
from nvitop.api.libnvml import NVMLError, nvmlCheckReturn
from nvitop.api.process import GpuProcess, HostProcess, command_join
from nvitop.api.collector import ResourceMetricCollector, collect_in_background, take_snapshots
from nvitop.api.utils import *  # noqa: F403
from nvitop.api.caching import ttl_cache

__all__ = [
    'NVMLError',
    'nvmlCheckReturn',
    'libnvml',
    'libcuda',
    'libcudart',
    # nvitop.api.device
    'Device',
    'PhysicalDevice',
    'MigDevice',
    'CudaDevice',
    'CudaMigDevice',
    'parse_cuda_visible_devices',
    'normalize_cuda_visible_devices',
    # nvitop.api.host, nvitop.api.process
    'host',
    'HostProcess',
    'GpuProcess',
    'command_join',
    # nvitop.api.collector
    'take_snapshots',
    'collect_in_background',
    'ResourceMetricCollector',
    # nvitop.api.caching
    'ttl_cache',
    # nvitop.api.utils
    *utils.__all__,
]
