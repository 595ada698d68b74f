#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The tree view in a real terminal (tmux), over the fixture proc root: t opens it only after
# the first process snapshot, the tree (ancestors up to the root, one node per host pid, the
# prefixes, the columns), every key of it (Up/Down and their aliases, PageUp/PageDown, [ ],
# Home, End, Space, Esc, Left/Right and Alt-h/l by 5, Ctrl-A and ^, t q Q back), the
# selection carried both ways, the mouse (click, wheel, Ctrl-wheel by 5, Shift-wheel
# sideways), resizes while it shows, and the message when no GPU process is left.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_FIXTURES
make_test_tmp
export NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic TZ=UTC
scenario=$TEST_TMP/scenario.json
devices() { # PROCESSES-OF-GPU-0 PROCESSES-OF-GPU-1
    echo "{\"devices\": [
 {\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-0\", \"bus_id\": \"00000000:18:00.0\",
  \"memory\": {\"total\": 85899345920, \"used\": 10737418240}, \"processes\": [$1]},
 {\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-1\", \"bus_id\": \"00000000:19:00.0\",
  \"memory\": {\"total\": 85899345920, \"used\": 2147483648}, \"processes\": [$2]}]}"
}
devices '{"pid": 1045, "type": "C", "used_memory": 3332374528, "sm": 81},
         {"pid": 1046, "type": "C", "used_memory": 7627341824, "sm": 16}' \
    '{"pid": 2001, "type": "G", "used_memory": 1073741824},
     {"pid": 4194300, "type": "C", "used_memory": 536870912}' >"$scenario"
sim_env "$scenario"

tmux_start 140 30 "$NVITOP_BIN_DIR/nvitop" --interval 0.5
wait_for "python3 bench/mm.py 120 1.0" "start"
keys t
wait_for "    PID  USER  DEVICE  NLWP  %CPU  %MEM  TIME  COMMAND" "t: the header"
wait_for "No Such Process" "t: the whole tree"
case "$(screen)" in *"Processes:"*) fail "the main screen shows under the tree view" ;; esac
# the tree: the commands with their prefixes, from the COMMAND column on
cat >"$TEST_TMP/expected" <<'TEXT'
/sbin/init
├─ ./evil
└─ bash
   └─ bash
      └─ bash
         └─ bash run-experiments.sh
            ├─ python3 bench/mm.py 120 1.0 2147483648
            └─ python3 bench/mm.py 120 0.4 6442450944
No Such Process
TEXT
screen | sed -n 2,10p | cut -c48- | sed -e 's/ *$//' >"$TEST_TMP/shown"
diff -u "$TEST_TMP/expected" "$TEST_TMP/shown" || fail "the tree differs"
# the columns before it
screen | grep -q "^      1  root    Host    25  *[0-9.]*   0\\.0  *[0-9:]*  /sbin/init" || fail "init's row"
screen | grep -q "^   2001  4242   GPU 1     2 " || fail "the graphics process's row"
screen | grep -q "^   1045  root   GPU 0    18 " || fail "1045's row"
screen | grep -q "^4194300  N/A    GPU 1   N/A   N/A   N/A   N/A  No Such Process" || fail "the gone process's row"
# the header in reverse video; no hint without a selection
screen -e | head -1 | grep -qa $'\e\\[[0-9;]*7[0-9;]*m' || fail "the header is not in reverse video"
case "$(screen_line 0)" in *"to send signals"*) fail "a hint without a selection" ;; esac

# selection keys
keys Down
wait_tree_selected "/sbin/init"
wait_for "(Press ^C(INT)/T(TERM)/K(KILL) to send signals)" "the hint with a selection"
keys End
wait_tree_selected "No Such Process"
keys Home
wait_tree_selected "/sbin/init"
keys Down Down
wait_tree_selected "1012  root"
for k in Tab M-j PageDown ']' M-J; do
    keys "$k"
    wait_tree_selected "1016  root"
    keys Up
    wait_tree_selected "1012  root"
done
for k in BTab M-k PageUp '[' M-K; do
    keys "$k"
    wait_tree_selected "./evil"
    keys Down
    wait_tree_selected "1012  root"
done
# Space tags (yellow) and moves down; Esc clears both
keys Space
wait_tree_selected "1016  root"
screen -e | grep -a "   1012  root" | grep -qa "33m" || fail "Space: 1012 not shown as tagged"
keys Escape
wait_gone "to send signals" "Esc clears the selection"
[ -z "$(selected_tree_row)" ] || fail "Esc: still selected: $(selected_tree_row)"
case "$(screen -e | grep -a '   1012  root')" in *33m*) fail "Esc: 1012 still tagged" ;; esac

# horizontal scroll by 5 (header from column 5, 10), Ctrl-A and ^ back, COMMAND alone past it
keys Right
wait_for "ID  USER  DEVICE" "Right: 5 columns"
keys M-l
wait_for "SER  DEVICE" "Alt-l: 5 more"
keys Left
wait_for "ID  USER  DEVICE" "Left"
keys M-h
wait_for "    PID  USER" "Alt-h"
keys Right Right
wait_for "SER  DEVICE" "Right twice"
keys C-a
wait_for "    PID  USER" "Ctrl-A"
keys Right Right
wait_for "SER  DEVICE" "Right twice again"
keys '^'
wait_for "    PID  USER" "^"
for _ in 1 2 3 4 5 6 7 8 9 10; do keys Right; done
wait_line 0 "COMMAND" "past the columns"
assert_eq "$(screen_line 0)" "COMMAND" "past the columns: COMMAND alone"
keys C-a
wait_for "    PID  USER" "Ctrl-A after the columns"

# the mouse: a click selects, the wheel moves by 1, Ctrl-wheel by 5, Shift-wheel sideways by 2,
# a click on the header clears the selection
click 20 "$(row_of "run-experiments")"
wait_tree_selected "run-experiments"
mouse 65 20 5
wait_tree_selected "mm.py 120 1.0"
mouse 64 20 5
wait_tree_selected "run-experiments"
keys Home
wait_tree_selected "/sbin/init"
mouse 81 20 5 # Ctrl + wheel down
wait_tree_selected "run-experiments"
mouse 80 20 5 # Ctrl + wheel up
wait_tree_selected "/sbin/init"
mouse 69 20 5 # Shift + wheel down
wait_line 0 "  PID  USER  DEVICE" "Shift-wheel: 2 columns"
mouse 68 20 5 # Shift + wheel up
wait_for "    PID  USER" "Shift-wheel back"
click 20 0
wait_gone "to send signals" "a click on the header"

# resizes: the selection stays on screen; too narrow shows the box; back
keys End
wait_tree_selected "No Such Process"
resize 100 6
wait_gone "/sbin/init" "100x6: scrolled to the selection"
wait_tree_selected "No Such Process"
resize 60 20
wait_for "nvitop needs at least a width of 79" "60 columns"
resize 140 30
wait_for "/sbin/init" "140x30"
wait_tree_selected "No Such Process"

# the selection goes back to the main screen with t, and comes with t
keys Home Down Down Down Down Down Down
wait_tree_selected "mm.py 120 1.0"
keys t
wait_for "(Press h for help or q to quit)" "t: back to the main screen"
wait_selected "1045 C"
keys Down t
wait_tree_selected "mm.py 120 0.4"
# e: the selected row's environment, and back to the tree with its selection
keys e
wait_for "Environment of process 1046 (root@GPU: Compute): python3 bench/mm.py 120 0.4" "e on the tree view"
keys e
wait_for "DEVICE  NLWP" "e: back to the tree view"
wait_tree_selected "mm.py 120 0.4"
keys q
wait_for "(Press h for help or q to quit)" "q: back"
wait_selected "1046 C"
keys t
wait_for "DEVICE  NLWP" "t again"
keys Q
wait_for "(Press h for help or q to quit)" "Q: back"
[ -s "$TEST_TMP/rc" ] && fail "q or Q on the tree view quit the monitor"

# no GPU process left
keys t
wait_for "DEVICE  NLWP" "t before the processes end"
replace_scenario "$scenario" "$(devices "" "")"
wait_for "No running GPU processes found." "no GPU process"
keys q q
assert_eq "$(wait_exit)" "0" "exit code"
echo "monitor tree: ok"
