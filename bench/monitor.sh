#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The cost of the monitor: nvitop runs in a pseudo-terminal (bench/monitor_pty.c) for a fixed
# time on the simulator's 8-GPU/100-process and 64-GPU/4000-process scenarios, at the default
# interval, and the table says what it took: CPU % of one core, peak RSS (and what is ours
# beyond the driver library: minus bare_report's), bytes written to the terminal per frame and
# per second, frames per second, NVML calls per second (one device refresh a second). Then the
# same scenarios without their driver latencies at --interval 1: CPU per refresh beside that of
# a bare C program doing the same driver and /proc work per refresh (bench/bare_report
# --refreshes), and the peak RSS beside the bare program's. See docs/performance.md.
set -euo pipefail

usage() {
    cat <<'EOF2'
usage: bench/monitor.sh [BUILD_DIR]
Environment:
  BENCH_SECONDS    measured seconds per scenario (default 20), after BENCH_WARMUP (default 3)
  BENCH_SCENARIOS  among "1 8 64" (default "8 64")
  BENCH_SIZE       terminal size COLSxLINES (default 160x50)
  BENCH_ARGS       extra nvitop options (e.g. "--interval 1")
  BENCH_PER_REFRESH  0 skips the second table (without latencies, per refresh)
  CC               compiler for the helpers (default cc)
EOF2
}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case ${1:-} in -h | --help) usage && exit 0 ;; esac
bench_dirs "${1:-build}"
nvitop=$build/src/nvitop
[[ -x $nvitop && -f $simlib ]] || die "$nvitop or $simlib missing: run 'make build' first"
seconds=${BENCH_SECONDS:-20}
warmup=${BENCH_WARMUP:-3}
size=${BENCH_SIZE:-160x50}
cc=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nvitop-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$build/bench"
helper() { # name, link flags...
    local name=$1 src=$root/bench/$1.c bin=$build/bench/$1
    shift
    if [[ ! -x $bin || $src -nt $bin ]]; then
        "$cc" -std=c11 -O2 -Wall -Wextra -o "$tmp/$name" "$src" "$@" 2>"$tmp/cc.err" ||
            die "cannot compile $src: $(cat "$tmp/cc.err")"
        mv "$tmp/$name" "$bin"
    fi
    printf '%s\n' "$bin"
}
pty=$(helper monitor_pty -lutil)
measure=$(helper measure)
bare=$(helper bare_report -ldl)

declare -A file=([1]=h100-under-load [8]=node-8gpu-100proc [64]=node-64gpu-4000proc)
declare -A label=([1]="1 GPU, 2 procs" [8]="8 GPUs, 100 procs" [64]="64 GPUs, 4000 procs")
: >"$tmp/rows"
for s in ${BENCH_SCENARIOS:-8 64}; do
    [[ -n ${file[$s]:-} ]] || die "BENCH_SCENARIOS: '$s' is not one of 1 8 64"
    scenario=$root/sim/scenarios/${file[$s]}.json
    export NVITOP_NVML_LIBRARY=$simlib NVML_SIM_SCENARIO=$scenario
    # shellcheck disable=SC2086
    NVML_SIM_CALLS=$tmp/calls.$s TERM=xterm-256color "$pty" -t "$seconds" -w "$warmup" \
        -s "$size" -- "$nvitop" ${BENCH_ARGS:-} >"$tmp/run.$s" 2>"$tmp/err" ||
        die "the monitor failed on ${file[$s]}: $(cat "$tmp/err")"
    "$measure" -- "$bare" >"$tmp/bare.$s" 2>"$tmp/err" || die "bare_report failed: $(cat "$tmp/err")"
    printf '%s\t%s\t%s\t%s\t%s\n' "${label[$s]}" "$scenario" "$tmp/run.$s" "$tmp/calls.$s" \
        "$tmp/bare.$s" >>"$tmp/rows"
    unset NVITOP_NVML_LIBRARY NVML_SIM_SCENARIO
done

# Without latencies at --interval 1 (one refresh of devices and processes a second): what is
# left is our work, the simulator's own and the kernel's, against the bare program's.
: >"$tmp/fast"
if [[ ${BENCH_PER_REFRESH:-1} != 0 ]]; then
    for s in ${BENCH_SCENARIOS:-8 64}; do
        fast=$tmp/no-latency-${file[$s]}.json
        python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d.pop('latency_us',None); \
            [x.pop('latency_us',None) for x in d.get('devices',[])]; json.dump(d,open(sys.argv[2],'w'))" \
            "$root/sim/scenarios/${file[$s]}.json" "$fast"
        export NVITOP_NVML_LIBRARY=$simlib NVML_SIM_SCENARIO=$fast
        TERM=xterm-256color "$pty" -t "$seconds" -w "$warmup" -s "$size" -- "$nvitop" --interval 1 \
            >"$tmp/fast.$s" 2>"$tmp/err" || die "the monitor failed on $fast: $(cat "$tmp/err")"
        "$bare" --refreshes 20 >"$tmp/fastbare.$s" 2>"$tmp/err" ||
            die "bare_report --refreshes failed: $(cat "$tmp/err")"
        printf '%s\t%s\t%s\n' "${label[$s]}" "$tmp/fast.$s" "$tmp/fastbare.$s" >>"$tmp/fast"
        unset NVITOP_NVML_LIBRARY NVML_SIM_SCENARIO
    done
fi

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n1)
echo "nvitop monitor bench: on the NVML simulator (latencies measured on an H100)"
echo "machine: $(nproc) CPUs, ${cpu:-$(uname -m)}, Linux $(uname -r); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "terminal ${size}, ${seconds} s measured after ${warmup} s, nvitop ${BENCH_ARGS:-(default interval)}"
echo
python3 - "$tmp/rows" "$seconds" "$warmup" "$root/bench" "$root/sim/sim_fn.h" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[4])
from table import driver_ms, fn_bases
rows, seconds, warmup = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
bases = fn_bases(sys.argv[5])
head = ["scenario", "CPU %", "sim latency %", "peak RSS", "ours", "B/frame", "B/s",
        "frames/s", "NVML calls/s", "first paint"]
out = [head]
for line in open(rows):
    name, scenario, run, calls_file, bare = line.rstrip("\n").split("\t")
    window, cpu, nbytes, frames, rss_kib, startup = open(run).read().split()
    window, cpu, nbytes, frames = float(window), float(cpu), int(nbytes), int(frames)
    calls = json.load(open(calls_file))
    total = sum(calls.values())
    elapsed = warmup + window  # the calls file covers the whole run
    latency = driver_ms(calls, scenario, bases) / 1000.0 / elapsed  # simulated driver s per s
    bare_rss = int(open(bare).read().split()[2])
    out.append([name, f"{100 * cpu / window:.2f}", f"{100 * latency:.2f}",
                f"{int(rss_kib) / 1024:.1f} MiB", f"{(int(rss_kib) - bare_rss) / 1024:.1f} MiB",
                f"{nbytes / max(frames, 1):.0f}", f"{nbytes / window:.0f}",
                f"{frames / window:.2f}", f"{total / elapsed:.0f}", f"{int(startup)} B"])
widths = [max(len(r[i]) for r in out) for i in range(len(head))]
for r in out:
    print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
PY
echo
echo "CPU %: user + system time of the monitor (both threads) over the measured window, of one core;"
echo "it includes the simulator's own work and its spin-waits for the latencies below 1 ms (the"
echo "'sim latency %' column: calls x latency_us per second of the whole run). ours: peak RSS minus"
echo "that of bench/bare_report (the same driver library loaded, its scenario parsed). B/frame:"
echo "bytes written to the terminal per frame (output after a pause of 30 ms or more); first paint:"
echo "the bytes before the window (the whole first screen). NVML calls/s: every call of the run"
echo "(start included) per second; one device refresh a second, processes every 2 s."
[[ -s $tmp/fast ]] || exit 0
echo
echo "Without driver latencies, nvitop --interval 1 (a refresh of devices and processes a second):"
echo
python3 - "$tmp/fast" <<'PY'
import sys
head = ["scenario", "CPU/refresh", "bare/refresh", "x bare", "peak RSS", "bare RSS", "ours"]
out = [head]
for line in open(sys.argv[1]):
    name, run, bare = line.rstrip("\n").split("\t")
    window, cpu, nbytes, frames, rss_kib, startup = open(run).read().split()
    per = 1000.0 * float(cpu) / float(window)  # ms; one refresh a second
    bare_per, bare_rss = open(bare).read().split()
    bare_per, bare_rss = float(bare_per), int(bare_rss)
    out.append([name, f"{per:.2f} ms", f"{bare_per:.2f} ms", f"{per / bare_per:.2f}x",
                f"{int(rss_kib) / 1024:.1f} MiB", f"{bare_rss / 1024:.1f} MiB",
                f"+{(int(rss_kib) - bare_rss) / 1024:.1f} MiB"])
widths = [max(len(r[i]) for r in out) for i in range(len(head))]
for r in out:
    print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
PY
echo
echo "CPU/refresh: the monitor's CPU time (both threads, from schedstat) per second of the window."
echo "bare/refresh: bench/bare_report --refreshes 20, the CPU time of one round of the same driver"
echo "calls (the monitor's per-second queries, its lazy fields every fifth round) and /proc reads (the"
echo "host files twice, each GPU process's stat, status and cmdline), nothing drawn. bare RSS: that"
echo "program's peak RSS (the same driver library, its scenario parsed); ours = peak RSS - bare RSS."
