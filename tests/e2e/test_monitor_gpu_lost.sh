#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A scenario switched to "GPU lost" while the monitor runs: the lost GPU shows as such with N/A
# values (in red), the other GPU and the processes keep updating, keys keep working, and it
# comes back when the scenario does. The screen never freezes or dies.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_FIXTURES
make_test_tmp
export NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic
scenario=$TEST_TMP/scenario.json
gpus() { # ERRORS-OF-GPU-0 UTILIZATION-OF-GPU-1
    cat <<JSON
{"driver_version": "550.54.15", "cuda_driver_version": 12040, "devices": [
 {"name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-0", "bus_id": "00000000:18:00.0",
  "memory": {"total": 85899345920, "used": 10737418240}, "utilization": {"gpu": 50, "memory": 20},
  "temperature": 60, "power_usage": 300000, "power_limit": 700000, "errors": {$1},
  "processes": [{"pid": 1045, "type": "C", "used_memory": 3332374528}]},
 {"name": "NVIDIA A100-SXM4-80GB", "uuid": "GPU-1", "bus_id": "00000000:19:00.0",
  "memory": {"total": 85899345920, "used": 2147483648}, "utilization": {"gpu": $2, "memory": 1},
  "temperature": 40, "power_usage": 100000, "power_limit": 400000,
  "processes": [{"pid": 1046, "type": "C", "used_memory": 1073741824}]}]}
JSON
}
replace_scenario "$scenario" "$(gpus "" 11)"
sim_env "$scenario"

tmux_start 160 50 "$NVITOP_BIN_DIR/nvitop" -m full --interval 0.5
wait_for "│   0  H100 80GB HBM3" "start"
wait_for "    1045 C" "GPU 0's process"

replace_scenario "$scenario" "$(gpus '"*": "GPU_IS_LOST"' 77)"
wait_for "│   0  ERROR: GPU is Lost" "GPU 0 lost"
wait_for "│   1  A100-SXM4-80GB" "GPU 1 still there"
wait_for "     77%" "GPU 1 still updates"
row=$(screen | grep -a -A1 "ERROR: GPU is Lost" | tail -1)
assert_contains "$row" "N/A / N/A" "the lost GPU's power"
assert_contains "$row" "N/A / N/A" "the lost GPU's memory"
screen -e | grep -a "ERROR: GPU is Lost" | grep -qa $'\e\\[[0-9;]*31m' || fail "the lost GPU is not red"
wait_gone "    1045 C" "the lost GPU's process list"
wait_for "    1046 C" "the other GPU's process"
# still answering keys, and the clock still moves
keys c
wait_for "│ GPU Fan Temp Perf Pwr:Usg/Cap │" "c after the loss"
date1=$(screen_line 0 | cut -c1-24)
wait_gone "$date1" "the date line moves"
keys f

replace_scenario "$scenario" "$(gpus "" 33)"
wait_for "     33%" "GPU 1 after the scenario came back"
keys q
assert_eq "$(wait_exit)" "0" "exit code"
echo "monitor gpu lost: ok"
