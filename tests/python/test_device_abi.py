# SPDX-License-Identifier: Apache-2.0
"""The ctypes mirrors of libnvitop's structs against the frozen layout (tests/abi/layout_1_7_0.h)
and against the C field table: a C change cannot silently shift Python's reads."""

from __future__ import annotations

import ctypes
import os
import re

import pytest

from device_helpers import ROOT, environment

LAYOUT = os.path.join(ROOT, 'tests', 'abi', 'layout_1_7_0.h')


def _layout() -> tuple[dict[str, int], dict[str, dict[str, int]], dict[str, int]]:
    sizes: dict[str, int] = {}
    fields: dict[str, dict[str, int]] = {}
    values: dict[str, int] = {}
    with open(LAYOUT, encoding='utf-8') as file:
        for line in file:
            match = re.match(r'NVITOP_ABI_(FIXED|GROWS)\((\w+), (\d+)\)', line)
            if match:
                sizes[match.group(2)] = int(match.group(3))
                continue
            match = re.match(r'NVITOP_ABI_FIELD\((\w+), (\w+), (\d+)\)', line)
            if match:
                fields.setdefault(match.group(1), {})[match.group(2)] = int(match.group(3))
                continue
            match = re.match(r'NVITOP_ABI_VALUE\((\w+), (-?\d+)\)', line)
            if match:
                values[match.group(1)] = int(match.group(2))
    return sizes, fields, values


@pytest.fixture(scope='module')
def mirrors():
    os.environ.update({k: v for k, v in environment(None).items()
                       if k in ('NVITOP_LIBRARY', 'NVITOP_NVML_LIBRARY')})
    import sys  # pylint: disable=import-outside-toplevel

    sys.path.insert(0, os.path.join(ROOT, 'python'))
    from nvitop import _clib  # pylint: disable=import-outside-toplevel
    from nvitop.api import _cdevice  # pylint: disable=import-outside-toplevel

    return {
        'nvitop_int_t': _clib.CInt,
        'nvitop_real_t': _clib.CReal,
        'nvitop_str_t': _clib.CStr,
        'nvitop_device_snapshot_t': _cdevice.DeviceSnapshot,
        'nvitop_field_info_t': _cdevice.FieldInfo,
        'nvitop_gpu_process_t': _cdevice.GpuProcessInfo,
        'nvitop_process_list_t': _cdevice.ProcessList,
    }


@pytest.mark.parametrize('c_name', [
    'nvitop_int_t', 'nvitop_real_t', 'nvitop_str_t', 'nvitop_device_snapshot_t',
    'nvitop_field_info_t', 'nvitop_gpu_process_t', 'nvitop_process_list_t',
])
def test_every_field_offset_and_size_matches_the_frozen_layout(mirrors, c_name):
    sizes, fields, _ = _layout()
    struct = mirrors[c_name]
    assert ctypes.sizeof(struct) == sizes[c_name]
    mine = {name: getattr(struct, name) for name, *_ in struct._fields_}
    assert list(mine) == list(fields[c_name]), 'the same fields in the same order'
    ends = sorted(fields[c_name].values())[1:] + [sizes[c_name]]
    for (name, offset), end in zip(sorted(fields[c_name].items(), key=lambda kv: kv[1]), ends):
        assert mine[name].offset == offset, name
        # the field fills its slot up to the next one, apart from alignment padding
        gap = end - offset
        assert mine[name].size <= gap, name
        assert gap - mine[name].size < 8, name


def test_the_opaque_host_block_is_the_host_process_size(mirrors):
    sizes, _, _ = _layout()
    from nvitop.api import _cdevice  # pylint: disable=import-outside-toplevel

    assert _cdevice.HOST_PROCESS_SIZE == sizes['nvitop_host_process_t']
    assert mirrors['nvitop_gpu_process_t'].host.size == sizes['nvitop_host_process_t']


def test_the_c_field_table_agrees_with_the_mirror(mirrors):
    from nvitop.api import _cdevice  # pylint: disable=import-outside-toplevel

    snapshot = mirrors['nvitop_device_snapshot_t']
    types = {_cdevice.VALUE_INT: 'CInt', _cdevice.VALUE_REAL: 'CReal', _cdevice.VALUE_STR: 'CStr'}
    rows = _cdevice.field_table()
    assert len(rows) > 60
    names = {name: kind for name, kind in snapshot._fields_}
    for row in rows:
        key = row.key.decode()
        assert getattr(snapshot, key).offset == row.offset, key
        assert names[key].__name__ == types[row.type], key


def test_enumerations_match_the_frozen_values(mirrors):
    _ = mirrors
    _, _, values = _layout()
    from nvitop._clib import NaReason  # pylint: disable=import-outside-toplevel
    from nvitop.api import _cdevice  # pylint: disable=import-outside-toplevel

    for name, value in values.items():
        if name.startswith('NVITOP_NA_') and name != 'NVITOP_NA_NONE':
            assert getattr(NaReason, name[len('NVITOP_NA_'):]) == value, name
    assert _cdevice.VALUE_INT == values['NVITOP_VALUE_INT']
    assert _cdevice.VALUE_REAL == values['NVITOP_VALUE_REAL']
    assert _cdevice.VALUE_STR == values['NVITOP_VALUE_STR']


def test_query_bits_match_the_header():
    from nvitop.api import _cdevice  # pylint: disable=import-outside-toplevel

    with open(os.path.join(ROOT, 'include', 'nvitop', 'device.h'), encoding='utf-8') as file:
        header = file.read()
    bits = dict(re.findall(r'#define NVITOP_DQ_(\w+) \(1ULL << (\d+)\)', header))
    assert len(bits) == 38
    for name, shift in bits.items():
        assert getattr(_cdevice, 'DQ_' + name) == 1 << int(shift), name
    assert _cdevice.NVLINK_MAX_LINKS == int(re.search(r'NVITOP_NVLINK_MAX_LINKS (\d+)', header).group(1))
    assert _cdevice.NVLINK_LINKS_MAX == int(re.search(r'NVITOP_NVLINK_LINKS_MAX (\d+)', header).group(1))
    with open(os.path.join(ROOT, 'include', 'nvitop', 'process.h'), encoding='utf-8') as file:
        header = file.read()
    for name, shift in re.findall(r'#define NVITOP_(PQ_\w+|PROCESS_\w+) \(1U << (\d+)\)', header):
        assert getattr(_cdevice, name) == 1 << int(shift), name
