#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Everything that can go wrong around nvitop -1 gives one clear message and exit 1, or N/A in
# the report, never a crash: no library, no driver, version mismatch, a broken scenario, a lost
# GPU, unsupported fields, pids from another namespace, an unreadable or missing /proc.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS NVITOP_FIXTURES
make_test_tmp

export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic
export TZ=UTC LOGNAME=root COLUMNS=79 LC_ALL=C.UTF-8
unset NO_COLOR FORCE_COLOR NVITOP_MONITOR_MODE LOGLEVEL CUDA_VISIBLE_DEVICES
nvitop=$NVITOP_BIN_DIR/nvitop

run() {
    "$nvitop" "$@" </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err" && rc=0 || rc=$?
    out=$(cat "$TEST_TMP/out")
    err=$(cat "$TEST_TMP/err")
    # A crash (signal) is never acceptable.
    [ "$rc" -lt 128 ] || fail "nvitop $* died with signal $((rc - 128)): $err"
}

# one_line_error CODE TEXT: exit CODE, nothing on stdout, exactly one line on stderr.
one_line_error() {
    assert_eq "$rc" "$1" "exit code"
    assert_eq "$out" "" "stdout"
    assert_eq "$(wc -l <"$TEST_TMP/err")" 1 "one line on stderr: $err"
    assert_contains "$err" "$2"
}

NVITOP_NVML_LIBRARY=/nonexistent/libnvidia-ml.so.1 run -1
one_line_error 1 "FATAL ERROR: NVIDIA Management Library (NVML) not found"
assert_contains "$err" "/nonexistent/libnvidia-ml.so.1"

NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/driver-not-loaded.json run -1
one_line_error 1 "NVML ERROR: The NVIDIA driver is not loaded"

(unset NVML_SIM_SCENARIO; run -1; one_line_error 1 "NVML ERROR: The NVIDIA driver is not loaded")

NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/version-mismatch.json run -1
one_line_error 1 "NVML ERROR: The NVIDIA driver and libnvidia-ml.so have different versions"

NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/driver-not-loaded.json run --json
one_line_error 1 "NVML ERROR:"

# A broken scenario: the simulator says why (its own line), nvitop says NVML failed.
echo '{"devices": [{"name": 5}]}' >"$TEST_TMP/broken.json"
NVML_SIM_SCENARIO=$TEST_TMP/broken.json run -1
assert_eq "$rc" 1 "broken scenario exit"
assert_eq "$out" "" "broken scenario stdout"
assert_contains "$err" "NVML ERROR: NVML could not be initialised"

# A lost GPU: the report goes on, the GPU reads ERROR: GPU is Lost, nothing shows as 0.
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/node-gpu-lost.json run -1
assert_eq "$rc" 0 "lost GPU exit"
assert_contains "$out" "│   2  ERROR: GPU is Lost   N/A │ N/A              N/A │     N/A          N/A │"
assert_contains "$out" "│ N/A   N/A  N/A      N/A / N/A │            N/A / N/A │     N/A          N/A │"
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/node-gpu-lost.json run --json
assert_eq "$rc" 0 "lost GPU --json exit"
python3 - "$TEST_TMP/out" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
lost = doc["devices"][2]
assert lost["name"] is None and lost["memory_used_bytes"] is None, lost
assert lost["unavailable"]["name"] == "GPU is lost", lost["unavailable"]
assert doc["devices"][0]["name"] == "NVIDIA H100 80GB HBM3"
PY

# Unsupported and failing fields: N/A, never a made-up 0.
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/unsupported-fields.json run -1
assert_eq "$rc" 0 "unsupported fields exit"
assert_contains "$out" "│ N/A   N/A  N/A      N/A / N/A │"
grep -qE '│ +0%|  0W /| 0C ' <<<"$out" && fail "an unsupported value is shown as 0: $out"

# Pids the host cannot see: No Such Process with N/A host columns.
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/node-container-pids.json run -1
assert_eq "$rc" 0 "container pids exit"
assert_contains "$out" "4194305 C     N/A 16384MiB  55    30   N/A   N/A   N/A  No Such Process"

# The proc root: missing is one clear error; unreadable parts are N/A.
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json NVITOP_PROC_ROOT=$TEST_TMP/none run -1
one_line_error 1 "ERROR: cannot open the proc file system at $TEST_TMP/none"
mkdir "$TEST_TMP/empty-proc"
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json NVITOP_PROC_ROOT=$TEST_TMP/empty-proc run -1
assert_eq "$rc" 0 "empty proc root exit"
assert_contains "$out" "[ CPU: ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ N/A ]  ( Load Average:   N/A   N/A   N/A )" "host unknown"
assert_contains "$out" "1045 C     N/A  3178MiB  81    26   N/A   N/A   N/A  No Such Process"
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/broken run -1
assert_eq "$rc" 0 "malformed proc files exit"

# A stdout that is closed early (nvitop -1 | head -1) ends quietly.
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/node-8gpu-100proc.json "$nvitop" -1 2>"$TEST_TMP/err" | head -1 >/dev/null
assert_eq "$(cat "$TEST_TMP/err")" "" "no message when the reader goes away"
echo "nvitop failure paths: ok"
