# SPDX-License-Identifier: Apache-2.0
"""The ctypes mirrors of the collector's and the selection's C structs, field by field (offset and
size) against the frozen layout tests/abi/layout_1_7_0.h, which a C test keeps equal to the
headers: a new or moved C field cannot silently shift what Python reads."""

from __future__ import annotations

import ctypes
import re

import pytest

from simrun import ROOT, environment

LAYOUT = ROOT / 'tests' / 'abi' / 'layout_1_7_0.h'


def frozen() -> tuple[dict[str, tuple[str, int]], dict[str, dict[str, int]]]:
    sizes, fields = {}, {}
    for kind, struct, size in re.findall(r'NVITOP_ABI_(FIXED|GROWS)\((\w+), (\d+)\)', LAYOUT.read_text()):
        sizes[struct] = (kind, int(size))
    for struct, field, offset in re.findall(r'NVITOP_ABI_FIELD\((\w+), (\w+), (\d+)\)', LAYOUT.read_text()):
        fields.setdefault(struct, {})[field] = int(offset)
    return sizes, fields


def mirrors() -> dict[str, type]:
    import os  # pylint: disable=import-outside-toplevel

    os.environ.update({k: v for k, v in environment().items() if k.startswith('NVITOP_')})
    from nvitop import _select  # pylint: disable=import-outside-toplevel
    from nvitop.api import collector  # pylint: disable=import-outside-toplevel

    return {
        'nvitop_collector_options_t': collector._CollectorOptions,  # pylint: disable=protected-access
        'nvitop_metric_t': collector._Metric,  # pylint: disable=protected-access
        'nvitop_metrics_t': collector._Metrics,  # pylint: disable=protected-access
        'nvitop_daemon_options_t': collector._DaemonOptions,  # pylint: disable=protected-access
        'nvitop_select_options_t': _select._SelectOptions,  # pylint: disable=protected-access
        'nvitop_selected_device_t': _select._SelectedDevice,  # pylint: disable=protected-access
        'nvitop_selection_t': _select._Selection,  # pylint: disable=protected-access
    }


@pytest.mark.parametrize('struct', list(mirrors()))
def test_mirror_matches_frozen_layout(struct):
    mirror = mirrors()[struct]
    sizes, fields = frozen()
    kind, size = sizes[struct]
    expected = fields[struct]
    names = [name for name, _ in mirror._fields_]  # pylint: disable=protected-access
    # every C field is mirrored, in order, at its offset
    assert names == sorted(expected, key=expected.get)
    for name in names:
        assert getattr(mirror, name).offset == expected[name], f'{struct}.{name}'
    # each field's size fits up to the next field (or the end of the struct)
    ends = [expected[n] for n in names[1:]] + [size]
    for name, end in zip(names, ends):
        assert getattr(mirror, name).offset + getattr(mirror, name).size <= end, f'{struct}.{name}'
    if kind == 'FIXED':
        assert ctypes.sizeof(mirror) == size
    else:  # a struct that may grow at its end: Python reads the frozen prefix
        assert ctypes.sizeof(mirror) <= size
