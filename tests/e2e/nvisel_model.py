#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""An independent model of Python nvitop 1.7's nvisel, the oracle of test_nvisel_model.sh.

usage: nvisel_model.py SNAPSHOT.json [--python-lost] -- [nvisel options...]
       nvisel_model.py SNAPSHOT.json --batch CASES OUTDIR

CASES has one set of nvisel options per line (shell words); case N's stdout, stderr and exit
code go to OUTDIR/N.out, N.err and N.rc.

SNAPSHOT.json is what `nvitop --json` printed for the same scenario: the values libnvitop
reads (tested on their own), from which this model selects the way nvitop's select_devices()
does, in Python, with nvitop's NA object: a str singleton that is greater than every number and
turns into NaN in arithmetic, so the sort key (not isnan(x), -x) behaves exactly as in nvitop
(N/A first; two unknown memory values compare as two distinct NaN objects). It prints the ids
on stdout, the CUDA_VISIBLE_DEVICES="..." line on stderr and exits 0 or 4, as nvisel.

A GPU that NVML reports lost is left out, as our nvisel does on purpose (Python nvitop keeps it
with N/A values); --python-lost keeps it, to show that difference. --inherit is not modelled.
"""

import argparse
import json
import math
import sys


class NaType(str):
    """nvitop's NA: 'N/A', greater than any number, NaN in arithmetic."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls, 'N/A')
        return cls._instance

    def __float__(self):
        return math.nan

    def __add__(self, other):
        if isinstance(other, (int, float)) or other is NA:
            return float(self) + (0 if other is NA else other)
        return super().__add__(other)

    def __radd__(self, other):
        if isinstance(other, (int, float)):
            return other + float(self)
        return NotImplemented

    def __sub__(self, other):
        if isinstance(other, (int, float)):
            return float(self) - other
        return NotImplemented

    def __rsub__(self, other):
        if isinstance(other, (int, float)):
            return other - float(self)
        return NotImplemented

    def __neg__(self):
        return -float(self)

    def __lt__(self, x):
        return False if isinstance(x, (int, float)) else super().__lt__(x)

    def __le__(self, x):
        return False if isinstance(x, (int, float)) else super().__le__(x)

    def __gt__(self, x):
        return True if isinstance(x, (int, float)) else super().__gt__(x)

    def __ge__(self, x):
        return True if isinstance(x, (int, float)) else super().__ge__(x)

    __hash__ = str.__hash__


NA = NaType()


def value(x):
    return NA if x is None else x


class Leaf:
    def __init__(self, entry, parent_index, is_mig):
        self.is_mig_device = is_mig
        self.physical_index = parent_index
        self.mig_index = entry.get('mig_index')
        self.index = (parent_index, self.mig_index) if is_mig else parent_index
        self.uuid = value(entry.get('uuid'))
        self.memory_free = value(entry.get('memory_free_bytes'))
        self.memory_used = value(entry.get('memory_used_bytes'))
        self.memory_total = value(entry.get('memory_total_bytes'))
        self.gpu_utilization = value(entry.get('gpu_utilization_percent'))
        self.memory_utilization = value(entry.get('memory_utilization_percent'))
        self.lost = entry.get('unavailable', {}).get('memory_total_bytes') == 'GPU is lost'
        self.key = f'{parent_index}:{self.mig_index}' if is_mig else str(parent_index)
        self.loosen_constraints = 0


def leaves(doc, keep_lost):
    out = []
    for dev in doc['devices']:
        if dev.get('mig_mode') == 1:
            out.extend(Leaf(m, dev['physical_index'], True) for m in dev.get('mig_devices') or [])
            continue
        leaf = Leaf(dev, dev['physical_index'], False)
        if keep_lost or not leaf.lost:
            out.append(leaf)
    return out


def human2bytes(s):
    import re

    m = re.match(r'^\s*\+?\s*(\d+(?:\.\d+)?)\s*([KMGTP]i?B?|B?)\s*$', s, flags=re.IGNORECASE)
    if m is None:
        raise ValueError(s)
    size, unit = m.groups()
    unit = unit.upper().replace('I', 'i').replace('B', '') + 'B'
    units = {'B': 1, 'KiB': 1 << 10, 'MiB': 1 << 20, 'GiB': 1 << 30, 'TiB': 1 << 40,
             'PiB': 1 << 50, 'KB': 10**3, 'MB': 10**6, 'GB': 10**9, 'TB': 10**12, 'PB': 10**15}
    return int(float(size) * units[unit])


def non_negint(s):
    n = int(s)
    if n < 0:
        raise ValueError(s)
    return n


def select(devices, processes, args):
    tolerance = args.tolerance / 100.0
    min_count, max_count = args.min_count, args.max_count
    fmt = args.format
    if max_count is not None and max_count == 0:
        return [], fmt
    free_accounts = set(args.free_accounts or [])
    if free_accounts:
        for d in devices:
            as_free = 0
            for p in processes.get(d.key, []):
                if value(p['host'].get('username')) in free_accounts:
                    as_free += value(p.get('gpu_memory_bytes'))
            d.memory_free += as_free
            d.memory_used -= as_free

    def filter_func(criteria, original):
        def wrapped(d):
            d.loosen_constraints += int(not original(d))
            return criteria(d)

        return wrapped

    avail = devices
    if args.min_free_memory is not None:
        loose = args.min_free_memory * (1.0 - tolerance)
        avail = filter(filter_func(lambda d: d.memory_free >= loose,
                                   lambda d: d.memory_free >= args.min_free_memory), avail)
    if args.min_total_memory is not None:
        loose_t = args.min_total_memory * (1.0 - tolerance)
        avail = filter(filter_func(lambda d: d.memory_total >= loose_t,
                                   lambda d: d.memory_total >= args.min_total_memory), avail)
    if args.max_gpu_utilization is not None:
        loose_g = args.max_gpu_utilization + 100.0 * tolerance
        avail = filter(filter_func(lambda d: d.gpu_utilization <= loose_g,
                                   lambda d: d.gpu_utilization <= args.max_gpu_utilization),
                       avail)
    if args.max_memory_utilization is not None:
        loose_m = args.max_memory_utilization + 100.0 * tolerance
        avail = filter(filter_func(lambda d: d.memory_utilization <= loose_m,
                                   lambda d: d.memory_utilization <= args.max_memory_utilization),
                       avail)
    avail = list(avail)
    if args.sort:
        avail.sort(key=lambda d: (
            d.loosen_constraints,
            (not math.isnan(d.memory_free), -d.memory_free),
            (not math.isnan(d.memory_used), -d.memory_used),
            (not math.isnan(d.gpu_utilization), d.gpu_utilization),
            (not math.isnan(d.memory_utilization), d.memory_utilization),
            -d.physical_index,
        ))
    if any(d.is_mig_device for d in avail):
        non_mig = [d for d in avail if not d.is_mig_device]
        mig = [d for d in avail if d.is_mig_device]
        if len(non_mig) >= min_count > 0 or not avail[0].is_mig_device:
            avail = non_mig
        else:
            avail = mig[:1]
            if fmt == 'index':
                fmt = 'uuid'
    avail = avail[:max_count]
    return avail, fmt


def run(doc, keep_lost, nvisel_args, out, err):
    p = argparse.ArgumentParser(prog='nvisel')
    p.add_argument('--account-as-free', dest='free_accounts', nargs='*')
    p.add_argument('--min-count', '-c', type=non_negint, default=0)
    p.add_argument('--max-count', '-C', type=non_negint, default=None)
    p.add_argument('--count', '-n', type=non_negint)
    p.add_argument('--min-free-memory', '-f', type=human2bytes)
    p.add_argument('--min-total-memory', '-t', type=human2bytes)
    p.add_argument('--max-gpu-utilization', '-G', type=non_negint)
    p.add_argument('--max-memory-utilization', '-M', type=non_negint)
    p.add_argument('--tolerance', '--tol', type=non_negint, default=10)
    p.add_argument('--format', '-O', choices=('index', 'uuid'), default='index')
    g = p.add_mutually_exclusive_group()
    g.add_argument('--sep', '--separator', '-s', default=',')
    g.add_argument('--newline', action='store_true')
    g.add_argument('--null', '-0', action='store_true')
    p.add_argument('--no-sort', '-S', dest='sort', action='store_false')
    args = p.parse_args(nvisel_args)
    if args.count is not None:
        args.min_count = args.max_count = args.count
    if args.max_count is not None and args.max_count < args.min_count:
        raise RuntimeError('Max count must be no less than min count.')
    if args.newline:
        args.sep = '\n'
    elif args.null:
        args.sep = '\0'
    if args.free_accounts is not None and not args.free_accounts:
        import getpass

        args.free_accounts.append(getpass.getuser())

    processes = {}
    for proc in doc.get('processes', []):
        processes.setdefault(str(proc['device_index']), []).append(proc)
    chosen, fmt = select(leaves(doc, keep_lost), processes, args)
    ids = [str(d.uuid) if fmt == 'uuid' else str(d.index) for d in chosen]
    err.write('CUDA_VISIBLE_DEVICES="{}"\n'.format(','.join(ids)))
    out.write(args.sep.join(ids) + ('\0' if args.sep == '\0' else '\n'))
    return 4 if len(ids) < args.min_count else 0


def main():
    argv = sys.argv[1:]
    doc = json.load(open(argv[0]))
    if argv[1] == '--batch':
        import shlex

        for n, line in enumerate(open(argv[2]).read().split('\n')[:-1]):
            with open(f'{argv[3]}/{n}.out', 'w', newline='') as out, \
                 open(f'{argv[3]}/{n}.err', 'w') as err:
                rc = run(doc, False, shlex.split(line), out, err)
            with open(f'{argv[3]}/{n}.rc', 'w') as f:
                f.write(f'{rc}\n')
        return 0
    sep_at = argv.index('--')
    return run(doc, '--python-lost' in argv[:sep_at], argv[sep_at + 1:], sys.stdout, sys.stderr)


if __name__ == '__main__':
    sys.exit(main())
