# SPDX-License-Identifier: Apache-2.0
"""nvitop: the GPU process viewer's Python API over libnvitop (C)."""

from nvitop import api
from nvitop.api import *  # noqa: F403

from nvitop.select import select_devices

__all__ = [*api.__all__, 'select_devices']
