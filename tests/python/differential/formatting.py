# SPDX-License-Identifier: Apache-2.0
# Differential script: the formatting helpers, NA arithmetic and comparisons, Snapshot.
# scenarios: rtx4090-idle
import math
import operator

from nvitop import (NA, NaType, Snapshot, boolify, bytes2human, colored, human2bytes,
                    timedelta2human, utilization2string)


def show(label, func, *args, **kwargs):
    try:
        value = repr(func(*args, **kwargs))
    except Exception as ex:  # noqa: BLE001
        value = f'raises {type(ex).__name__}: {ex}'
    print(f'{label}: {value}')


for b in [0, 1, 1023, 1024, 1025, 1536, 10 * 1024, 1048575, 1048576, 5 * 1024**3, 1000 * 1024**3,
          123456789012, 2**50, 2**60, 3.7, 1024.0, NA, 'abc', None, True]:
    show(f'bytes2human({b!r})', bytes2human, b)
    show(f'bytes2human({b!r}, min_unit=MiB)', bytes2human, b, min_unit=1024**2)
for text in ['1KiB', '1 KiB', '1.5GiB', '2MB', '10', '10B', '1kb', 'abc', '', '3TiB', '1.5 MiB', 1024,
             NA, '-1KiB']:
    show(f'human2bytes({text!r})', human2bytes, text)
for seconds in [0, 1, 59, 61, 3599, 3600, 3661, 86399, 86400, 90061, 200000, 1.5, NA, 'x']:
    show(f'timedelta2human({seconds!r})', timedelta2human, seconds)
for u in [0, 5, 55.5, 100, 101, NA, 'N/A', None]:
    show(f'utilization2string({u!r})', utilization2string, u)
for v in ['yes', 'no', 'true', 'false', '1', '0', 'on', 'off', 'y', 'n', 'x', '', None, 1, 0]:
    show(f'boolify({v!r})', boolify, v)
    show(f'boolify({v!r}, default=True)', boolify, v, default=True)
show('colored', colored, 'text', 'red', attrs=('bold',))

# NA
print(repr(NA), str(NA), NA == 'N/A', NA == NA, NA is NaType(), bool(NA), len(NA), hash(NA) == hash('N/A'))
show('float(NA)', float, NA)
show('int(NA)', int, NA)
show('math.isnan(float(NA))', lambda: math.isnan(float(NA)))
for op in ['add', 'sub', 'mul', 'truediv', 'floordiv', 'mod', 'pow', 'lt', 'le', 'gt', 'ge', 'eq', 'ne']:
    for other in [1, 1.5, NA, 'a']:
        show(f'NA {op} {other!r}', getattr(operator, op), NA, other)
        show(f'{other!r} {op} NA', getattr(operator, op), other, NA)
show('-NA', operator.neg, NA)
show('+NA', operator.pos, NA)
show('abs(NA)', abs, NA)
show('round(NA)', round, NA)
show('round(NA, 1)', round, NA, 1)
show('divmod(NA, 2)', divmod, NA, 2)
show('NA + "x"', lambda: NA + 'x')
show('format(NA, ">5")', format, NA, '>5')
show('f"{NA:5}"', lambda: f'{NA:5}')
show('f"{NA:.1f}"', lambda: f'{NA:.1f}')
show('sorted', sorted, [3, NA, 1.0, 2], key=lambda x: (x is NA, x))
show('max(1, NA)', max, 1, NA)
show('min(NA, 1)', min, NA, 1)

s = Snapshot(object(), a=1, b=NA)
show('Snapshot.a', lambda: s.a)
show('Snapshot.b', lambda: s.b)
show('Snapshot["a"]', lambda: s['a'])
show('Snapshot.missing', lambda: s.missing)
show('list(Snapshot)', lambda: list(s))
show('Snapshot keys', lambda: sorted(s.keys()))
