#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Records the expected outputs of the differential scripts (tests/python/differential/*.py) from
# nvitop 1.7 itself, on the NVML simulator: tests/python/differential/expected/<script>.<scenario>.txt.
# tests/python/test_differential.py then runs each script on this package and compares.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: NVITOP17_SRC=DIR PYNVML_SRC=DIR scripts/py-diff.sh [--compare] [BUILD_DIR]

Runs every tests/python/differential/*.py script, on each scenario its "# scenarios:" line
names (frozen: _frozen.py), under nvitop 1.7 with Debian's python3 and python3-psutil, and
writes what it prints to tests/python/differential/expected/.
  BUILD_DIR     the CMake build directory (default: build): the simulator libnvidia-ml.so.1
                and libcuda.so.1 stand-in
  --compare     record nothing: run both nvitop 1.7 and this package and print the differences
Environment:
  NVITOP17_SRC  a checkout of nvitop 1.7 (the directory holding nvitop/; e.g.
                git archive v1.7.0 of github.com/XuehaiPan/nvitop)
  PYNVML_SRC    pynvml: a directory holding pynvml.py (nvidia-ml-py) or pynvml/nvml.py
                (github.com/gpuopenanalytics/pynvml 11.5.x)
  PY_DIFF_PYTHON  the interpreter (default: /usr/bin/python3)
USAGE
}

die() {
    echo "py-diff: $*" >&2
    exit 1
}

compare=0
case ${1:-} in
-h | --help) usage; exit 0 ;;
--compare) compare=1; shift ;;
esac
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$root/build}" 2>/dev/null && pwd) || die "no build directory ${1:-build}"
python=${PY_DIFF_PYTHON:-/usr/bin/python3}
[[ -n ${NVITOP17_SRC:-} && -d $NVITOP17_SRC/nvitop/api ]] || die "set NVITOP17_SRC to a nvitop 1.7 checkout"
[[ -n ${PYNVML_SRC:-} ]] || die "set PYNVML_SRC to a pynvml checkout"
[[ -f $build/sim/libnvidia-ml.so.1 ]] || die "$build/sim/libnvidia-ml.so.1 is missing: run 'make build'"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nvitop-py-diff.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# nvitop 1.7 imports `pynvml` as one module (nvidia-ml-py's pynvml.py): give it that.
mkdir -p "$tmp/pynvml"
if [[ -f $PYNVML_SRC/pynvml.py ]]; then
    ln -s "$(cd "$PYNVML_SRC" && pwd)/pynvml.py" "$tmp/pynvml/pynvml.py"
elif [[ -f $PYNVML_SRC/pynvml/nvml.py ]]; then
    ln -s "$(cd "$PYNVML_SRC" && pwd)/pynvml/nvml.py" "$tmp/pynvml/pynvml.py"
else
    die "no pynvml.py nor pynvml/nvml.py in $PYNVML_SRC"
fi
reference=$(cd "$NVITOP17_SRC" && pwd):$tmp/pynvml
dir=$root/tests/python/differential
mkdir -p "$dir/expected"

# run WHICH SCRIPT SCENARIO_JSON: the script's stdout and its exit status, as the test compares.
run() {
    local status=0
    if [[ $1 == reference ]]; then
        (cd "$tmp" && env -u CUDA_VISIBLE_DEVICES -u LOGLEVEL -u NVITOP_LIBRARY PYTHONPATH="$reference" \
            LD_LIBRARY_PATH="$build/sim:$build/sim/cuda" NVML_SIM_SCENARIO="$3" \
            PYTHONDONTWRITEBYTECODE=1 "$python" "$2" 2>/dev/null) || status=$?
    else
        (cd "$tmp" && env -u CUDA_VISIBLE_DEVICES -u LOGLEVEL PYTHONPATH="$root/python" \
            NVITOP_LIBRARY="$build/src/libnvitop.so" NVITOP_NVML_LIBRARY="$build/sim/libnvidia-ml.so.1" \
            NVITOP_CUDA_LIBRARY="$build/sim/cuda/libcuda.so.1" NVML_SIM_SCENARIO="$3" \
            PYTHONDONTWRITEBYTECODE=1 "$python" "$2" 2>/dev/null) || status=$?
    fi
    echo "exit status $status"
}

differ=0
for script in "$dir"/[!_]*.py; do
    name=$(basename "$script" .py)
    scenarios=$(sed -n 's/^# scenarios: //p' "$script")
    [[ -n $scenarios ]] || die "$script has no '# scenarios:' line"
    for scenario in $scenarios; do
        "$python" "$dir/_frozen.py" "$root/sim/scenarios/$scenario.json" "$tmp/$scenario.json"
        if ((compare)); then
            run reference "$script" "$tmp/$scenario.json" >"$tmp/ref.txt"
            run ours "$script" "$tmp/$scenario.json" >"$tmp/ours.txt"
            if diff -u --label "nvitop-1.7/$name.$scenario" --label "ours/$name.$scenario" \
                "$tmp/ref.txt" "$tmp/ours.txt"; then
                echo "same: $name.$scenario"
            else
                differ=1
            fi
        else
            run reference "$script" "$tmp/$scenario.json" >"$dir/expected/$name.$scenario.txt"
            echo "recorded: expected/$name.$scenario.txt"
        fi
    done
done
exit "$differ"
