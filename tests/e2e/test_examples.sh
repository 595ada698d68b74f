#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# examples/devices (the README's quick start, public API only) on the shipped scenarios and on
# seeded random ones: what it prints must be what the scenario holds, N/A where the scenario
# says a value is missing or its function fails.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_EXAMPLES_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS NVITOP_FIXTURES
make_test_tmp
here=$(cd "$(dirname "$0")" && pwd)

export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic
unset CUDA_VISIBLE_DEVICES

check() { # check SCENARIO.json LABEL
    NVML_SIM_SCENARIO=$1 "$NVITOP_EXAMPLES_DIR/devices" >"$TEST_TMP/out" 2>"$TEST_TMP/err" ||
        fail "$2: examples/devices failed: $(cat "$TEST_TMP/err")"
    python3 "$here/test_examples_expect.py" "$1" "$TEST_TMP/out" "$2" || fail "$2 differs"
}

for scenario in h100-under-load rtx4090-idle a100-mig-node node-gpu-lost node-container-pids \
    unsupported-fields no-gpus; do
    check "$NVITOP_SCENARIOS/$scenario.json" "$scenario"
done
for seed in $(seq 1 12); do
    python3 "$here/test_sim_clients_gen.py" gen "$seed" "$TEST_TMP/s$seed.json" /dev/null
    check "$TEST_TMP/s$seed.json" "random scenario $seed"
done

NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/driver-not-loaded.json "$NVITOP_EXAMPLES_DIR/devices" \
    >/dev/null 2>"$TEST_TMP/err" && fail "devices succeeded without a driver"
assert_contains "$(cat "$TEST_TMP/err")" "devices: The NVIDIA driver is not loaded"
echo "examples/devices: ok"
