# SPDX-License-Identifier: Apache-2.0
"""nvitop.utils, nvitop.caching and nvitop.termcolor: python-api.md §2.10, §2.16, §3.4, §3.5."""

from __future__ import annotations

import datetime
import os
import sys

import pytest

from device_helpers import ROOT, environment, run

os.environ.setdefault('NVITOP_LIBRARY', environment(None)['NVITOP_LIBRARY'])
sys.path.insert(0, os.path.join(ROOT, 'python'))

from nvitop import caching, termcolor, utils  # noqa: E402  pylint: disable=wrong-import-position
from nvitop.api.utils import (  # noqa: E402  pylint: disable=wrong-import-position
    GiB,
    KiB,
    MiB,
    NA,
    PiB,
    TiB,
    Snapshot,
    boolify,
    bytes2human,
    human2bytes,
    timedelta2human,
    utilization2string,
)


@pytest.mark.parametrize(('value', 'min_unit', 'want'), [
    (1023, 1, '1023B'),
    (-5, 1, '-5B'),
    (0, 1, '0B'),
    (1536, 1, '2KiB'),
    (1048575, 1, '1024KiB'),
    (1048576, 1, '1.00MiB'),
    (100 * MiB, 1, '100.0MiB'),
    (11554717696, 1, '11019MiB'),
    (20 * GiB - 1, 1, '20480MiB'),
    (85520809984, 1, '79.65GiB'),
    (100 * GiB, 1, '100.0GiB'),
    (1000 * GiB, 1, '0.98TiB'),
    (1000 * TiB, 1, '0.98PiB'),
    (10**20, 1, '88817.8PiB'),
    (100 * MiB, GiB, '0.10GiB'),
    (1, MiB, '0.00MiB'),
    (500, KiB, '0KiB'),
    (1536.4, 1, '2KiB'),
    ('2048', 1, '2KiB'),
])
def test_bytes2human(value, min_unit, want):
    assert bytes2human(value, min_unit=min_unit) == want


def test_bytes2human_na_and_bad_values():
    assert bytes2human(NA) is NA
    assert bytes2human('abc') is NA
    assert bytes2human(float('nan')) is NA
    with pytest.raises(OverflowError):
        bytes2human(float('inf'))
    assert PiB == 1 << 50


@pytest.mark.parametrize(('text', 'want'), [
    ('200', 200), ('500B', 500), ('10k', 10000), ('10ki', 10240), ('10KiB', 10240),
    ('1M', 1000000), ('1MiB', 1048576), ('1.5GiB', 1610612736), (' + 4 GiB ', 4294967296),
    ('4 GB', 4000000000), (0, 0), (123, 123),
])
def test_human2bytes(text, want):
    assert human2bytes(text) == want


@pytest.mark.parametrize('text', ['-1', '1e3', '1.', 'KiB', '4iB', '1XB'])
def test_human2bytes_rejects(text):
    with pytest.raises(ValueError, match=r"^Cannot convert '.*' to bytes\.$"):
        human2bytes(text)


def test_human2bytes_negative_int_and_types():
    with pytest.raises(ValueError, match=r'^Cannot convert -1 to bytes\.$'):
        human2bytes(-1)
    with pytest.raises(TypeError):
        human2bytes(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(('value', 'kwargs', 'want'), [
    (0, {}, '0:00'),
    (61.7, {}, '1:01'),
    (3600, {}, '1:00:00'),
    (86400, {}, '24:00:00'),
    (86400, {'round': True}, '1.0 days'),
    (datetime.timedelta(days=1, hours=2), {}, '26:00:00'),
    (4.5 * 86400, {}, '4.5 days'),
    ('x', {}, 'N/A'),
    (NA, {}, 'N/A'),
    (-5, {}, 'N/A'),  # QUIRK 10 fixed: nvitop writes '59:55'
])
def test_timedelta2human(value, kwargs, want):
    assert timedelta2human(value, **kwargs) == want


@pytest.mark.parametrize(('value', 'want'), [
    (5, '5%'), (5.0, '5.0%'), (5.55, '5.5%'), (True, 'True%'), (NA, 'N/A'), ('5', 'N/A'),
])
def test_utilization2string(value, want):
    assert utilization2string(value) == want


def test_boolify():
    assert [boolify(s) for s in ('true', 'Yes', 'ON', 'enabled', '1')] == [True] * 5
    assert [boolify(s) for s in ('false', 'No', 'off', 'Disabled', '0')] == [False] * 5
    assert boolify('maybe') is True and boolify('') is False and boolify(NA) is False
    assert boolify('maybe', default=0) is False
    with pytest.raises(AttributeError):
        boolify(1)  # type: ignore[arg-type]


def test_size_units_and_pattern():
    assert utils.SIZE_UNITS == {None: 1, '': 1, 'B': 1, 'KiB': 1024, 'MiB': 1024**2,
                                'GiB': 1024**3, 'TiB': 1024**4, 'PiB': 1024**5, 'KB': 1000,
                                'MB': 1000**2, 'GB': 1000**3, 'TB': 1000**4, 'PB': 1000**5}
    assert utils.SIZE_PATTERN.match(' + 4 gib ').group('unit') == 'gi'


class Foo:  # pylint: disable=too-few-public-methods
    def __repr__(self) -> str:
        return 'Foo()'

    def lazy(self):
        return 42

    constant = 'c'


def test_snapshot_repr_and_behaviour():
    inner = Snapshot(real=Foo(), a=1)
    snap = Snapshot(real=Foo(), b='x', a=[1, 2], nested=inner)
    assert repr(snap) == (
        'FooSnapshot(\n'
        '    real=Foo(),\n'
        '    a=[1, 2],\n'
        "    b='x',\n"
        '    nested=FooSnapshot(\n'
        '        real=Foo(),\n'
        '        a=1,\n'
        '    ),\n'
        ')'
    )
    assert list(snap) == ['b', 'a', 'nested']
    assert snap.lazy == 42 and snap['constant'] == 'c'
    assert list(snap) == ['b', 'a', 'nested', 'lazy', 'constant']
    assert 'lazy' in snap and 'real' not in snap
    assert dict(snap)['a'] == [1, 2] and {**snap}['b'] == 'x'
    snap['c'] = 3
    assert snap.c == 3
    with pytest.raises(KeyError):
        snap['nope']  # pylint: disable=pointless-statement
    with pytest.raises(AttributeError, match="'Foo' object has no attribute 'nope'"):
        snap.nope  # pylint: disable=pointless-statement
    for name in ('real', 'timestamp'):
        with pytest.raises(AttributeError, match=f"Cannot set attribute '{name}' of 'Snapshot'"):
            setattr(snap, name, 1)
    assert hash(snap) == hash((snap.real, snap.timestamp))
    assert type(snap).__name__ == 'Snapshot' and snap != Snapshot(real=snap.real)


def test_memoize_when_activated():
    calls = []

    class Thing:
        @utils.memoize_when_activated
        def value(self, arg=None):
            calls.append(arg)
            return len(calls)

    thing = Thing()
    assert thing.value() == 1 and thing.value() == 2
    Thing.value.cache_activate(thing)
    assert thing.value(1) == 3 and thing.value(2) == 3  # keyed by method only
    Thing.value.cache_deactivate(thing)
    assert thing.value() == 4


# ---- termcolor and colouring ----------------------------------------------------------------


def test_termcolor_order_and_rules(monkeypatch):
    for name in ('ANSI_COLORS_DISABLED', 'NO_COLOR', 'FORCE_COLOR', 'TERM'):
        monkeypatch.delenv(name, raising=False)
    assert termcolor.colored('Hello', 'red', 'on_grey', ['bold', 'blink'], force_color=True) == (
        '\x1b[5m\x1b[1m\x1b[40m\x1b[31mHello\x1b[0m')
    assert termcolor.colored('x', 'red', force_color=True, no_color=True) == 'x'
    monkeypatch.setenv('FORCE_COLOR', '1')
    assert termcolor.colored('x', 'light_cyan') == '\x1b[96mx\x1b[0m'
    monkeypatch.setenv('NO_COLOR', '1')
    assert termcolor.colored('x', 'red') == 'x'
    monkeypatch.delenv('NO_COLOR')
    monkeypatch.setenv('ANSI_COLORS_DISABLED', '1')
    assert termcolor.colored('x', 'red') == 'x'
    assert termcolor.colored('x', 'red', force_color=True) == '\x1b[31mx\x1b[0m'
    with pytest.raises(KeyError):
        termcolor.colored('x', 'nope', force_color=True)
    assert termcolor.COLORS['dark_grey'] == 90 and termcolor.HIGHLIGHTS['on_white'] == 107
    assert termcolor.ATTRIBUTES['strike'] == 9 and termcolor.RESET == '\x1b[0m'


def test_termcolor_dumb_terminal_and_cprint(monkeypatch, capsys):
    for name in ('ANSI_COLORS_DISABLED', 'NO_COLOR', 'FORCE_COLOR'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('TERM', 'dumb')
    assert termcolor.colored('x', 'red') == 'x'
    termcolor.cprint('hi', 'green', force_color=True, end='!')
    assert capsys.readouterr().out == '\x1b[32mhi\x1b[0m!'


def test_set_color_and_colored_in_a_child():
    proc = run(None, '''
        import os
        from nvitop import colored, set_color
        from nvitop.api import utils
        set_color(True)
        print(repr(colored('x', 'red')), os.environ.get('FORCE_COLOR'), os.environ.get('NO_COLOR'))
        set_color(False)
        print(repr(colored('x', 'red')), os.environ.get('FORCE_COLOR'), os.environ.get('NO_COLOR'),
              utils.COLOR)
    ''', NO_COLOR='1')
    assert proc.stdout.splitlines() == ["'\\x1b[31mx\\x1b[0m' 1 None", "'x' None 1 False"]


# ---- ttl_cache ------------------------------------------------------------------------------


class Clock:  # pylint: disable=too-few-public-methods
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_ttl_cache_expiry_fifo_and_info():
    clock = Clock()
    calls = []

    @caching.ttl_cache(2, ttl=10, timer=clock)
    def square(x):
        calls.append(x)
        return x * x

    assert square(2) == 4 and square(2) == 4 and calls == [2]
    assert square.cache_info() == (1, 1, 2, 1)
    square(3)
    square(2)  # a hit does not refresh recency
    square(4)  # full: the oldest inserted (2) goes
    square(2)
    assert calls == [2, 3, 4, 2]
    clock.now = 100.0
    assert square.cache_info().currsize == 0  # purged on expiry
    square(3)
    assert calls[-1] == 3
    assert square.cache_parameters() == {'maxsize': 2, 'typed': False}
    square.cache_clear()
    assert square.cache_info() == (0, 0, 2, 0)


def test_ttl_cache_forms_and_errors():
    @caching.ttl_cache
    def one():
        return 1

    assert one() == 1 and one.cache_parameters()['maxsize'] == 128
    assert caching.ttl_cache(0)(lambda: 1).cache_info().maxsize == 0  # lru_cache: no expiry
    assert caching.ttl_cache(None)(lambda: 1).cache_info().maxsize is None
    assert caching.ttl_cache(-3)(lambda: 1).cache_info().maxsize == 0
    with pytest.raises(TypeError, match='Expected first argument to be an integer, a callable, or None'):
        caching.ttl_cache('x')  # type: ignore[arg-type]
    with pytest.raises(ValueError, match='TTL must be a non-negative number'):
        caching.ttl_cache(ttl=-1)
    with pytest.raises(TypeError, match='Timer must be a callable'):
        caching.ttl_cache(timer=1)  # type: ignore[arg-type]
    failures = []

    @caching.ttl_cache(4)
    def fails():
        failures.append(1)
        raise RuntimeError

    for _ in range(2):
        with pytest.raises(RuntimeError):
            fails()
    assert len(failures) == 2  # exceptions are not cached


def test_exports_in_order():
    import nvitop  # pylint: disable=import-outside-toplevel

    want = ['NA', 'NaType', 'NotApplicable', 'NotApplicableType', 'UINT_MAX', 'ULONGLONG_MAX',
            'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'SIZE_UNITS', 'bytes2human', 'human2bytes',
            'timedelta2human', 'utilization2string', 'colored', 'set_color', 'boolify', 'Snapshot']
    assert utils.__all__ == want
    assert termcolor.__all__ == ['colored', 'cprint'] and caching.__all__ == ['ttl_cache']
    for name in want:
        assert getattr(nvitop, name) is getattr(utils, name)
