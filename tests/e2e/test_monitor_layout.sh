#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The monitor in a real terminal (tmux) on the H100 scenario with the fixture host's
# processes: its layout at 80x24 (every panel compact but the processes, as nvitop's auto mode
# picks; rows as in nvitop's capture tui-auto-80x24.txt), 120x40 (full, one column of bars)
# and 200x60 (two columns of bars, host graphs with the time axis and our power graph), resized
# while it runs, down to the box shown below 79 columns and back; q leaves it and prints the
# report as nvitop does.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS NVITOP_FIXTURES
make_test_tmp
sim_env "$NVITOP_SCENARIOS/h100-under-load.json"
export NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic TZ=UTC

tmux_start 80 24 "$NVITOP_BIN_DIR/nvitop"
wait_for "python3 bench/.." "80x24"
s=$(screen)
for line in "(Press h for help or q to quit)" \
    "│ GPU Fan Temp Perf Pwr:Usg/Cap │         Memory-Usage │ GPU-Util  Compute M. │" \
    "╘═══════════════════════════════╧══════════════════════╧══════════════════════╛" \
    "│ Processes:" \
    "│ GPU     PID      USER  GPU-MEM %SM %GMBW  %CPU  %MEM  TIME  COMMAND          │" \
    "╞══════════════════════════════════════════════════════════════════════════════╡"; do
    assert_contains "$s" "$line" "80x24"
done
assert_eq "$(screen_line 1)" "╒═════════════════════════════════════════════════════════════════════════════╕" "80x24 line 1"
assert_contains "$(screen_line 6)" "│   0 N/A  54C  P0  692W / 700W │  10466MiB / 79.65GiB │" "80x24 device row"
assert_contains "$(screen_line 8)" "[ CPU: " "80x24 host line"
assert_contains "$(screen_line 8)" "( Load Average: " "80x24 host line"
assert_contains "$(screen_line 9)" "[ SWP: " "80x24 host line"
assert_contains "$s" "    1045 C    root  3178MiB" "80x24 process row"

resize 120 40
wait_for "│ Load Average:" "120x40 host graphs"
s=$(screen)
assert_contains "$s" "│ GPU  Name        Persistence-M│ Bus-Id        Disp.A │ MIG M.   Uncorr. ECC │" "120x40"
assert_contains "$s" "│   0  H100 80GB HBM3        On │ 00000000:00:06.0 Off │ Disabled           0 │ MEM: " "120x40"
assert_contains "$s" "├────────────╴120s├─────────────────────────╴60s├──────────╴30s├──────────────┼──────╴60s├──────────╴30s├──────────────┤" "120x40 time axis"
assert_contains "$s" "│ GPU MEM:" "120x40"
assert_contains "$s" "│ GPU UTL:" "120x40"
case $s in *"GPU PWR"*) fail "120x40: no room for the power graph, yet it is drawn" ;; esac

resize 200 60
wait_for "GPU PWR:" "200x60 power graph"
s=$(screen)
assert_contains "$s" "│ MBW: " "200x60 bars"
assert_contains "$s" "│ PWR: " "200x60 bars"
assert_contains "$s" "╴180s├" "200x60 time axis"
assert_contains "$s" "python3 bench/mm.py 120 1.0 2147483648" "200x60 commands uncut"

resize 70 24
wait_for "nvitop needs at least a width of 79" "70 columns"
wait_for "width is 70." "70 columns"
resize 100 30
wait_for "│ MEM: " "back at 100 columns"
keys q
rc=$(wait_exit)
assert_eq "$rc" "0" "exit code after q"
out=$(screen)
assert_contains "$out" "│ NVITOP 1.7.0      Driver Version: 580.159.04      CUDA Driver Version: 13.0 │" "report after q"
assert_contains "$out" "│   0    1045 C    root  3178MiB" "report after q"
echo "monitor layout: ok"
