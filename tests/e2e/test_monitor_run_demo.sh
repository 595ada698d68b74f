#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make run` on a terminal opens the monitor (on the demo's simulated GPUs, here), shows the
# demo's real processes, and after q prints the report and leaves no worker behind.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_SOURCE_DIR NVITOP_BUILD_DIR NVITOP_SIM_LIB
make_test_tmp
unset NVITOP_NVML_LIBRARY NVML_SIM_SCENARIO NVITOP_PROC_ROOT NVML_SIM_EPOCH
# the demo's workers run in its temporary directory, here under ours
tmux_start 160 50 env TMPDIR="$TEST_TMP" "$NVITOP_SOURCE_DIR/scripts/run.sh" "$NVITOP_BUILD_DIR"
wait_for "(Press h for help or q to quit)" "the monitor"
wait_for "python3 train.py --model llama-8b --batch-size 32 --epochs 3" "a demo process"
wait_for "│ 2:0 " "the demo's MIG device"
keys q
assert_eq "$(wait_exit)" "0" "exit code"
wait_for "╘═══" "the report after q"
assert_contains "$(cat "$TEST_TMP/err")" "running on simulated GPUs"
for p in /proc/[0-9]*; do
    case "$(readlink "$p/cwd" 2>/dev/null)" in
    "$TEST_TMP"/nvitop-demo.*) fail "demo worker ${p#/proc/} left running" ;;
    esac
done
echo "make run: the monitor: ok"
