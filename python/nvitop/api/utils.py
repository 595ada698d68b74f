# SPDX-License-Identifier: Apache-2.0
"""NA, units and formatting helpers (nvitop.api.utils of nvitop 1.7).

The formatting rules themselves live in libnvitop (include/nvitop/format.h): these are calls.
"""

from __future__ import annotations

import math

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
        if isinstance(other, str):
            return str.__add__(self, other)
        return _NAN + other if _is_number(other) or isinstance(other, NaType) else NotImplemented

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
