# SPDX-License-Identifier: Apache-2.0
"""The version of the package: the C library's, so Python and the programs never disagree."""

# pylint: disable=invalid-name

import ctypes

from nvitop import _programs

__license__ = 'Apache-2.0'
__author__ = __maintainer__ = 'nvitop-in-C contributors'
__release__ = True  # no `git describe` suffix: the version is libnvitop's (see docs/python.md)


def _library_version():
    """nvitop_version() of the first libnvitop that loads, or None."""
    for candidate in _programs.library_candidates():
        try:
            function = ctypes.CDLL(candidate).nvitop_version
        except (OSError, AttributeError):
            continue
        function.restype = ctypes.c_char_p
        function.argtypes = []
        return function().decode('ascii')
    return None


def _build_version():
    """The project version the wheel builder wrote (scripts/build-wheel.py), else None."""
    try:
        from nvitop._build_info import VERSION  # pylint: disable=import-outside-toplevel
    except ImportError:
        return None
    return VERSION


__version__ = _library_version() or _build_version() or '0+unknown'

# nvitop 1.7's supported nvidia-ml-py releases. Kept for scripts that read it: this package
# does not use nvidia-ml-py (libnvitop speaks to NVML itself).
PYNVML_VERSION_CANDIDATES = (
    '11.450.51',
    '11.450.129',
    '11.460.79',
    '11.470.66',
    '11.495.46',
    '11.510.69',
    '11.515.48',
    '11.515.75',
    '11.525.84',
    '11.525.112',
    '11.525.131',
    '11.525.150',
    '12.535.77',
    '12.535.108',
    '12.535.133',
    '12.535.161',
    '12.550.52',
    '12.550.89',
    '12.555.43',
    '12.560.30',
    '12.570.86',
    '12.570.172',
    '12.575.51',
    '13.580.65',
    '13.580.82',
    '13.580.126',
    '13.590.44',
    '13.590.48',
    '13.595.45',
)
