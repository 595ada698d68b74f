# SPDX-License-Identifier: Apache-2.0
"""NA, units and formatting helpers (nvitop.api.utils of nvitop 1.7).

The formatting rules themselves live in libnvitop (include/nvitop/format.h): these are calls.
"""

from __future__ import annotations

import ctypes
import datetime
import functools
import math
import os
import re
import sys
import time
from collections.abc import KeysView
from typing import Any, Callable

from nvitop import _clib
from nvitop.api import termcolor

__all__ = [
    'NA',
    'NaType',
    'NotApplicable',
    'NotApplicableType',
    'UINT_MAX',
    'ULONGLONG_MAX',
    'KiB',
    'MiB',
    'GiB',
    'TiB',
    'PiB',
    'SIZE_UNITS',
    'bytes2human',
    'human2bytes',
    'timedelta2human',
    'utilization2string',
    'colored',
    'set_color',
    'boolify',
    'Snapshot',
]

UINT_MAX = 0xFFFFFFFF
ULONGLONG_MAX = 0xFFFFFFFFFFFFFFFF
KiB = 1 << 10
MiB = 1 << 20
GiB = 1 << 30
TiB = 1 << 40
PiB = 1 << 50

_NAN = float('nan')


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, NaType)


class NaType(str):
    """The 'N/A' string that also acts as NaN in arithmetic and sorts after every number."""

    __slots__ = ()

    def __new__(cls) -> NaType:
        if not hasattr(cls, '_instance'):
            cls._instance = super().__new__(cls, 'N/A')
        return cls._instance

    def __init_subclass__(cls, **kwargs) -> None:
        raise TypeError('NaType is final')

    def __bool__(self) -> bool:
        return False

    def __int__(self) -> int:
        return 0

    def __float__(self) -> float:
        return _NAN

    def __round__(self, ndigits: int | None = None):
        return 0 if ndigits is None else _NAN

    def __neg__(self) -> float:
        return _NAN

    __pos__ = __abs__ = __neg__

    def __add__(self, other):
        if isinstance(other, NaType):  # NA + NA is nan, not 'N/AN/A' (nvitop's special case)
            return _NAN + _NAN
        if isinstance(other, str):
            return str.__add__(self, other)
        return _NAN + other if _is_number(other) else NotImplemented

    def __radd__(self, other):
        if isinstance(other, str):
            return str.__add__(other, self)
        return other + _NAN if _is_number(other) else NotImplemented

    def _arith(op):  # pylint: disable=no-self-argument
        def forward(self, other):
            if isinstance(other, NaType):
                return op(_NAN, _NAN)
            return op(_NAN, other) if _is_number(other) else NotImplemented

        def backward(self, other):
            return op(other, _NAN) if _is_number(other) else NotImplemented

        return forward, backward

    __sub__, __rsub__ = _arith(lambda a, b: a - b)
    __mul__, __rmul__ = _arith(lambda a, b: a * b)
    __truediv__, __rtruediv__ = _arith(lambda a, b: a / b)
    __floordiv__, __rfloordiv__ = _arith(lambda a, b: a // b)
    __mod__, __rmod__ = _arith(lambda a, b: a % b)
    __divmod__, __rdivmod__ = _arith(divmod)
    del _arith

    def _compare(op, number_answer):  # pylint: disable=no-self-argument
        def compare(self, other):
            if _is_number(other):
                return number_answer
            return op(str(self), other) if isinstance(other, str) else NotImplemented

        return compare

    __lt__ = _compare(str.__lt__, False)
    __le__ = _compare(str.__le__, False)
    __gt__ = _compare(str.__gt__, True)
    __ge__ = _compare(str.__ge__, True)
    del _compare

    def __eq__(self, other) -> bool:
        return str.__eq__(self, other) if isinstance(other, str) else False

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__

    def __format__(self, spec: str) -> str:
        try:
            return super().__format__(spec)
        except ValueError:
            return format(_NAN, spec)

    def __reduce__(self):
        return (NaType, ())

    def __copy__(self) -> NaType:
        return self

    def __deepcopy__(self, memo) -> NaType:
        return self


NA = NaType()
NotApplicable = NA
NotApplicableType = NaType

assert math.isnan(NA)


# ---- formatting: calls to libnvitop's formatters (include/nvitop/format.h) -------------------

_clib.declare('nvitop_bytes_to_human', ctypes.c_char_p, ctypes.c_int64, ctypes.c_int64,
              ctypes.c_char_p, ctypes.c_size_t)
_clib.declare('nvitop_human_to_bytes', ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int64))
_clib.declare('nvitop_duration_to_human', ctypes.c_char_p, ctypes.c_double, ctypes.c_bool,
              ctypes.c_char_p, ctypes.c_size_t)

SIZE_UNITS = {
    None: 1,
    '': 1,
    'B': 1,
    'KiB': KiB,
    'MiB': MiB,
    'GiB': GiB,
    'TiB': TiB,
    'PiB': PiB,
    'KB': 1000,
    'MB': 1000**2,
    'GB': 1000**3,
    'TB': 1000**4,
    'PB': 1000**5,
}
SIZE_PATTERN = re.compile(
    r'^\s*\+?\s*(?P<size>\d+(?:\.\d+)?)\s*(?P<unit>([KMGTP]i?)?)B?\s*$',
    flags=re.IGNORECASE,
)
_INT64_MAX = (1 << 63) - 1


def bytes2human(b: int | float | NaType, /, *, min_unit: int = 1) -> str:
    """'512B', '3KiB', '12.34MiB', '10466MiB', '79.65GiB', ... as nvitop writes sizes."""
    if b == NA:
        return NA
    if not isinstance(b, int):
        try:
            b = round(float(b))
        except ValueError:
            return NA
    if isinstance(b, bool) and min_unit < KiB:  # nvitop formats the object: 'TrueB'
        return f'{b}B'
    if b < 0:
        # libnvitop writes a negative size as N/A; nvitop's first matching row writes it in
        # the smallest allowed unit: only the bytes row is kept here (documented).
        if min_unit < KiB:
            return f'{b}B'
        return '-' + bytes2human(-b, min_unit=min_unit)
    if b > _INT64_MAX:  # beyond int64: nvitop's last row (PiB, 1 decimal)
        return f'{round(b / PiB, 1):.1f}PiB'
    buf = ctypes.create_string_buffer(64)
    return _clib.lib.nvitop_bytes_to_human(b, max(int(min_unit), 1), buf, len(buf)).decode()


def human2bytes(s: int | str, /) -> int:
    """'5GiB' -> 5368709120; 'i' means powers of 1024, none powers of 1000."""
    if isinstance(s, int):
        if s >= 0:
            return s
        raise ValueError(f'Cannot convert {s!r} to bytes.')
    match = SIZE_PATTERN.match(s)  # the accepted grammar (raises TypeError as nvitop's does)
    if match is None:
        raise ValueError(f'Cannot convert {s!r} to bytes.')
    out = ctypes.c_int64(0)
    if _clib.lib.nvitop_human_to_bytes(s.encode(), ctypes.byref(out)) != 0:
        raise ValueError(f'Cannot convert {s!r} to bytes.')
    return out.value


def timedelta2human(dt: int | float | datetime.timedelta | NaType, /, *, round: bool = False) -> str:  # noqa: A002 pylint: disable=redefined-builtin
    """'M:SS', 'H:MM:SS' or 'D.D days' as nvitop writes durations."""
    if isinstance(dt, (int, float)) and not isinstance(dt, NaType):
        seconds = float(dt)
    elif isinstance(dt, datetime.timedelta):
        seconds = dt.total_seconds()
    else:
        return NA
    if seconds < 0 or math.isnan(seconds):
        # QUIRK 10 fixed: nvitop wraps negative durations around ('-5' -> '59:55'); libnvitop
        # writes them as N/A.
        return NA
    buf = ctypes.create_string_buffer(64)
    return _clib.lib.nvitop_duration_to_human(seconds, bool(round), buf, len(buf)).decode()


def utilization2string(utilization: int | float | NaType, /) -> str:
    """5 -> '5%', 5.0 -> '5.0%', anything else -> NA."""
    if isinstance(utilization, NaType):
        return NA
    if isinstance(utilization, int):
        return f'{utilization}%'
    if isinstance(utilization, float):
        return f'{utilization:.1f}%'
    return NA


def boolify(string: str, /, default: Any = None) -> bool:
    """'true'/'yes'/'on'/'enabled'/'1' -> True; 'false'/'no'/'off'/'disabled'/'0' -> False."""
    if string.lower() in {'true', 'yes', 'on', 'enabled', '1'}:
        return True
    if string.lower() in {'false', 'no', 'off', 'disabled', '0'}:
        return False
    if default is not None:
        return bool(default)
    return bool(string)


try:
    COLOR: bool = sys.stdout.isatty()
except Exception:  # noqa: BLE001 pylint: disable=broad-except
    COLOR = False


def set_color(value: bool) -> None:
    """Forces colour on or off, for this process and its children (FORCE_COLOR / NO_COLOR)."""
    global COLOR  # pylint: disable=global-statement
    COLOR = bool(value)
    if COLOR:
        os.environ['FORCE_COLOR'] = '1'
        os.environ.pop('NO_COLOR', None)
    else:
        os.environ.pop('FORCE_COLOR', None)
        os.environ['NO_COLOR'] = '1'


def colored(text: str, /, color: str | None = None, on_color: str | None = None,
            attrs: Any = None) -> str:
    """termcolor.colored() when COLOR is set, else str(text)."""
    if COLOR:
        return termcolor.colored(text, color=color, on_color=on_color, attrs=attrs)
    return str(text)


# ---- Snapshot --------------------------------------------------------------------------------


class Snapshot:
    """A dict-like, attribute-style bag of values; missing keys are fetched lazily from `real`."""

    def __init__(self, real: Any, **items: Any) -> None:
        if 'timestamp' in items:  # what __setattr__ refuses, refused here too
            raise AttributeError(f"Cannot set attribute 'timestamp' of {self.__class__.__name__!r}")
        object.__setattr__(self, 'real', real)
        object.__setattr__(self, 'timestamp', time.time())
        self.__dict__.update(items)  # all keys at once: 100 snapshots of 26 keys each

    def __repr__(self) -> str:
        keys = set(self.__dict__.keys()).difference({'real', 'timestamp'})
        keys = ['real', *sorted(keys)]
        keyvals = []
        for key in keys:
            value = getattr(self, key)
            keyval = f'{key}={value!r}'
            if isinstance(value, Snapshot):
                keyval = keyval.replace('\n', '\n    ')
            keyvals.append(keyval)
        return '{}{}(\n    {},\n)'.format(
            self.real.__class__.__name__,
            self.__class__.__name__,
            ',\n    '.join(keyvals),
        )

    def __hash__(self) -> int:
        return hash((self.real, self.timestamp))

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattribute__(name)
        except AttributeError:
            attribute = getattr(self.real, name)
            if callable(attribute):
                attribute = attribute()
            setattr(self, name, attribute)
            return attribute

    def __setattr__(self, name: str, value: Any) -> None:
        if name in {'real', 'timestamp'}:
            raise AttributeError(f'Cannot set attribute {name!r} of {self.__class__.__name__!r}')
        super().__setattr__(name, value)

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self, key)
        except AttributeError as ex:
            raise KeyError(key) from ex

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, key, value)

    def __iter__(self):
        keys = set(self.__dict__.keys()).difference({'real', 'timestamp'})
        yield from (k for k in self.__dict__ if k in keys)

    def __contains__(self, key: object) -> bool:
        return key in self.__dict__ and key not in {'real', 'timestamp'}

    def keys(self) -> KeysView:
        """The stored keys (so dict(snapshot) and {**snapshot} work)."""
        return KeysView({k: None for k in self})


# ---- memoize_when_activated (behind Device.oneshot()) ----------------------------------------


def memoize_when_activated(method: Callable) -> Callable:
    """Memoises a method while obj._cache exists (psutil's idiom; keyed by method only)."""

    @functools.wraps(method)
    def wrapped(self, *args, **kwargs):
        try:
            ret = self._cache[method]  # pylint: disable=protected-access
        except AttributeError:
            return method(self, *args, **kwargs)
        except KeyError:
            ret = method(self, *args, **kwargs)
            try:
                self._cache[method] = ret  # pylint: disable=protected-access
            except AttributeError:
                pass
        return ret

    def cache_activate(obj) -> None:
        obj._cache = {}  # pylint: disable=protected-access

    def cache_deactivate(obj) -> None:
        try:
            del obj._cache  # pylint: disable=protected-access
        except AttributeError:
            pass

    wrapped.cache_activate = cache_activate
    wrapped.cache_deactivate = cache_deactivate
    return wrapped

