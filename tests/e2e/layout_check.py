# SPDX-License-Identifier: Apache-2.0
"""The layout rules of nvitop 1.7 (spec sections 2.1-2.3, 3.1-3.4) checked on captured text.

    layout_check.py report DIR   files DIR/<name>.<T>.txt: `nvitop -1` at COLUMNS=T
                                 (<name> ending in -ascii: run with -U; in -nodev: no GPU)
    layout_check.py monitor DIR  files DIR/<W>.txt: the monitor's screen at W columns (full mode)

Prints one line per broken rule and exits 1 if there was any.
"""
import os
import sys
import unicodedata

UNICODE_BOX = set('╒╕╘╛═─│├┤┼╞╡╪╤╧┬┴╴')
FOREIGN_BOX = set('╔╗╚╝║┌┐└┘')
CLOSERS = set('│┤╕╡╛|+')
OPENERS = set('│├╒╞╘|+')
MARKS = ((20, '╴30s├'), (35, '╴60s├'), (66, '╴120s├'), (96, '╴180s├'), (126, '╴240s├'),
         (156, '╴300s├'))
errors = []


def width(line):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in line)


def error(where, what):
    errors.append(f'{where}: {what}')


def check_lines(where, lines, limit, ascii_only):
    """No line wider than `limit`; each framed line closed; box characters as nvitop's."""
    for n, line in enumerate(lines):
        at = f'{where} line {n}'
        if width(line) > limit:
            error(at, f'{width(line)} columns, more than {limit}: {line!r}')
        if ascii_only and any(ord(c) > 127 for c in line):
            error(at, f'not ASCII: {line!r}')
        if FOREIGN_BOX & set(line):
            error(at, f'box characters nvitop does not use: {line!r}')
        body = line.rstrip()
        if body and body[0] in OPENERS and body[-1] not in CLOSERS:
            error(at, f'frame not closed: {line!r}')


def check_report(path, name, t):
    ascii_only = '-ascii' in name
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')[1:-1]  # the date line aside
    tops = [i for i, line in enumerate(lines[:-1])
            if lines[i + 1].startswith(('│ NVITOP', '| NVITOP', '│ Processes:', '| Processes:'))]
    if len(tops) != 2:
        error(path, f'{len(tops)} box tops, want 2 (devices, processes)')
        return
    table_width = width(lines[tops[1]])  # W: the process table is W wide (spec 2.1)
    t = max(79, t)
    if '-nodev' in name:
        if table_width != 79:
            error(path, f'W = {table_width} without devices, want 79')
    elif not min(t, 140) <= table_width <= t:
        error(path, f'W = {table_width}, want max(min(preferred), min({t}, 140)) <= {t}')
    check_lines(path, lines, table_width, ascii_only)
    device_lines = lines[tops[0]:tops[1]]
    bars = any(' MEM: ' in line for line in device_lines[:-3])
    if bars != (table_width >= 100 and not '-nodev' in name):
        error(path, f'device bars {"drawn" if bars else "missing"} at W = {table_width}')
    split = any(' MBW: ' in line for line in device_lines)
    if split != (bars and table_width - 79 >= 44):
        error(path, f'MBW column {"drawn" if split else "missing"} at W = {table_width}')
    for n, line in enumerate(device_lines[:5]):  # the header: 79 columns at every width
        if width(line) != 79:
            error(f'{path} line {n}', f'header {width(line)} columns wide, want 79')
    want = table_width if bars else 79
    for n, line in enumerate(device_lines[5:-3], start=5):
        if line.startswith(('│', '├', '╞', '╘', '|', '+')) and width(line) != want:
            error(f'{path} line {n}', f'device line {width(line)} wide, want {want}')


def check_monitor(path, w):
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    check_lines(path, lines, w, False)
    text = '\n'.join(lines)
    if w < 79:
        want = 'nvitop needs at least a width of 79 to render, the current width is'
        if '╒' not in text or '╛' not in text or want.split()[0] not in text:
            error(path, "no ╒═╕ box saying the terminal is too narrow")
        return
    if ('0 │ MEM: ' in text) != (w >= 100):
        error(path, 'device bars drawn' if w < 100 else 'device bars missing')
    if ('│ MBW: ' in text) != (w >= 123):
        error(path, 'MBW column drawn' if w < 123 else 'MBW column missing')
    axis = [line for line in lines if line.startswith('├────────────╴120s├')]
    if len(axis) != 1:
        error(path, 'no time axis in the host panel')
        return
    for offset, mark in MARKS:
        if w >= 100 and offset <= w - 79:
            x = w - offset
            if axis[0][x:x + len(mark)] != mark:
                error(path, f'time mark {mark} broken: {axis[0]!r}')


def main():
    kind, folder = sys.argv[1], sys.argv[2]
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if kind == 'report':
            name, columns, _ = entry.rsplit('.', 2)
            check_report(path, name, int(columns))
        else:
            check_monitor(path, int(entry.split('.')[0]))
    for line in errors[:40]:
        print(line)
    if errors:
        print(f'{len(errors)} broken rules')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
