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
  BENCH_NO_LATENCY=1  run on a copy of the scenario without its driver latencies (latency_us):
                  the cost of the Python layers alone, not of the driver
  NVITOP17_SRC, PYNVML_SRC  a nvitop 1.7 checkout and a pynvml one (as scripts/py-diff.sh
                  takes them): every row is measured on nvitop 1.7 too (its pynvml over the same
                  simulator), with the ratio nvitop 1.7 / ours
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
if [[ ${BENCH_NO_LATENCY:-0} == 1 ]]; then
    "$python" -c 'import json, sys; d = json.load(open(sys.argv[1])); d.pop("latency_us", None); json.dump(d, open(sys.argv[2], "w"))' \
        "$scenario" "$tmp/no-latency-$(basename "$scenario")"
    scenario=$tmp/no-latency-$(basename "$scenario")
fi

# Bytecode compiled once into $tmp (an installed wheel has its .pyc files): import measures
# loading, not compiling, for both packages; the source tree stays clean.
export NVML_SIM_SCENARIO=$scenario PYTHONPYCACHEPREFIX=$tmp/pycache
unset PYTHONDONTWRITEBYTECODE
unset CUDA_VISIBLE_DEVICES NVITOP_CUDA_LIBRARY

# nvitop 1.7 (optional): its package, and pynvml as one module `pynvml` (nvidia-ml-py's form).
reference=
if [[ -n ${NVITOP17_SRC:-} || -n ${PYNVML_SRC:-} ]]; then
    [[ -d ${NVITOP17_SRC:-}/nvitop/api ]] || die "NVITOP17_SRC is not a nvitop 1.7 checkout"
    mkdir -p "$tmp/pynvml"
    if [[ -f ${PYNVML_SRC:-}/pynvml.py ]]; then
        ln -s "$(cd "$PYNVML_SRC" && pwd)/pynvml.py" "$tmp/pynvml/pynvml.py"
    elif [[ -f ${PYNVML_SRC:-}/pynvml/nvml.py ]]; then
        ln -s "$(cd "$PYNVML_SRC" && pwd)/pynvml/nvml.py" "$tmp/pynvml/pynvml.py"
    else
        die "PYNVML_SRC holds no pynvml.py nor pynvml/nvml.py"
    fi
    reference=$(cd "$NVITOP17_SRC" && pwd):$tmp/pynvml
fi

# row SIDE NAME RUNS CALLS_FILE: one python_api.py process (from $tmp: no source dir on
# sys.path); SIDE ref: nvitop 1.7, which loads the simulator as libnvidia-ml.so.1.
row() {
    if [[ $1 == ref ]]; then
        (cd "$tmp" && PYTHONPATH=$reference LD_LIBRARY_PATH=$build/sim NVML_SIM_CALLS=$4 \
            "$python" "$root/bench/python_api.py" "$2" "$3" 2>/dev/null)
    else
        (cd "$tmp" && NVML_SIM_CALLS=$4 "$python" "$root/bench/python_api.py" "$2" "$3")
    fi
}

"$python" -c 'pass' # warm the interpreter's files
(cd "$tmp" && "$python" -c 'import nvitop') # compile ours
if [[ -n $reference ]]; then
    (cd "$tmp" && PYTHONPATH=$reference LD_LIBRARY_PATH=$build/sim "$python" -c 'import nvitop' 2>/dev/null)
fi
for side in ours ${reference:+ref}; do
    pre=${side#ours}
    for ((i = 0; i < runs; i++)); do
        row "$side" import 0 "$tmp/${pre}calls.import" >>"$tmp/${pre}import.jsonl"
    done
    for name in queries snapshots collector; do
        row "$side" "$name" "$runs" "$tmp/${pre}calls.$name" >"$tmp/${pre}$name.jsonl"
        row "$side" "$name" 0 "$tmp/${pre}calls0.$name" >/dev/null # the setup's calls, subtracted
    done
done

"$python" - "$tmp" "$runs" "$scenario" <<'PY'
import json, os, statistics, sys

tmp, runs, scenario = sys.argv[1], int(sys.argv[2]), os.path.basename(sys.argv[3])
reference = os.path.exists(os.path.join(tmp, 'refimport.jsonl'))


def calls(path):
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    data = data.get('calls', data) if isinstance(data, dict) else {}
    return sum(v for v in data.values() if isinstance(v, int))


def load(name):
    path = os.path.join(tmp, f'{name}.jsonl')
    rows = [json.loads(l) for l in open(path) if l.strip()] if os.path.exists(path) else []
    if not rows:
        return None, 'no output'
    if any('na' in r for r in rows):
        return None, next(r['na'] for r in rows if 'na' in r)
    return ([w for r in rows for w in r['wall']], [c for r in rows for c in r['cpu']]), None


def per_call(prefix, key, n):
    total, base = calls(f'{tmp}/{prefix}calls.{key}'), calls(f'{tmp}/{prefix}calls0.{key}')
    if key == 'import' or total is None:  # no file: the process never loaded NVML
        return '-'
    return f'{(total - (base or 0)) / n:.0f}'


def typical(key, wall):
    # import: one figure per fresh process, the median of all; others: the median after the first
    return statistics.median(wall if key == 'import' else (wall[1:] or wall))


ROWS = [
    ('import', 'import nvitop', '< 50 ms'),
    ('queries', 'Device.all() + every query', '>= 10x under nvitop 1.7'),
    ('snapshots', 'take_snapshots()', '>= 10x under nvitop 1.7'),
    ('collector', 'collector sample', '>= 10x under nvitop 1.7'),
]
head = ('what', 'first ms', 'median ms', 'max ms', 'cpu ms', 'NVML calls', 'target')
if reference:
    head += ('1.7 first ms', '1.7 median ms', '1.7 cpu ms', '1.7 NVML calls', '1.7/ours')
lines = []
for key, label, target in ROWS:
    data, why = load(key)
    if data is None:
        lines.append((label,) + ('n/a',) * 5 + (target,) + ('n/a',) * (5 * reference))
        print(f'{label}: n/a ({why})', file=sys.stderr)
        continue
    wall, cpu = data
    rest = wall[1:] or wall
    line = (label, f'{wall[0]:.2f}', f'{typical(key, wall):.2f}',
            f'{max(wall if key == "import" else rest):.2f}',
            f'{statistics.median(cpu):.2f}', per_call('', key, len(wall)), target)
    if reference:
        ref, why = load('ref' + key)
        if ref is None:
            line += ('n/a',) * 5
            print(f'{label} on nvitop 1.7: n/a ({why})', file=sys.stderr)
        else:
            ratio = typical(key, ref[0]) / typical(key, wall)
            line += (f'{ref[0][0]:.2f}', f'{typical(key, ref[0]):.2f}',
                     f'{statistics.median(ref[1]):.2f}', per_call('ref', key, len(ref[0])),
                     f'{ratio:.1f}x')
    lines.append(line)
widths = [max(len(r[i]) for r in [head] + lines) for i in range(len(head))]
print(f'Python API on {scenario}, {runs} runs (import: {runs} fresh processes); first = the '
      'first call of a process (NVML init), median/max over the others (import: over all)')
for r in [head] + lines:
    print('  '.join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
if not reference:
    print('nvitop 1.7 not measured: set NVITOP17_SRC and PYNVML_SRC for its columns and the ratio.')
PY
