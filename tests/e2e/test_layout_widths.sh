#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Layouts at every width (spec §2.1-2.3, §3.1-3.4): `nvitop -1` at COLUMNS 60..220 on four
# scenarios (one GPU, MIG, three GPUs with MIG, none; Unicode, and ASCII at every third width)
# and the monitor at the widths where its layout changes (the box below 79 columns, the bars
# from 100, their second column from 123, the power graph's column across the time marks).
# tests/e2e/layout_check.py checks each text: no line wider than the width, every framed line
# closed, nvitop's box characters only, the header 79 wide, the bars where the rules put them.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS NVITOP_FIXTURES
make_test_tmp
sim_env "$NVITOP_SCENARIOS/h100-under-load.json"
export NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic TZ=UTC LC_ALL=C.UTF-8 LOGNAME=root USER=root
unset NO_COLOR FORCE_COLOR ANSI_COLORS_DISABLED CUDA_VISIBLE_DEVICES NVITOP_MONITOR_MODE
check=$(dirname "$0")/layout_check.py

mkdir "$TEST_TMP/report" "$TEST_TMP/monitor"
for scenario in h100-under-load a100-mig-node mixed-3gpu-mig no-gpus; do
    name=$scenario
    [ "$scenario" = no-gpus ] && name=$scenario-nodev
    for columns in $(seq 60 220); do
        NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/$scenario.json COLUMNS=$columns \
            "$NVITOP_BIN_DIR/nvitop" -1 >"$TEST_TMP/report/$name.$columns.txt" ||
            fail "$scenario at $columns columns: exit $?"
        ((columns % 3)) && continue
        NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/$scenario.json COLUMNS=$columns \
            "$NVITOP_BIN_DIR/nvitop" -1 -U >"$TEST_TMP/report/$name-ascii.$columns.txt" ||
            fail "$scenario -U at $columns columns: exit $?"
    done
done
python3 "$check" report "$TEST_TMP/report" || fail "nvitop -1: layout rules broken (above)"

# The monitor, full mode, resized through the widths where its layout changes.
tmux_start 140 50 "$NVITOP_BIN_DIR/nvitop" -m full
wait_for "00000000:00:06.0" "140x50"
for w in 70 78 79 80 99 100 101 120 121 122 123 124 138 139 140 141 148 160 199 209 220; do
    resize "$w" 50
    if ((w < 79)); then
        wait_for "width is $w." "$w columns"
    else
        # the screen is redrawn at the new width: the process table's top border spans it
        border="╒$(printf '═%.0s' $(seq 3 "$w"))╕"
        wait_for "$border" "$w columns"
    fi
    screen >"$TEST_TMP/monitor/$w.txt"
done
python3 "$check" monitor "$TEST_TMP/monitor" || fail "monitor: layout rules broken (above)"
echo "layouts at every width: ok"
