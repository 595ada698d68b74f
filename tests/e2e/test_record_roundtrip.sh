#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `nvitop --record-scenario` round trips: every shipped scenario X (sim/scenarios/ and
# tests/fixtures/scenarios/) is recorded on the simulator into R, then every program runs on X
# and on R and must print the same: `nvitop -1` (the date line aside), `nvitop --json` (its
# time and the disk usage of the machine running the test masked), six nvisel selections (two
# in CUDA's order, through the libcuda stand-in), and one page of nvitop-exporter (normalised:
# see normalise_page). The host is the fixture
# tests/fixtures/proc/basic, so process and host values are the same in both runs.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_CUDA_SIM_LIB NVITOP_SCENARIOS NVITOP_FIXTURES
make_test_tmp

export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic
export NVITOP_CUDA_LIBRARY=$NVITOP_CUDA_SIM_LIB # CUDA's order: recorded, and nvisel -i
export TZ=UTC LOGNAME=root USER=root LC_ALL=C.UTF-8 COLUMNS=200
unset NO_COLOR FORCE_COLOR ANSI_COLORS_DISABLED CUDA_VISIBLE_DEVICES NVITOP_MONITOR_MODE
unset NVITOP_GPU_UTILIZATION_THRESHOLDS NVITOP_MEMORY_UTILIZATION_THRESHOLDS LOGLEVEL
unset NVML_SIM_EPOCH NVML_SIM_CALLS CUDA_DEVICE_ORDER
nvitop=$NVITOP_BIN_DIR/nvitop
nvisel=$NVITOP_BIN_DIR/nvisel
exporter=$NVITOP_BIN_DIR/nvitop-exporter

# record SCENARIO OUT [DURATION [INTERVAL]]: records; an init failure (exit 1, "NVML ERROR:")
# still writes.
record() {
    local rc
    NVML_SIM_SCENARIO=$1 "$nvitop" --record-scenario "$2" --duration "${3:-0}" --interval "${4:-1}" \
        2>"$TEST_TMP/record.err" && rc=0 || rc=$?
    if [ "$rc" != 0 ]; then
        grep -q '^NVML ERROR: nvmlInit failed: ' "$TEST_TMP/record.err" ||
            fail "recording $1: exit $rc: $(cat "$TEST_TMP/record.err")"
    fi
    [ -s "$2" ] || fail "recording $1: no file written"
}

mask_json() {
    python3 -c '
import json, sys
doc = json.load(sys.stdin)
for key in ("time", "time_unix_s"):
    doc[key] = "(masked)"
if "host" in doc:
    doc["host"]["disk_usage"] = "(masked)"
print(json.dumps(doc, indent=2))'
}

# The exporter page without what is not the GPUs': the host's and the processes' host
# metrics (CPU time and RSS go on while it runs), the exporter's own timings, and the NVLink
# rates, which both runs measure from counters 20 ms apart: rounded to 1 MiB/s.
normalise_page() {
    grep -v '^#' | grep -Ev '^(host_|process_cpu|process_rss|process_memory|process_running_time|process_elapsed|nvitop_scrape|nvitop_poll|nvitop_exporter)' |
        python3 -c '
import re, sys
for line in sys.stdin:
    m = re.match(r"(nvlink\S*(tx|rx)\S*) (\S+)$", line.strip())
    if m:
        line = "%s ~%d MiB/s\n" % (m.group(1), round(float(m.group(3)) / 1024))
    sys.stdout.write(line)' | sort
}

# outputs SCENARIO DIR: every program's output on SCENARIO into DIR.
outputs() {
    local s=$1 d=$2 rc port pid
    mkdir -p "$d"
    NVML_SIM_SCENARIO=$s "$nvitop" -1 >"$d/once" 2>"$d/once.err" && rc=0 || rc=$?
    tail -n +2 "$d/once" >"$d/once.body"
    echo "exit $rc" >>"$d/once.body"
    NVML_SIM_SCENARIO=$s "$nvitop" --json 2>"$d/json.err" | mask_json >"$d/json" 2>&1 || true
    local i=0
    for args in "" "-O uuid --newline" "-f 4GiB -G 50 -O uuid" "--no-sort -C 2" "-i" \
        "-i 1,0 -O uuid"; do
        # shellcheck disable=SC2086
        NVML_SIM_SCENARIO=$s "$nvisel" $args >"$d/nvisel$i" 2>&1 && rc=0 || rc=$?
        echo "exit $rc" >>"$d/nvisel$i"
        i=$((i + 1))
    done
    NVML_SIM_SCENARIO=$s "$exporter" --port 0 --interval 60 </dev/null >"$d/exp.out" 2>"$d/exp.err" &
    pid=$!
    local start=$SECONDS
    until grep -qs "Start the exporter on" "$d/exp.err"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            sed 's/\x1b\[[0-9;]*m//g' "$d/exp.err" >"$d/page"
            return 0
        fi
        ((SECONDS - start < 20)) || fail "nvitop-exporter on $s did not start in 20 s"
        sleep 0.05
    done
    port=$(sed 's/\x1b\[[0-9]*m//g' "$d/exp.err" | sed -n 's/.*:\([0-9]*\)\/metrics\..*/\1/p')
    curl -sf "http://127.0.0.1:$port/metrics" | normalise_page >"$d/page" ||
        fail "scraping the exporter on $s"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
}

# same DIR_X DIR_R WHAT: the outputs must be equal.
same() {
    local f
    for f in once.body json nvisel0 nvisel1 nvisel2 nvisel3 nvisel4 nvisel5 page; do
        if ! cmp -s "$1/$f" "$2/$f"; then
            { diff "$1/$f" "$2/$f" || true; } | head -20 >&2
            fail "$3: $f differs between the scenario and its recording"
        fi
    done
    for f in once.err json.err; do
        cmp -s "$1/$f" "$2/$f" || fail "$3: stderr of $f differs: $(cat "$2/$f")"
    done
}

# And cases no shipped scenario has (yet): a GPU lost already at nvmlDeviceGetHandleByIndex, an
# error injected into a MIG device, an unsupported process list, a C+G process, memory v2
# refused where v1 answers.
cat >"$TEST_TMP/record-extra.json" <<'EOF_SCENARIO'
{
  "description": "test_record_roundtrip: a GPU that fails at nvmlDeviceGetHandleByIndex, a MIG device with an injected error, a process list that is not supported",
  "driver_version": "580.159.04", "nvml_version": "13.580.159.04", "cuda_driver_version": 13000,
  "devices": [
    { "name": "NVIDIA A100-SXM4-40GB", "uuid": "GPU-5e0f0c33-0000-4000-8000-000000000001",
      "bus_id": "00000000:07:00.0", "memory": { "total": 42949672960, "used": 1073741824 },
      "temperature": 40, "mig_mode": 1,
      "mig_devices": [
        { "gpu_instance_id": 1, "compute_instance_id": 0, "uuid": "MIG-5e0f0c33-0000-4000-8000-0000000000a1",
          "name": "NVIDIA A100-SXM4-40GB MIG 3g.20gb", "memory": { "total": 21474836480, "used": 536870912 },
          "errors": { "nvmlDeviceGetBAR1MemoryInfo": "NO_PERMISSION" },
          "processes": [ { "pid": 4242, "used_memory": 536870912, "sm": 40 } ] },
        { "gpu_instance_id": 2, "compute_instance_id": 0, "uuid": "MIG-5e0f0c33-0000-4000-8000-0000000000a2",
          "name": "NVIDIA A100-SXM4-40GB MIG 3g.20gb", "memory": { "total": 21474836480, "used": 0 } }
      ] },
    { "name": "NVIDIA A100-SXM4-40GB", "uuid": "GPU-5e0f0c33-0000-4000-8000-000000000002",
      "bus_id": "00000000:0F:00.0", "errors": { "nvmlDeviceGetHandleByIndex": "GPU_IS_LOST" } },
    { "name": "NVIDIA A100-SXM4-40GB", "uuid": "GPU-5e0f0c33-0000-4000-8000-000000000003",
      "bus_id": "00000000:47:00.0", "memory": { "total": 42949672960, "used": 0 },
      "errors": { "nvmlDeviceGetGraphicsRunningProcesses": "NOT_SUPPORTED", "nvmlDeviceGetPowerUsage": "UNKNOWN",
                  "nvmlDeviceGetMemoryInfo_v2": "NO_PERMISSION" },
      "processes": [ { "pid": 4343, "type": "C+G", "used_memory": 1024 } ] }
  ]
}
EOF_SCENARIO
scenarios=("$NVITOP_SCENARIOS"/*.json "$NVITOP_FIXTURES"/scenarios/*.json "$TEST_TMP/record-extra.json")
for x in "${scenarios[@]}"; do
    name=$(basename "$x" .json)
    record "$x" "$TEST_TMP/$name.rec.json"
    outputs "$x" "$TEST_TMP/$name.x"
    outputs "$TEST_TMP/$name.rec.json" "$TEST_TMP/$name.r"
    same "$TEST_TMP/$name.x" "$TEST_TMP/$name.r" "$name"
done
echo "${#scenarios[@]} scenarios: every output of their recordings matches"

# What the recordings say, where a program would show little of it.
rec=$TEST_TMP
grep -q '"\*": "GPU_IS_LOST"' "$rec/node-gpu-lost.rec.json" || fail "node-gpu-lost: no lost GPU"
grep -q '"nvmlDeviceGetHandleByIndex": "GPU_IS_LOST"' "$rec/record-extra.rec.json" ||
    fail "record-extra: the GPU without a handle is not recorded"
grep -q '"nvmlDeviceGetMemoryInfo_v2": "NO_PERMISSION"' "$rec/record-extra.rec.json" ||
    fail "record-extra: the v2 memory error is not recorded"
grep -q '"nvmlDeviceGetTemperatureV": "NO_PERMISSION"' "$rec/unsupported-fields.rec.json" ||
    fail "unsupported-fields: the TemperatureV error is not recorded"
grep -q '"nvmlDeviceGetUtilizationRates": "TIMEOUT"' "$rec/unsupported-fields.rec.json" ||
    fail "unsupported-fields: the TIMEOUT is not recorded"
grep -q '"order": \[' "$rec/cuda-order.rec.json" || fail "cuda-order: CUDA's order not recorded"
grep -q '"init_error": "LIB_RM_VERSION_MISMATCH"' "$rec/version-mismatch.rec.json" ||
    fail "version-mismatch: no init_error"
python3 - "$rec" <<'PY' || fail "recorded values"
import json, sys
d = sys.argv[1]
a100 = json.load(open(d + "/a100-mig-node.rec.json"))
migs = [len(g.get("mig_devices", [])) for g in a100["devices"]]
assert sum(migs) > 0 and migs.count(0) < len(migs), migs
assert all(g["nvlink"]["links"] == 12 for g in a100["devices"]), "NVLink links"
h100 = json.load(open(d + "/h100-under-load.rec.json"))
lat = h100["latency_us"]
assert 20000 <= lat["nvmlDeviceGetPcieThroughput"] < 40000, lat
assert 10000 <= lat["nvmlInit_v2"], lat
PY

# Values over time: three samples 2 s apart of scenarios with sequences (X steps every 1 or
# 2 s), then both files replayed at 0.5 s into each sample's step (NVML_SIM_EPOCH, which
# leaves 1.5 s for a slow machine) agree sample by sample.
json_at() { # SECONDS-SINCE-EPOCH SCENARIO
    local epoch
    epoch=$(python3 -c "import time; print('%.3f' % (time.time() - $1))")
    NVML_SIM_EPOCH=$epoch NVML_SIM_SCENARIO=$2 "$nvitop" --json | mask_json
}
for name in h100-under-load rtx4090-idle; do
    x=$NVITOP_SCENARIOS/$name.json r=$TEST_TMP/$name.seq.json
    record "$x" "$r" 6 2
    grep -q '"seq"' "$r" || fail "$name: nothing recorded as a sequence"
    for k in 0 1 2; do
        a=$(json_at "$((2 * k)).5" "$x")
        b=$(json_at "$((2 * k)).5" "$r")
        [ "$a" == "$b" ] || fail "$name sample $k: $(diff <(echo "$a") <(echo "$b") | head)"
    done
done
echo "sequences replay sample by sample"

# Ctrl-C ends a long recording early and still writes it, with the samples taken so far.
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/a100-mig-node.json "$nvitop" --record-scenario \
    "$TEST_TMP/stopped.json" --duration 600 2>"$TEST_TMP/err" &
pid=$!
sleep 1.6
kill -INT "$pid"
start=$SECONDS
wait "$pid" && rc=0 || rc=$?
assert_eq "$rc" 0 "exit code after Ctrl-C"
((SECONDS - start < 5)) || fail "the recording took more than 5 s to stop"
python3 - "$TEST_TMP/stopped.json" <<'PY' || fail "the stopped recording"
import json, re, sys
doc = json.load(open(sys.argv[1]))
n = int(re.search(r": (\d+) samples?,", doc["description"]).group(1))
assert 1 <= n <= 3, doc["description"]
seqs = re.findall(r'"seq": \[([^]]*)\]', open(sys.argv[1]).read())
assert all(len(s.split(",")) == n for s in seqs), "a sequence longer than the samples taken"
PY
NVML_SIM_SCENARIO=$TEST_TMP/stopped.json "$nvitop" --json >/dev/null 2>"$TEST_TMP/err" ||
    fail "the stopped recording does not replay: $(cat "$TEST_TMP/err")"
[ ! -s "$TEST_TMP/err" ] || fail "the simulator warned about the stopped recording: $(cat "$TEST_TMP/err")"
echo "Ctrl-C: the samples taken are written"

# Bad input: one clear line, non-zero exit, nothing written.
bad() { # EXPECTED-EXIT EXPECTED-LAST-LINE-START ARGS...
    local want=$1 line=$2 rc
    shift 2
    NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json "$nvitop" "$@" \
        >"$TEST_TMP/out" 2>"$TEST_TMP/err" && rc=0 || rc=$?
    assert_eq "$rc" "$want" "exit code of nvitop $*"
    assert_contains "$(tail -n 1 "$TEST_TMP/err")" "$line" "stderr of nvitop $*"
}
bad 1 "ERROR: cannot write the scenario $TEST_TMP/no/such/dir.json: No such file or directory" \
    --record-scenario "$TEST_TMP/no/such/dir.json" --duration 0
bad 1 "ERROR: cannot write the scenario $TEST_TMP: " --record-scenario "$TEST_TMP" --duration 0
bad 2 "nvitop: error: argument --duration: invalid" --record-scenario "$TEST_TMP/x.json" --duration abc
bad 2 "nvitop: error: argument --duration: invalid duration: '-1'" \
    --record-scenario "$TEST_TMP/x.json" --duration=-1
bad 2 "nvitop: error: argument --duration: invalid duration: '1e9'" \
    --record-scenario "$TEST_TMP/x.json" --duration 1e9
bad 2 "nvitop: error: argument --duration: only with --record-scenario" --duration 5
bad 2 "nvitop: error: argument --record-scenario: not allowed with argument --json" \
    --json --record-scenario "$TEST_TMP/x.json"
bad 1 "ERROR: --duration 600 with samples 0.25 s apart takes 2400 samples (at most 600)" \
    --record-scenario "$TEST_TMP/x.json" --duration 600 --interval 0.25
NVITOP_NVML_LIBRARY=$TEST_TMP/none.so bad 1 "ERROR: NVIDIA Management Library (NVML) not found" \
    --record-scenario "$TEST_TMP/x.json" --duration 0
[ "$(wc -l <"$TEST_TMP/err")" = 1 ] || fail "no library: more than one line: $(cat "$TEST_TMP/err")"
[ ! -e "$TEST_TMP/x.json" ] || fail "a file was written after a failure"
# No driver: the file says so (init_error), and the exit code too.
NVML_SIM_SCENARIO="" "$nvitop" --record-scenario "$TEST_TMP/none.json" --duration 0 \
    2>"$TEST_TMP/err" && rc=0 || rc=$?
assert_eq "$rc" 1 "exit code without a driver"
assert_eq "$(cat "$TEST_TMP/err")" "NVML ERROR: nvmlInit failed: Driver Not Loaded (recorded as the scenario's init_error in $TEST_TMP/none.json)"
grep -q '"init_error": "DRIVER_NOT_LOADED"' "$TEST_TMP/none.json" || fail "no init_error written"
echo "bad input: one line and a non-zero exit each"
