#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The cost of `nvitop --prometheus URL` on a large fleet: a Prometheus holding NODES nodes of
# GPUS GPUs (default 125 x 8 = 1,000 GPUs, 2 processes each), backfilled with `promtool tsdb
# create-blocks-from openmetrics` (bench/fleet_gen.py writes the series nvitop-exporter would
# have left, fresh for the next 10 minutes), then RUNS refreshes of the JSON: our CPU per
# refresh (the refreshing thread's CPU time: libcurl, parsing, the model), the time waiting for
# Prometheus (its query latency, 17 instant queries), the whole process's CPU and peak RSS
# (the JSON of the whole fleet included). See docs/performance.md "The fleet view".
set -euo pipefail

usage() {
    cat <<'EOF2'
usage: bench/fleet.sh [BUILD_DIR]

  BUILD_DIR   the CMake build directory (default: build)
Environment:
  BENCH_NODES  nodes (default 125)      BENCH_GPUS   GPUs per node (default 8)
  BENCH_PROCS  processes per GPU (2)    BENCH_RUNS   refreshes measured (default 10)
EOF2
}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case ${1:-} in -h | --help) usage; exit 0 ;; esac
bench_dirs "${1:-build}"
nvitop=$build/src/nvitop
[[ -x $nvitop ]] || die "$nvitop is missing: run 'make build'"
for tool in prometheus promtool python3; do
    command -v $tool >/dev/null || die "$tool is not installed (scripts/install-deps.sh)"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed (Debian package time)"
nodes=${BENCH_NODES:-125} gpus=${BENCH_GPUS:-8} procs=${BENCH_PROCS:-2} runs=${BENCH_RUNS:-10}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nvitop-bench-fleet.XXXXXX")
pid=
cleanup() {
    [[ -z $pid ]] || kill "$pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

echo "backfilling $nodes nodes x $gpus GPUs x $procs processes ..." >&2
python3 "$root/bench/fleet_gen.py" "$nodes" "$gpus" "$procs" 30 300 600 >"$tmp/fleet.om"
promtool tsdb create-blocks-from openmetrics "$tmp/fleet.om" "$tmp/tsdb" >"$tmp/promtool.log" 2>&1 ||
    die "promtool failed: $(tail -3 "$tmp/promtool.log")"
rm -f "$tmp/fleet.om"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'global:\n  scrape_interval: 15s\n' >"$tmp/prometheus.yml"
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
    --web.listen-address="127.0.0.1:$port" --log.level=warn >"$tmp/prometheus.log" 2>&1 &
pid=$!
url=http://127.0.0.1:$port
for _ in $(seq 200); do
    curl -sf "$url/-/ready" >/dev/null 2>&1 && break
    sleep 0.1
done
LOGLEVEL=DEBUG "$nvitop" --prometheus "$url" --json >/dev/null 2>"$tmp/warm" || die "$(cat "$tmp/warm")"

for i in $(seq "$runs"); do
    LOGLEVEL=DEBUG /usr/bin/time -f "TIME %U %S %M" "$nvitop" --prometheus "$url" --json \
        >"$tmp/out.json" 2>>"$tmp/runs"
done
python3 - "$tmp/runs" "$tmp/out.json" <<'PY'
import json, re, statistics, sys
refresh, process = [], []
for line in open(sys.argv[1]):
    m = re.search(r"fleet refresh: ([\d.]+) ms, ([\d.]+) ms of CPU, ([\d.]+) ms waiting", line)
    if m:
        refresh.append(tuple(float(x) for x in m.groups()))
    m = re.match(r"TIME ([\d.]+) ([\d.]+) (\d+)", line)
    if m:
        process.append((float(m[1]) + float(m[2]), int(m[3])))
s = json.load(open(sys.argv[2]))["summary"]
med = lambda xs: statistics.median(xs)
print(f"fleet: {s['nodes']} nodes, {s['gpus']} GPUs, {len(refresh)} refreshes (median, max)")
print(f"  refresh wall      {med([r[0] for r in refresh]):8.1f} ms {max(r[0] for r in refresh):8.1f} ms")
print(f"  refresh our CPU   {med([r[1] for r in refresh]):8.1f} ms {max(r[1] for r in refresh):8.1f} ms  (target < 50 ms)")
print(f"  Prometheus wait   {med([r[2] for r in refresh]):8.1f} ms {max(r[2] for r in refresh):8.1f} ms")
print(f"  process CPU       {med([p[0] for p in process]) * 1000:8.1f} ms {max(p[0] for p in process) * 1000:8.1f} ms  (start, refresh, JSON of the fleet)")
print(f"  peak RSS          {med([p[1] for p in process]) / 1024:8.1f} MiB {max(p[1] for p in process) / 1024:7.1f} MiB (target < 30 MiB)")
PY
