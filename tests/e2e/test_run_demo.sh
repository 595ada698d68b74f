#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make run` without a driver: says it runs on simulated GPUs, shows the demo's real processes
# with their command lines, and leaves none of them behind. Also NVML_SIM_EPOCH, which gives
# the demo's successive runs one timeline.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_SOURCE_DIR NVITOP_BUILD_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS
make_test_tmp
unset NVITOP_NVML_LIBRARY NVML_SIM_SCENARIO NVITOP_PROC_ROOT NVML_SIM_EPOCH
export COLUMNS=160

"$NVITOP_SOURCE_DIR/scripts/run.sh" "$NVITOP_BUILD_DIR" </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err" ||
    fail "run.sh: $(cat "$TEST_TMP/err")"
out=$(cat "$TEST_TMP/out")
assert_contains "$(cat "$TEST_TMP/err")" "no NVIDIA driver found: running on simulated GPUs"
assert_contains "$out" "│   0  H100 80GB HBM3        On │ 00000000:18:00.0 Off │"
assert_contains "$out" "│ 2:0      3g.20gb @ GI/CI: 1/0 │"
for job in "python3 train.py --model llama-8b --batch-size 32 --epochs 3" \
    "python3 serve.py --port 8080 --max-batch 64" "python3 viz.py --display :0"; do
    assert_contains "$out" "$job" "demo process"
done
assert_contains "$out" "No Such Process" "the container process"
sleep 0.2
pgrep -f "train.py --model llama-8b" >/dev/null && fail "demo workers left running"

export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json
NVML_SIM_EPOCH=yesterday "$NVITOP_BUILD_DIR/src/nvitop" -1 >/dev/null 2>"$TEST_TMP/err" &&
    fail "a bad NVML_SIM_EPOCH was accepted"
assert_contains "$(cat "$TEST_TMP/err")" "NVML_SIM_EPOCH: expected Unix time in seconds, got 'yesterday'"
# The H100 scenario's utilization steps every second: 2 s past the epoch is its third value.
seq=$(python3 -c "import json; print(json.load(open('$NVML_SIM_SCENARIO'))['devices'][0]['utilization']['gpu']['seq'][2])")
epoch=$(python3 -c "import time; print(time.time() - 2.5)")
NVML_SIM_EPOCH=$epoch "$NVITOP_BUILD_DIR/src/nvitop" --json >"$TEST_TMP/json"
got=$(python3 -c "import json; print(json.load(open('$TEST_TMP/json'))['devices'][0]['gpu_utilization_percent'])")
assert_eq "$got" "$seq" "utilization 2.5 s after NVML_SIM_EPOCH"
echo "make run demo: ok"
