#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The mouse on the main screen in a real terminal (tmux), as X10 and as SGR (1006) reports: a
# click selects, the wheel moves by one, Ctrl-wheel by five, Shift-wheel scrolls the commands
# sideways; a click on the "h" of the hint line opens the help (a click returns), on the keys
# of the signal hint opens the box (a click on Cancel closes it, after a resize), on the "q"
# quits.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_FIXTURES
make_test_tmp
export NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic TZ=UTC
scenario=$TEST_TMP/scenario.json
procs=""
for p in 1012 1016 1017 1018 1045 1046 2002 2003; do
    procs+="${procs:+, }{\"pid\": $p, \"type\": \"C\", \"used_memory\": 1073741824}"
done
cat >"$scenario" <<JSON
{"devices": [{"name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-0", "bus_id": "00000000:18:00.0",
  "memory": {"total": 85899345920, "used": 10737418240}, "processes": [$procs]}]}
JSON
sim_env "$scenario"

# sgr CODE X Y [m]: an SGR mouse report (press, or release with m)
sgr() { keys -l $'\e'"[<$1;$(($2 + 1));$(($3 + 1))${4:-M}"; }

tmux_start 80 40 "$NVITOP_BIN_DIR/nvitop" --interval 0.5
wait_for "1046 C" "start"
click 10 "$(row_of "1016 C")"
wait_selected "1016 C"
sgr 0 10 "$(row_of "1018 C")"
sgr 0 10 "$(row_of "1018 C")" m
wait_selected "1018 C"
# the wheel: one row; Ctrl: five
mouse 65 10 5
wait_selected "1045 C"
sgr 64 10 5
wait_selected "1018 C"
keys Home
wait_selected "1012 C"
mouse 81 10 5 # Ctrl + wheel down (X10)
wait_selected "1046 C"
sgr 80 10 5 # Ctrl + wheel up (SGR)
wait_selected "1012 C"
# Shift-wheel: the host information two columns sideways, and back
wait_for "%CPU  %MEM  TIME  COMMAND" "the header before Shift-wheel"
mouse 69 10 5
wait_for "%GMBW  CPU  %MEM" "Shift-wheel down: two columns"
sgr 68 10 5
wait_for "%CPU  %MEM  TIME  COMMAND" "Shift-wheel up: back"
# the signal hint's K opens the box; a click on Cancel closes it
wait_for "(Press ^C(INT)/T(TERM)/K(KILL) to send signals)" "the signal hint"
click "$(col_of "K(KILL)")" "$(row_of "K(KILL)")"
wait_for "Send signal to process 1012(root)?" "a click on the hint's K"
# the box follows a resize, and its buttons with it
resize 100 30
wait_for "Send signal to process 1012(root)?" "the box after a resize"
end=$((SECONDS + TMUX_WAIT)) # the box centred in 100 columns: its message at column 33
until [ "$(col_of "Send signal")" = 33 ]; do
    ((SECONDS < end)) || fail "the box is not centred after the resize"
    sleep 0.1
done
click "$(($(col_of "Cancel") + 1))" "$(row_of "Cancel")"
wait_gone "Send signal to process" "a click on Cancel"
# the hint line: h opens the help, a click returns, q quits
click 55 0
wait_for "Device coloring rules by loading intensity:" "a click on h"
click 5 5
wait_for "(Press h for help or q to quit)" "a click returns from the help"
click 69 0
assert_eq "$(wait_exit)" "0" "a click on q quits"
echo "monitor mouse: ok"
