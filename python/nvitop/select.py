# SPDX-License-Identifier: Apache-2.0
"""`select_devices` and the `nvisel` command (`python -m nvitop.select`)."""

import sys

from nvitop import _programs
from nvitop._select import select_devices

__all__ = ['select_devices']


def main():
    """The nvisel command: runs the C program nvisel with this process's arguments."""
    return _programs.nvisel()


if __name__ == '__main__':
    sys.exit(main())
