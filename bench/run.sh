#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The cost of `nvitop -1`, `nvitop --json` and `nvisel`: wall time, CPU time, peak RSS and NVML
# calls, on the simulator's 1-, 8- and 64-GPU scenarios (measured H100 latencies) or, with
# --real, on the NVIDIA driver of this machine; beside bare C programs that read the same values
# (bench/bare_report.c, bench/bare_select.c). See docs/performance.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/run.sh [--real] [BUILD_DIR]

Measures `nvitop -1` (80 and 200 columns), `nvitop --json` and bench/bare_report (the same NVML
calls and /proc reads in a bare C program), `nvisel`, `nvisel -i` (CUDA's order through the
libcuda stand-in, or the real driver) and bench/bare_select (nvisel's NVML calls in a bare C
program), and prints one table row per command and scenario.
  BUILD_DIR   the CMake build directory holding src/nvitop (default: build)
  --real      use this machine's NVIDIA driver instead of the simulator; adds Python nvitop
              (python3 -m nvitop, python3 -m nvitop.select) when it is importable
Environment:
  BENCH_RUNS       measured runs per row (default 20), after one warm-up run
  BENCH_RUNS_64    runs per row on the 64-GPU scenario (default: BENCH_RUNS)
  BENCH_SCENARIOS  which simulator scenarios, among "1 8 64" (default: all three)
  CC               the C compiler for the two helpers (default: cc)
EOF
}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mode=sim
build=
while (($#)); do
    case $1 in
    --real) mode=real ;;
    -h | --help)
        usage
        exit 0
        ;;
    -*) die "unknown option '$1' (see bench/run.sh --help)" ;;
    *)
        [[ -z $build ]] || die "one build directory only (got '$build' and '$1')"
        build=$1
        ;;
    esac
    shift
done
build=${build:-build}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[[ -d $build ]] || die "build directory '$build' not found: run 'make build' first, or pass the build directory"
build=$(cd "$build" && pwd)
nvitop=$build/src/nvitop
nvisel=$build/src/nvisel
simlib=$build/sim/libnvidia-ml.so.1
cudalib=$build/sim/cuda/libcuda.so.1
[[ -x $nvitop ]] || die "$nvitop is missing: run 'make build' (or 'cmake --build $build') first"
[[ -x $nvisel ]] || die "$nvisel is missing: run 'make build' (or 'cmake --build $build') first"
if [[ $mode == sim ]]; then
    [[ -f $simlib ]] || die "$simlib (the NVML simulator) is missing: run 'make build' first"
fi
command -v python3 >/dev/null || die "python3 is needed to print the table"
cc=${CC:-cc}
command -v "$cc" >/dev/null || die "no C compiler '$cc' to build the bench helpers (set CC)"

runs=${BENCH_RUNS:-20}
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, not '$runs'"
runs64=${BENCH_RUNS_64:-$runs} # 64 GPUs: ~0.5 s a round; fewer runs move its medians a lot
[[ $runs64 =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS_64 must be a positive integer, not '$runs64'"
which_scenarios=${BENCH_SCENARIOS:-1 8 64}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nvitop-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The helpers are built here, not by CMake, into BUILD_DIR/bench, when missing or out of date.
mkdir -p "$build/bench"
helper() { # name, extra link flags...
    local name=$1 src=$root/bench/$1.c bin=$build/bench/$1
    shift
    if [[ ! -x $bin || $src -nt $bin || ${BASH_SOURCE[0]} -nt $bin ]]; then
        "$cc" -std=c11 -O2 -Wall -Wextra -o "$tmp/$name" "$src" "$@" 2>"$tmp/cc.err" ||
            die "cannot compile $src:"$'\n'"$(cat "$tmp/cc.err")"
        mv "$tmp/$name" "$bin"
    fi
    printf '%s\n' "$bin"
}
measure=$(helper measure)
bare=$(helper bare_report -ldl)
bare_select=$(helper bare_select -ldl)

# Every variable that makes a run differ is set per row; NVML_SIM_* never leak into --real.
unset NVML_SIM_SCENARIO NVML_SIM_CALLS
manifest=$tmp/manifest
: >"$manifest"
# One row: scenario label, command label, reference row ("=" is one, "-" has none), scenario
# file ("-": the real driver), VAR=value..., "--", argv...; fields joined by \x1f.
rows=()
add_row() { rows+=("$(printf '%s\x1f' "$@")"); }

scenario_rows() { # label, scenario file ("-" for the real driver)
    local label=$1 file=$2 py=${3:-}
    add_row "$label" "nvitop -1" "bare_report" "$file" COLUMNS=80 -- "$nvitop" -1
    add_row "$label" "nvitop -1 (200 col)" "bare_report --wide" "$file" COLUMNS=200 -- "$nvitop" -1
    add_row "$label" "nvitop --json" "-" "$file" COLUMNS=80 -- "$nvitop" --json
    add_row "$label" "bare_report" "=" "$file" -- "$bare"
    add_row "$label" "bare_report --wide" "=" "$file" -- "$bare" --wide
    add_row "$label" "nvisel" "bare_select" "$file" -- "$nvisel"
    if [[ $file != - ]]; then
        add_row "$label" "nvisel -i (libcuda stand-in)" "-" "$file" "NVITOP_CUDA_LIBRARY=$cudalib" \
            -- "$nvisel" -i
    else
        add_row "$label" "nvisel -i" "-" "$file" -- "$nvisel" -i
    fi
    add_row "$label" "bare_select" "=" "$file" -- "$bare_select"
    if [[ -n $py ]]; then
        add_row "$label" "python nvisel" "bare_select" "$file" -- "$py" -m nvitop.select
        add_row "$label" "python nvitop -1" "bare_report" "$file" COLUMNS=80 -- "$py" -m nvitop -1
        add_row "$label" "python nvitop -1 (200 col)" "bare_report --wide" "$file" COLUMNS=200 -- \
            "$py" -m nvitop -1
    fi
}

# Runs row $1 once; records the run unless $2 is "warmup". Stops the bench on a failure.
run_row() {
    local idx=$1 what=$2
    local -a f
    IFS=$'\x1f' read -r -a f <<<"${rows[idx]}"
    local file=${f[3]} i=4
    local -a env=()
    while [[ ${f[i]} != -- ]]; do
        env+=("${f[i]}")
        i=$((i + 1))
    done
    local -a argv=("${f[@]:i+1}")
    if [[ $file != - ]]; then
        env+=("NVITOP_NVML_LIBRARY=$simlib" "NVML_SIM_SCENARIO=$file" "NVML_SIM_CALLS=$tmp/calls.$idx")
    fi
    if ! env "${env[@]}" "$measure" -- "${argv[@]}" >"$tmp/run" 2>"$tmp/err"; then
        echo "bench: '${argv[*]}' failed (${f[0]}):" >&2
        cat "$tmp/err" >&2
        exit 1
    fi
    if [[ $what == warmup ]]; then
        # nvisel's CUDA_VISIBLE_DEVICES="..." line (stdout is not a terminal) is expected.
        grep -v '^CUDA_VISIBLE_DEVICES="' "$tmp/err" >"$tmp/err.rest" || true
        [[ ! -s $tmp/err.rest ]] || { echo "bench: note: '${argv[*]}' (${f[0]}) wrote to stderr:" >&2 && cat "$tmp/err.rest" >&2; }
        if [[ $file != - && ! -s $tmp/calls.$idx ]]; then
            die "'${argv[*]}' wrote no NVML_SIM_CALLS file: is $simlib the simulator?"
        fi
    else
        cat "$tmp/run" >>"$tmp/runs.$idx"
    fi
}

# Rows of one scenario run interleaved, round by round, so drift in the machine's load hits
# them alike.
bench_scenario() { # number of runs; the rows are rows[first..]
    local n=$1 first=$2 r idx
    for ((idx = first; idx < ${#rows[@]}; idx++)); do run_row "$idx" warmup; done
    for ((r = 0; r < n; r++)); do
        for ((idx = first; idx < ${#rows[@]}; idx++)); do run_row "$idx" run; done
    done
    for ((idx = first; idx < ${#rows[@]}; idx++)); do
        local -a f
        IFS=$'\x1f' read -r -a f <<<"${rows[idx]}"
        local calls=- ref=${f[2]}
        [[ ${f[3]} == - ]] || calls=$tmp/calls.$idx
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "${f[0]}" "${f[1]}" "$tmp/runs.$idx" "$calls" "${f[3]}" \
            "$ref" >>"$manifest"
    done
}

# What starting and reaping any process costs here (posix_spawn + exit of `true`): a floor under
# every wall time below.
spawn_floor() {
    local t i
    t=$(command -v true)
    for ((i = 0; i < 11; i++)); do "$measure" -- "$t" || exit 1; done |
        sort -n | sed -n '6{s/^\([0-9]*\).*/\1/;p}' | awk '{printf "%.2f ms", $1 / 1000}'
}

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n1)
machine="$(nproc) CPUs, ${cpu:-$(uname -m)}, Linux $(uname -r)"
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)

if [[ $mode == sim ]]; then
    declare -A scen_file=([1]=h100-under-load [8]=node-8gpu-100proc [64]=node-64gpu-4000proc)
    declare -A scen_label=([1]="1 GPU, 2 procs" [8]="8 GPUs, 100 procs" [64]="64 GPUs, 4000 procs")
    for s in $which_scenarios; do
        [[ -n ${scen_file[$s]:-} ]] || die "BENCH_SCENARIOS: '$s' is not one of 1 8 64"
        file=$root/sim/scenarios/${scen_file[$s]}.json
        [[ -f $file ]] || die "scenario $file is missing"
        first=${#rows[@]}
        scenario_rows "${scen_label[$s]}" "$file"
        n=$runs
        [[ $s != 64 ]] || n=$runs64
        bench_scenario "$n" "$first"
    done
    echo "nvitop bench: on the NVML simulator (sim/scenarios, latencies measured on an H100)"
    echo "machine: $machine; $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "build: $build (${build_type:-unknown type}); $runs runs per row (64 GPUs: $runs64) after one warm-up, interleaved"
    echo "proc root: ${NVITOP_PROC_ROOT:-/proc} (scenario pids absent from it read as No Such Process)"
    echo "process start here (spawn and reap \`true\`, median of 11): $(spawn_floor)"
    echo
    python3 "$root/bench/table.py" "$manifest" "$root/sim/sim_fn.h"
    echo
    echo "wall, CPU: medians (CPU = user + sys); peak RSS: highest of the runs; driver: the"
    echo "simulated driver time, sum of calls x the scenario's latency_us; own = wall - driver;"
    echo "own-bare: own minus bare_report's own; x bare: wall / bare_report's wall (--wide for 200 col;"
    echo "bare_select's for nvisel)"
else
    if ! "$bare" -v >"$tmp/probe" 2>"$tmp/err"; then
        die "--real needs a working NVIDIA driver, and this machine has none that loads: $(cat "$tmp/err")"
    fi
    gpus=$(sed -n 's/^devices \([0-9]*\).*/\1/p' "$tmp/probe")
    gpu0=$(sed -n 's/^devices [0-9]* (device 0: \(.*\)), GPU processes.*/\1/p' "$tmp/probe")
    # The interpreter itself, not a wrapper in front of it (a pyenv shim costs ~100 ms a run).
    py=$(python3 -c 'import sys, nvitop; print(sys.executable)' 2>/dev/null || true)
    first=${#rows[@]}
    scenario_rows "this machine, $gpus GPUs" - "$py"
    bench_scenario "$runs" "$first"
    echo "nvitop bench: on this machine's NVIDIA driver"
    echo "machine: $machine; $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "GPUs: $gpus (device 0: $gpu0)${NVITOP_NVML_LIBRARY:+; NVML from NVITOP_NVML_LIBRARY=$NVITOP_NVML_LIBRARY}"
    echo "build: $build (${build_type:-unknown type}); $runs runs per row after one warm-up, interleaved"
    echo "process start here (spawn and reap \`true\`, median of 11): $(spawn_floor)"
    [[ -n $py ]] || echo "Python nvitop: not importable here (python3 -c 'import nvitop'), no row for it"
    echo
    python3 "$root/bench/table.py" "$manifest" -
    echo
    echo "wall, CPU: medians (CPU = user + sys); peak RSS: highest of the runs;"
    echo "x bare: wall / bare_report's (bare_select's for nvisel) wall (--wide for 200 col); the"
    echo "target for nvitop -1 and nvisel is 1.25x"
fi
