# SPDX-License-Identifier: Apache-2.0
"""Writes a copy of a simulator scenario with every moving value frozen at its first step.

A scenario value may be {"seq": [...], "step_s": s}: the value of second t since nvmlInit
(docs/simulator.md). nvitop 1.7 and this package take different times to get there, so the
differential scripts (tests/python/differential/) run on frozen copies: same values for both.
Usage: python3 _frozen.py SCENARIO.json OUT.json
"""

import json
import sys


def frozen(value):
    if isinstance(value, dict):
        if 'seq' in value and isinstance(value['seq'], list) and value['seq']:
            return frozen(value['seq'][0])
        return {key: frozen(item) for key, item in value.items()}
    if isinstance(value, list):
        return [frozen(item) for item in value]
    return value


def main(source, target):
    with open(source, encoding='utf-8') as file:
        data = json.load(file)
    with open(target, 'w', encoding='utf-8') as file:
        json.dump(frozen(data), file, indent=1)


if __name__ == '__main__':
    main(*sys.argv[1:3])
