# SPDX-License-Identifier: Apache-2.0
"""The core API of nvitop (nvitop.api of nvitop 1.7) over libnvitop."""

from nvitop.api import utils
from nvitop.api.utils import *  # noqa: F403

__all__ = [*utils.__all__]
