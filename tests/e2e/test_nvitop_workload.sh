#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `nvitop -1 --workload` and `nvitop --json --workload` on the workload fixtures
# (tests/fixtures/workloads: one pid per cgroup layout, the runtimes' files; a container's view
# with NSpid), byte for byte against tests/fixtures/golden/workloads-*; without --workload the
# report is the same up to the workload table and the JSON carries no workload but those of
# another PID namespace's processes (none on the host). NVITOP_UPDATE_GOLDEN=1 rewrites.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_FIXTURES
make_test_tmp

export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB TZ=UTC LOGNAME=root USER=root LC_ALL=C.UTF-8
unset NO_COLOR FORCE_COLOR ANSI_COLORS_DISABLED CUDA_VISIBLE_DEVICES LOGLEVEL
golden=$NVITOP_FIXTURES/golden
wl=$NVITOP_FIXTURES/workloads

compare() { # NAME GOLDEN ACTUAL
    if [ "${NVITOP_UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$3" "$2"
    elif ! cmp -s "$3" "$2"; then
        diff "$2" "$3" >&2 || true
        fail "$1 differs from $2"
    fi
}

mask_json() {
    python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
for key in ("time", "time_unix_s"):
    doc[key] = "(masked)"
doc["host"]["disk_usage"] = "(masked)"
print(json.dumps(doc, indent=2))' "$1"
}

# view NAME PROC ROOT SCENARIO
view() {
    local name=$1
    export NVITOP_PROC_ROOT=$2 NVITOP_RUNTIME_ROOT=$3 NVML_SIM_SCENARIO=$NVITOP_FIXTURES/scenarios/$4.json
    COLUMNS=120 "$NVITOP_BIN_DIR/nvitop" -1 --workload >"$TEST_TMP/out" 2>"$TEST_TMP/err" ||
        fail "$name: $(cat "$TEST_TMP/err")"
    [ -s "$TEST_TMP/err" ] && fail "$name: unexpected stderr: $(cat "$TEST_TMP/err")"
    tail -n +2 "$TEST_TMP/out" >"$TEST_TMP/body"
    compare "$name report" "$golden/$name.txt" "$TEST_TMP/body"
    "$NVITOP_BIN_DIR/nvitop" --json --workload >"$TEST_TMP/json" || fail "$name --json"
    mask_json "$TEST_TMP/json" >"$TEST_TMP/body"
    compare "$name --json" "$golden/$name.json" "$TEST_TMP/body"
    # without --workload: no table; the report is the golden one up to the table (the rows of
    # another PID namespace's processes read "other container" there too, never "No Such
    # Process"), and the JSON has a "workload" object only for those
    COLUMNS=120 "$NVITOP_BIN_DIR/nvitop" -1 >"$TEST_TMP/plain"
    grep -q WORKLOAD "$TEST_TMP/plain" && fail "$name: a workload table without --workload"
    tail -n +2 "$TEST_TMP/plain" >"$TEST_TMP/plain.body"
    head -n "$(wc -l <"$TEST_TMP/plain.body")" "$golden/$name.txt" | cmp -s - "$TEST_TMP/plain.body" ||
        fail "$name: the report without --workload differs from $golden/$name.txt: $(cat "$TEST_TMP/plain")"
    "$NVITOP_BIN_DIR/nvitop" --json >"$TEST_TMP/plain.json"
    python3 -c '
import json, sys
for p in json.load(open(sys.argv[1]))["processes"]:
    w = p.get("workload")
    if w is not None:
        print(p["pid"], w["kind"], w["label"], w["driver_pid"])' "$TEST_TMP/plain.json" >"$TEST_TMP/plain.workloads"
    return 0
}

view workloads-host "$wl/host/proc" "$wl/host/root" workloads
[ -s "$TEST_TMP/plain.workloads" ] &&
    fail "workloads in the host's --json without --workload: $(cat "$TEST_TMP/plain.workloads")"
grep -q "No Such Process" "$TEST_TMP/plain" || fail "the host's gone process is not No Such Process"
view workloads-container "$wl/container/proc" "$wl/host/root" workloads-container
assert_eq "$(cat "$TEST_TMP/plain.workloads")" "48999 other-namespace other container 48999" \
    "the container's --json without --workload"
assert_contains "$(cat "$TEST_TMP/plain")" "other container" "the container's report without --workload"
grep -q "No Such Process" "$TEST_TMP/plain" &&
    fail "another container's process reads No Such Process without --workload"
# the container view: pids mapped, another container's process said so
assert_contains "$(cat "$golden/workloads-container.txt")" "other container"
grep -q "No Such Process" "$golden/workloads-container.txt" &&
    fail "another container's process reads No Such Process"
echo "workload reports match their golden files"
