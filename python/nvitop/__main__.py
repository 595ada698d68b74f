# SPDX-License-Identifier: Apache-2.0
"""`python -m nvitop`: runs the C program nvitop with the same arguments."""

import sys

from nvitop._programs import nvitop

if __name__ == '__main__':
    sys.exit(nvitop())
