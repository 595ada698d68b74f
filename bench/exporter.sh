#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The cost of nvitop-exporter on the simulator's 1-, 8- and 64-GPU scenarios: scrape latency
# (p50/p99 with one client and with eight), scrapes per second, CPU while nobody scrapes
# (default interval, with the scenario's measured driver latencies and without them) and peak
# RSS, ours beyond what a bare NVML program on the same scenario holds. See docs/performance.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/exporter.sh [BUILD_DIR]

Runs build/src/nvitop-exporter on the NVML simulator and drives it with wrk.
  BUILD_DIR   the CMake build directory (default: build)
Environment:
  BENCH_SCENARIOS  among "1 8 64" (default: all three)
  BENCH_IDLE_S     seconds of idle CPU measurement (default 20)
  BENCH_WRK_S      seconds of each wrk run (default 5)
  BENCH_INTERVAL   the exporter's --interval (default 1.0, nvitop-exporter's default)
EOF
}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case ${1:-} in -h | --help) usage; exit 0 ;; esac
bench_dirs "${1:-build}"
exporter=$build/src/nvitop-exporter
[[ -x $exporter ]] || die "$exporter is missing: run 'make build'"
bench_need_sim
command -v wrk >/dev/null || die "wrk is not installed (scripts/install-deps.sh)"
command -v python3 >/dev/null || die "python3 is needed"
idle_s=${BENCH_IDLE_S:-20}
wrk_s=${BENCH_WRK_S:-5}
interval=${BENCH_INTERVAL:-1.0}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nvitop-bench-exporter.XXXXXX")
pid=
cleanup() {
    [[ -z $pid ]] || kill "$pid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cc=${CC:-cc}
mkdir -p "$build/bench"
for helper in measure bare_report; do
    src=$root/bench/$helper.c bin=$build/bench/$helper
    if [[ ! -x $bin || $src -nt $bin ]]; then
        "$cc" -std=c11 -O2 -Wall -Wextra -o "$bin" "$src" -ldl || die "cannot compile $src"
    fi
done

# nanoseconds on a CPU, all threads of the process (schedstat: finer than clock ticks)
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{s += $1} END {printf "%d", s}'; }
status_kib() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status"; }

start() { # scenario file
    NVITOP_NVML_LIBRARY=$simlib NVML_SIM_SCENARIO=$1 "$exporter" --port 0 --interval "$interval" \
        2>"$tmp/err" &
    pid=$!
    local i
    for ((i = 0; i < 400; i++)); do
        grep -q "Start the exporter" "$tmp/err" && break
        kill -0 "$pid" 2>/dev/null || die "the exporter exited: $(cat "$tmp/err")"
        sleep 0.05
    done
    port=$(sed -n 's/.*:\([0-9]*\)\/metrics\.$/\1/p' "$tmp/err")
    [[ -n $port ]] || die "the exporter did not start: $(cat "$tmp/err")"
}

stop() {
    kill -INT "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
}

idle_cpu() { # CPU % of one core over $idle_s seconds, after the slow thread's first rounds
    sleep 3
    local a b
    a=$(cpu_ns "$pid")
    sleep "$idle_s"
    b=$(cpu_ns "$pid")
    python3 -c "print(f'{100.0 * ($b - $a) / 1e9 / $idle_s:.3f}')"
}

wrk_run() { # connections threads -> "p50_ms p99_ms req_per_s"
    wrk -t"$2" -c"$1" -d"${wrk_s}s" --latency "http://127.0.0.1:$port/metrics" >"$tmp/wrk"
    python3 - "$tmp/wrk" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(p):
    v, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(f"{ms(50):.3f} {ms(99):.3f} {rps:.0f}")
PY
}

declare -A file=([1]=h100-under-load [8]=node-8gpu-100proc [64]=node-64gpu-4000proc)
declare -A label=([1]="1 GPU, 2 procs" [8]="8 GPUs, 100 procs" [64]="64 GPUs, 4000 procs")
rows=()
for s in ${BENCH_SCENARIOS:-1 8 64}; do
    [[ -n ${file[$s]:-} ]] || die "BENCH_SCENARIOS: '$s' is not one of 1 8 64"
    scenario=$root/sim/scenarios/${file[$s]}.json
    # the same scenario without latency_us: what is left is our CPU (and the simulator's own)
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d.pop('latency_us',None); \
        [x.pop('latency_us',None) for x in d['devices']]; json.dump(d,open(sys.argv[2],'w'))" \
        "$scenario" "$tmp/nolat.json"
    bare_kib=$(NVITOP_NVML_LIBRARY=$simlib NVML_SIM_SCENARIO=$scenario \
        "$build/bench/measure" -- "$build/bench/bare_report" | awk '{print $3}')

    start "$tmp/nolat.json"
    idle_own=$(idle_cpu)
    stop
    # the yardstick of idle*: a bare program's driver and /proc work of one refresh, per interval
    bare_ms=$(NVITOP_NVML_LIBRARY=$simlib NVML_SIM_SCENARIO=$tmp/nolat.json \
        "$build/bench/bare_report" --refreshes 20 | awk '{print $1}')
    bare_pct=$(python3 -c "print(f'{100.0 * $bare_ms / 1000.0 / $interval:.3f}')")
    x_bare=$(python3 -c "print(f'{$idle_own / $bare_pct:.2f}x' if $bare_pct > 0 else '-')")

    start "$scenario"
    idle=$(idle_cpu)
    page=$(curl -s "http://127.0.0.1:$port/metrics" | wc -c)
    read -r p50_1 p99_1 rps_1 < <(wrk_run 1 1)
    read -r p50_8 p99_8 rps_8 < <(wrk_run 8 2)
    peak=$(status_kib "$pid" VmHWM)
    stop
    rows+=("$(printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s' "${label[$s]}" "$((page / 1024))" \
        "$p50_1" "$p99_1" "$rps_1" "$p50_8" "$p99_8" "$rps_8" "$idle" "$idle_own" "$bare_pct" \
        "$x_bare" "$((peak / 1024))" "$(((peak - bare_kib) / 1024))")")
done

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n1)
echo "nvitop-exporter bench: on the NVML simulator (sim/scenarios, latencies measured on an H100)"
echo "machine: $(nproc) CPUs, ${cpu:-$(uname -m)}, Linux $(uname -r); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "interval ${interval} s; wrk ${wrk_s} s per run; idle CPU over ${idle_s} s without scrapes"
echo
printf '| %-20s | %6s | %8s | %8s | %7s | %8s | %8s | %7s | %6s | %6s | %6s | %6s | %5s | %5s |\n' \
    scenario "page" "p50 1c" "p99 1c" "req/s" "p50 8c" "p99 8c" "req/s" "idle" "idle*" "bare*" \
    "x bare" "RSS" "own"
printf '| %-20s | %6s | %8s | %8s | %7s | %8s | %8s | %7s | %6s | %6s | %6s | %6s | %5s | %5s |\n' \
    "" KiB ms ms 1c ms ms 8c "%" "%" "%" "" MiB MiB
for r in "${rows[@]}"; do
    IFS='|' read -r -a f <<<"$r"
    printf '| %-20s | %6s | %8s | %8s | %7s | %8s | %8s | %7s | %6s | %6s | %6s | %6s | %5s | %5s |\n' "${f[@]}"
done
echo
echo "1c/8c: wrk with one connection / eight connections on two threads (keep-alive); latency as"
echo "wrk measures it, whole page received. idle: CPU % of one core with the scenario's driver"
echo "latencies (the simulator spins the last ~0.1 ms of each); idle*: the same scenario without"
echo "latencies. bare*: bench/bare_report --refreshes on that scenario: the CPU of one round of"
echo "the monitor's driver calls and /proc reads per interval, in % of a core (the exporter asks"
echo "more fields, so this floor is low); x bare: idle* / bare*. RSS: peak; own: peak minus"
echo "bench/bare_report's peak on the same scenario (the driver library, libc and the loader)."
