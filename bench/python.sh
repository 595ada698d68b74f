#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The cost of the Python API (python/nvitop over libnvitop) on the simulator's 8-GPU /
# 100-process scenario (measured H100 latencies): `import nvitop`, Device.all() plus every
# query of every GPU, one take_snapshots(), one ResourceMetricCollector sample. Prints a table
# with the targets of issue 15; a row whose API is not there yet says n/a. See docs/python.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/python.sh [BUILD_DIR]

Runs bench/python_api.py in fresh python3 processes over BUILD_DIR's libnvitop and the source
tree's python/nvitop, on the NVML simulator.
  BUILD_DIR   the CMake build directory (default: build)
Environment:
  BENCH_RUNS      measured runs per row (default 20); import: that many fresh processes
  BENCH_SCENARIO  the simulator scenario (default: sim/scenarios/node-8gpu-100proc.json)
  BENCH_PYTHON    the interpreter (default: /usr/bin/python3, Debian's)
EOF
}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case ${1:-} in -h | --help) usage; exit 0 ;; esac
bench_dirs "${1:-build}"
lib=$build/src/libnvitop.so
[[ -f $lib ]] || die "$lib is missing: run 'make build'"
bench_need_sim
python=${BENCH_PYTHON:-/usr/bin/python3}
[[ -x $python ]] || die "no python3 at $python (set BENCH_PYTHON)"
runs=${BENCH_RUNS:-20}
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, not '$runs'"
scenario=${BENCH_SCENARIO:-$root/sim/scenarios/node-8gpu-100proc.json}
[[ -f $scenario ]] || die "no scenario $scenario"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nvitop-bench-python.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export NVITOP_LIBRARY=$lib PYTHONPATH=$root/python NVITOP_NVML_LIBRARY=$simlib
export NVML_SIM_SCENARIO=$scenario PYTHONDONTWRITEBYTECODE=1
unset CUDA_VISIBLE_DEVICES NVITOP_CUDA_LIBRARY

# row RUNS CALLS_FILE: one python_api.py process (from $tmp: no source dir on sys.path).
row() {
    (cd "$tmp" && NVML_SIM_CALLS=$3 "$python" "$root/bench/python_api.py" "$1" "$2")
}

"$python" -c 'pass' # warm the interpreter's files
for ((i = 0; i < runs; i++)); do
    row import 0 "$tmp/calls.import" >>"$tmp/import.jsonl"
done
for name in queries snapshots collector; do
    row "$name" "$runs" "$tmp/calls.$name" >"$tmp/$name.jsonl"
    row "$name" 0 "$tmp/calls0.$name" >/dev/null # the setup's calls, subtracted
done

"$python" - "$tmp" "$runs" "$scenario" <<'EOF'
import json, os, statistics, sys

tmp, runs, scenario = sys.argv[1], int(sys.argv[2]), os.path.basename(sys.argv[3])


def calls(path):
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    data = data.get('calls', data) if isinstance(data, dict) else {}
    return sum(v for v in data.values() if isinstance(v, int))


def load(name):
    rows = [json.loads(l) for l in open(os.path.join(tmp, f'{name}.jsonl')) if l.strip()]
    if any('na' in r for r in rows):
        return None, next(r['na'] for r in rows if 'na' in r)
    return ([w for r in rows for w in r['wall']], [c for r in rows for c in r['cpu']]), None


ROWS = [
    ('import', 'import nvitop', '< 50 ms'),
    ('queries', 'Device.all() + every query', '>= 10x under nvitop 1.7'),
    ('snapshots', 'take_snapshots()', '>= 10x under nvitop 1.7'),
    ('collector', 'collector sample', '>= 10x under nvitop 1.7'),
]
head = ('what', 'first ms', 'median ms', 'max ms', 'cpu ms', 'NVML calls', 'target')
lines = []
for key, label, target in ROWS:
    data, why = load(key)
    if data is None:
        lines.append((label, 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', target))
        print(f'{label}: n/a ({why})', file=sys.stderr)
        continue
    wall, cpu = data
    rest = wall[1:] or wall
    n = '-'
    if key != 'import':
        total, base = calls(f'{tmp}/calls.{key}'), calls(f'{tmp}/calls0.{key}')
        if total is not None:  # no file: the process never loaded NVML
            n = f'{(total - (base or 0)) / len(wall):.0f}'
    lines.append((label, f'{wall[0]:.2f}', f'{statistics.median(rest):.2f}', f'{max(rest):.2f}',
                  f'{statistics.median(cpu):.2f}', n, target))
widths = [max(len(r[i]) for r in [head] + lines) for i in range(len(head))]
print(f'Python API on {scenario}, {runs} runs (import: {runs} fresh processes); first = the '
      'first call of a process (NVML init), median/max over the others')
for r in [head] + lines:
    print('  '.join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
print('nvitop 1.7 is not installable here (no PyPI): its column is left to a machine that has it.')
EOF
