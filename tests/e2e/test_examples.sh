#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The examples (public API only), each the C counterpart of a Python nvitop example, run on
# the simulator with their output checked against the scenario:
# - devices (the README's quick start) on the shipped scenarios and on seeded random ones:
#   what it prints must be what the scenario holds, N/A where a value is missing or fails;
# - monitor_colored (CUDA order, colours, process table), snapshots (take_snapshots),
#   collector_csv (the resource metric collector to CSV): test_examples_check.py;
# - select_devices: the same choice as nvisel with the same constraints.
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

ex() { # ex SCENARIO NAME ARGS...: runs an example, its stdout in $TEST_TMP/out
    local scenario=$1 name=$2
    shift 2
    NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/$scenario.json "$NVITOP_EXAMPLES_DIR/$name" "$@" \
        >"$TEST_TMP/out" 2>"$TEST_TMP/err" || fail "$name $* on $scenario: $(cat "$TEST_TMP/err")"
}
checked() { # checked MODE SCENARIO ARGS...: test_examples_check.py on $TEST_TMP/out
    local mode=$1 scenario=$2
    shift 2
    python3 "$here/test_examples_check.py" "$mode" "$NVITOP_SCENARIOS/$scenario.json" \
        "$TEST_TMP/out" "$@" || fail "$mode on $scenario differs"
}

for scenario in mixed-3gpu-mig h100-under-load node-8gpu-100proc; do
    case $scenario in mixed-3gpu-mig) visible=1,0 ;; h100-under-load) visible=0 ;; *) visible=7,0,3 ;; esac
    CUDA_VISIBLE_DEVICES=$visible ex "$scenario" monitor_colored -n 3 -i 0.01 --color=always
    checked colored "$scenario" 3 "$visible"
    ex "$scenario" snapshots
    checked snapshots "$scenario" with
    ex "$scenario" snapshots --no-processes
    checked snapshots "$scenario" without
    ex "$scenario" collector_csv -n 3 -p 0.05 -i 0.01 -o "$TEST_TMP/out"
    checked csv "$scenario" 3
done
# Colour only when asked (or on a terminal); the CUDA order of snapshots --cuda.
CUDA_VISIBLE_DEVICES=0 ex h100-under-load monitor_colored -n 1 --color=never
[[ $(cat "$TEST_TMP/out") != *$'\e['* ]] || fail "monitor_colored --color=never wrote escapes"
CUDA_VISIBLE_DEVICES=1,0 ex mixed-3gpu-mig snapshots --cuda
assert_contains "$(cat "$TEST_TMP/out")" "real=CudaDevice(cuda_index=0, nvml_index=1, ...)"
assert_contains "$(cat "$TEST_TMP/out")" "real=CudaDevice(cuda_index=1, nvml_index=0, ...)"
[[ $(grep -c "DeviceSnapshot(" "$TEST_TMP/out") == 2 ]] || fail "snapshots --cuda: not 2 devices"
echo "examples/monitor_colored, snapshots, collector_csv: ok"

# select_devices chooses what nvisel chooses, and runs a program with it.
for args in "-c 2 -f 1GiB" "-C 1" "-c 1 -G 50" "-f 70GiB"; do
    ex mixed-3gpu-mig select_devices $args
    # shellcheck disable=SC2086
    want=$(NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/mixed-3gpu-mig.json \
        "$NVITOP_BIN_DIR/nvisel" $args -O uuid --tolerance 0 2>/dev/null)
    assert_eq "$(cat "$TEST_TMP/out")" "CUDA_VISIBLE_DEVICES=$want"
done
ex mixed-3gpu-mig select_devices --index -C 2 -- sh -c 'echo "child: $CUDA_VISIBLE_DEVICES"'
assert_eq "$(sed -n 2p "$TEST_TMP/out")" "child: $(sed -n 's/^CUDA_VISIBLE_DEVICES=//p' "$TEST_TMP/out")"
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/mixed-3gpu-mig.json "$NVITOP_EXAMPLES_DIR/select_devices" \
    -c 9 >/dev/null 2>"$TEST_TMP/err" && fail "select_devices -c 9 succeeded"
assert_contains "$(cat "$TEST_TMP/err")" "9 needed"

# Bad arguments: one line, exit 2.
for bad in "monitor_colored -n 0" "monitor_colored --color=sometimes" "snapshots --bogus" \
    "collector_csv -i 0" "collector_csv -n" "select_devices -f lots"; do
    # shellcheck disable=SC2086
    status=0
    NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json "$NVITOP_EXAMPLES_DIR"/$bad \
        >/dev/null 2>"$TEST_TMP/err" || status=$?
    assert_eq "$status" 2 "exit status of $bad"
    assert_contains "$(head -1 "$TEST_TMP/err")" "${bad%% *}: "
done
echo "examples/select_devices and bad arguments: ok"
