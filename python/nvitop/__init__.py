# SPDX-License-Identifier: Apache-2.0
"""nvitop: the GPU process viewer's Python API over libnvitop (C)."""

import sys

from nvitop import api
from nvitop.api import (
    caching,
    collector,
    device,
    host,
    libcuda,
    libcudart,
    libnvml,
    process,
    termcolor,
    utils,
)
from nvitop.api import *  # noqa: F403
from nvitop.select import select_devices
from nvitop.version import __version__

# nvitop.device is nvitop.api.device, and so on (nvitop 1.7 registers the short names).
for _module in (caching, collector, device, host, libcuda, libcudart, libnvml, process, termcolor, utils):
    sys.modules[f'{__name__}.{_module.__name__.rpartition(".")[2]}'] = _module
del _module
# `python -m nvitop.select` runs the module afresh: nvitop 1.7 drops it after the import too.
del sys.modules[f'{__name__}.select']

__all__ = [*api.__all__, 'select_devices']
