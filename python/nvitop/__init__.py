# SPDX-License-Identifier: Apache-2.0
"""nvitop: the GPU process viewer's Python API over libnvitop (C)."""

from nvitop import api
from nvitop.api import *  # noqa: F403

__all__ = [*api.__all__]
