#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One command for a machine with a real NVIDIA driver: every check of the programs against it,
# in about 3 minutes (at most 6), everything written into one folder. Run it from the
# repository root after `make build` (here or on another machine: only the build folder and
# the scripts are needed; what the machine lacks is skipped and said so).
#   scripts/gpu-verify.sh [OUT_DIR]        (default: gpu-verify-<UTC time>)
# Steps, each with its files in OUT_DIR and one line in OUT_DIR/summary.txt:
#   env      nvidia-smi -L, uname, the driver's and our versions
#   abi      scripts/check-nvml-abi.sh against this machine's nvml.h (skip: no nvml.h / no cc)
#   smi      `nvitop --json` against `nvidia-smi -q -x`, value by value
#   bench    bench/run.sh --real (skip: no C compiler)
#   monitor  the monitor for 20 s in tmux: CPU and peak RSS, a screen capture (skip: no tmux)
#   exporter nvitop-exporter scraped with curl (skip: not built, or no libmicrohttpd here)
#   record   nvitop --record-scenario for 10 s, replayed on the simulator and compared
# Exit 0 when no step failed (skips are fine), 1 otherwise.
# Environment: GPU_VERIFY_BUILD (default: build), GPU_VERIFY_QUICK=1 (short durations: the
# test suite's mode), GPU_VERIFY_STEPS (default: all, in the order above),
# GPU_VERIFY_BENCH_ARGS (default: --real), NVITOP_NVML_LIBRARY.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${GPU_VERIFY_BUILD:-build}
out=${1:-gpu-verify-$(date -u +%Y%m%dT%H%M%SZ)}
if [[ ${GPU_VERIFY_QUICK:-0} == 1 ]]; then
    monitor_s=3 record_s=2 bench_runs=1 bench_limit=120
else
    monitor_s=20 record_s=10 bench_runs=5 bench_limit=150
fi

die() {
    echo "gpu-verify: $*" >&2
    exit 2
}
[[ -d $build ]] || die "build folder '$build' not found: run 'make build' first (or set GPU_VERIFY_BUILD)"
build=$(cd "$build" && pwd)
nvitop=$build/src/nvitop
simlib=$build/sim/libnvidia-ml.so.1
[[ -x $nvitop ]] || die "$nvitop is missing: run 'make build' first"
mkdir -p "$out" || die "cannot create '$out'"
out=$(cd "$out" && pwd)
: >"$out/summary.txt"
failed=0

# result STEP STATUS TEXT: one summary line (STATUS: ok, FAIL or skip).
result() {
    printf '%-9s %-5s %s\n' "$1" "$2" "$3" | tee -a "$out/summary.txt"
    [[ $2 != FAIL ]] || failed=1
}
have() { command -v "$1" >/dev/null 2>&1; }

step_env() {
    {
        echo "date: $(date -u)"
        echo "uname: $(uname -a)"
        echo "nvitop: $("$nvitop" --version 2>&1)"
        echo "git: $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)"
        if have nvidia-smi; then nvidia-smi -L 2>&1; else echo "nvidia-smi: not found"; fi
    } >"$out/env.txt"
    result env ok "$(grep -c '^GPU ' "$out/env.txt") GPU(s) listed by nvidia-smi -L (env.txt)"
}

step_abi() {
    local rc=0
    have "${CC:-cc}" || {
        result abi skip "no C compiler"
        return
    }
    "$root/scripts/check-nvml-abi.sh" >"$out/abi.txt" 2>&1 || rc=$?
    case $rc in
    0) result abi ok "$(tail -n 1 "$out/abi.txt")" ;;
    77) result abi skip "no nvml.h on this machine (abi.txt)" ;;
    *) result abi FAIL "our NVML declarations differ from nvml.h (abi.txt)" ;;
    esac
}

step_smi() {
    have nvidia-smi || {
        result smi skip "no nvidia-smi"
        return
    }
    "$nvitop" --json >"$out/nvitop.json" 2>"$out/nvitop-json.err" ||
        { result smi FAIL "nvitop --json failed (nvitop-json.err)" && return; }
    nvidia-smi -q -x >"$out/nvidia-smi.xml" 2>&1 ||
        { result smi FAIL "nvidia-smi -q -x failed (nvidia-smi.xml)" && return; }
    if python3 "$root/scripts/gpu-verify-compare.py" smi "$out/nvitop.json" "$out/nvidia-smi.xml" \
        >"$out/smi-compare.txt" 2>&1; then
        result smi ok "$(tail -n 1 "$out/smi-compare.txt") (smi-compare.txt)"
    else
        result smi FAIL "$(tail -n 1 "$out/smi-compare.txt") (smi-compare.txt)"
    fi
}

step_bench() {
    have "${CC:-cc}" || {
        result bench skip "no C compiler for bench/run.sh's helpers"
        return
    }
    local -a args
    read -r -a args <<<"${GPU_VERIFY_BENCH_ARGS---real}"
    if BENCH_RUNS=$bench_runs BENCH_SCENARIOS=${BENCH_SCENARIOS:-1} timeout "$bench_limit" \
        "$root/bench/run.sh" "${args[@]}" "$build" >"$out/bench.txt" 2>&1; then
        result bench ok "$(grep -cE '  (nvitop|nvisel|bare_|python)' "$out/bench.txt") rows, $bench_runs run(s) each (bench.txt)"
    else
        result bench FAIL "bench/run.sh ${args[*]} failed or ran over ${bench_limit}s (bench.txt)"
    fi
}

# Samples the CPU time and RSS of PID once a second for N seconds into FILE.
watch_process() {
    local pid=$1 n=$2 file=$3 i
    echo "second cpu_ticks rss_kib" >"$file"
    for ((i = 0; i <= n; i++)); do
        [[ -r /proc/$pid/stat ]] || break
        awk -v s="$i" '{ printf "%s %d ", s, $14 + $15 }' "/proc/$pid/stat" >>"$file"
        awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" >>"$file"
        ((i < n)) && sleep 1
    done
}

step_monitor() {
    have tmux || {
        result monitor skip "no tmux"
        return
    }
    local sock=gpu-verify-$$ pid
    tmux -L "$sock" new-session -d -x 200 -y 60 "$nvitop" || {
        result monitor FAIL "tmux could not start the monitor"
        return
    }
    sleep 1
    pid=$(tmux -L "$sock" list-panes -F '#{pane_pid}' 2>/dev/null | head -n 1)
    if [[ -z $pid ]]; then
        result monitor FAIL "the monitor exited at once"
        tmux -L "$sock" kill-server 2>/dev/null
        return
    fi
    watch_process "$pid" "$monitor_s" "$out/monitor-usage.txt"
    tmux -L "$sock" capture-pane -p >"$out/monitor-screen.txt"
    tmux -L "$sock" send-keys q
    sleep 1
    tmux -L "$sock" kill-server 2>/dev/null
    local hz cpu rss
    hz=$(getconf CLK_TCK)
    cpu=$(awk -v hz="$hz" 'NR == 2 { a = $2; t0 = $1 } NR > 2 { b = $2; t = $1 }
        END { if (t > t0) printf "%.1f", 100 * (b - a) / hz / (t - t0); else print "?" }' \
        "$out/monitor-usage.txt")
    rss=$(awk 'NR > 1 && $3 > m { m = $3 } END { print m + 0 }' "$out/monitor-usage.txt")
    if grep -q "NVITOP" "$out/monitor-screen.txt"; then
        result monitor ok "${monitor_s}s: ${cpu}% CPU, peak RSS ${rss} KiB (monitor-usage.txt, monitor-screen.txt)"
    else
        result monitor FAIL "no nvitop screen captured (monitor-screen.txt)"
    fi
}

step_exporter() {
    local exporter=$build/src/nvitop-exporter pid port start=$SECONDS
    [[ -x $exporter ]] || {
        result exporter skip "nvitop-exporter not built"
        return
    }
    have curl || {
        result exporter skip "no curl"
        return
    }
    "$exporter" --port 0 </dev/null >/dev/null 2>"$out/exporter.err" &
    pid=$!
    until grep -qs "Start the exporter on" "$out/exporter.err"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            if grep -q "error while loading shared libraries" "$out/exporter.err"; then
                result exporter skip "$(head -n 1 "$out/exporter.err")"
            else
                result exporter FAIL "nvitop-exporter exited (exporter.err)"
            fi
            return
        fi
        if ((SECONDS - start > 20)); then
            kill "$pid" 2>/dev/null
            result exporter FAIL "nvitop-exporter did not start in 20 s (exporter.err)"
            return
        fi
        sleep 0.1
    done
    port=$(sed 's/\x1b\[[0-9;]*m//g' "$out/exporter.err" | sed -n 's/.*:\([0-9][0-9]*\)\/metrics\..*/\1/p')
    curl -sf -o "$out/exporter-metrics.txt" -w '%{time_total}\n' "http://127.0.0.1:$port/metrics" \
        >"$out/exporter-scrape.txt" 2>&1
    sleep 1
    curl -sf -o "$out/exporter-metrics-2.txt" -w '%{time_total}\n' "http://127.0.0.1:$port/metrics" \
        >>"$out/exporter-scrape.txt" 2>&1
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    local n
    n=$(grep -c '^gpu_' "$out/exporter-metrics.txt" 2>/dev/null)
    if [[ ${n:-0} -gt 0 ]]; then
        result exporter ok "$n gpu_* samples; scrape times $(tr '\n' ' ' <"$out/exporter-scrape.txt")s (exporter-metrics.txt)"
    else
        result exporter FAIL "no gpu_* metric on the page (exporter-metrics.txt)"
    fi
}

step_record() {
    local rc=0
    "$nvitop" --json >"$out/record-real.json" 2>/dev/null
    "$nvitop" --record-scenario "$out/recording.json" --duration "$record_s" \
        2>"$out/record.err" || rc=$?
    if [[ ! -s $out/recording.json ]]; then
        result record FAIL "no recording (record.err: $(head -n 1 "$out/record.err"))"
        return
    fi
    [[ -f $simlib ]] || {
        result record skip "recorded (recording.json) but no simulator to replay it: $simlib"
        return
    }
    NVITOP_NVML_LIBRARY=$simlib NVML_SIM_SCENARIO=$out/recording.json "$nvitop" --json \
        >"$out/record-replay.json" 2>"$out/record-replay.err"
    if [[ -s $out/record-replay.err ]]; then
        result record FAIL "the simulator complained about the recording (record-replay.err)"
    elif python3 "$root/scripts/gpu-verify-compare.py" replay "$out/record-real.json" \
        "$out/record-replay.json" >"$out/record-compare.txt" 2>&1; then
        result record ok "${record_s}s recorded (exit $rc); replay: $(tail -n 1 "$out/record-compare.txt") (record-compare.txt)"
    else
        result record FAIL "replay differs: $(tail -n 1 "$out/record-compare.txt") (record-compare.txt)"
    fi
}

echo "gpu-verify: writing into $out"
for step in ${GPU_VERIFY_STEPS:-env abi smi bench monitor exporter record}; do
    case $step in
    env) step_env ;;
    abi) step_abi ;;
    smi) step_smi ;;
    bench) step_bench ;;
    monitor) step_monitor ;;
    exporter) step_exporter ;;
    record) step_record ;;
    *) result "$step" FAIL "unknown step (GPU_VERIFY_STEPS: env abi smi bench monitor exporter record)" ;;
    esac
done
echo "gpu-verify: summary in $out/summary.txt"
exit "$failed"
