#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every key of the main screen in a real terminal (tmux), each checked by what it does to the
# screen: display modes (a f c), our H (host panel), selection (arrows, Tab, Shift-Tab,
# Alt-j/k, Home, End), Space tags, Esc clears, horizontal scroll (Left/Right, Alt-h/l, ^ $,
# Ctrl-A/Ctrl-E), whole-screen scroll (PageUp/PageDown, [ ], Alt-K/Alt-J), sorting (o+letter
# both cases, , . < > /), the mouse (click, wheel), refresh (r R Ctrl-R F5), and q Q. The
# other screens have their own tests (test_monitor_help.sh, test_monitor_tree.sh,
# test_monitor_mouse.sh, test_monitor_environ.sh, test_monitor_metrics.sh).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_FIXTURES
make_test_tmp
export NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic TZ=UTC
scenario=$TEST_TMP/scenario.json
cat >"$scenario" <<'JSON'
{"driver_version": "550.54.15", "cuda_driver_version": 12040, "devices": [
 {"name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-0", "bus_id": "00000000:18:00.0",
  "memory": {"total": 85899345920, "used": 10737418240}, "utilization": {"gpu": 50, "memory": 20},
  "temperature": 60, "power_usage": 300000, "power_limit": 700000, "performance_state": 0,
  "processes": [{"pid": 1045, "type": "C", "used_memory": 3332374528, "sm": 81, "mem": 26},
                {"pid": 1046, "type": "C", "used_memory": 7627341824, "sm": 16, "mem": 5}]},
 {"name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-1", "bus_id": "00000000:19:00.0",
  "memory": {"total": 85899345920, "used": 2147483648}, "utilization": {"gpu": 5, "memory": 1},
  "temperature": 40, "power_usage": 100000, "power_limit": 700000, "performance_state": 8,
  "processes": [{"pid": 2001, "type": "G", "used_memory": 1073741824, "sm": 3, "mem": 1},
                {"pid": 4194300, "type": "C", "used_memory": 536870912}]}]}
JSON
sim_env "$scenario"

tmux_start 120 40 "$NVITOP_BIN_DIR/nvitop" --interval 0.5
wait_for "python3 bench/mm.py 120 1.0" "start"
wait_for "Persistence-M" "auto at 120x40 is full"

# display modes
keys c
wait_for "│ GPU Fan Temp Perf Pwr:Usg/Cap │" "c: compact"
wait_gone "│ Load Average:" "c: host compact"
keys f
wait_for "Persistence-M" "f: full"
wait_for "│ Load Average:" "f: host graphs"
keys c a
wait_for "Persistence-M" "a: auto (full at 120x40)"
# ours: H hides and shows the host panel
keys H
wait_gone "Load Average" "H hides the host panel"
keys H
wait_for "Load Average" "H shows it again"

# selection: the first Down selects the first row (natural order), Up the one above
keys Down
wait_selected "1045 C"
wait_for "(Press ^C(INT)/T(TERM)/K(KILL) to send signals)" "signal hint"
keys Down
wait_selected "1046 C"
keys Tab
wait_selected "2001 G"
keys BTab
wait_selected "1046 C"
keys M-j
wait_selected "2001 G"
keys M-k
wait_selected "1046 C"
keys Up
wait_selected "1045 C"
keys End
wait_selected "4194300 C"
keys Home
wait_selected "1045 C"
keys Escape
wait_gone "to send signals" "Esc clears the selection"
[ -z "$(selected_row)" ] || fail "Esc: still selected: $(selected_row)"

# Space tags and moves down; Esc forgets tags too
keys Down Space
wait_selected "1046 C"
screen -e | grep -a "1045 C" | grep -qa $'\e\\[1m\e\\[33m\\|\e\\[1;33m\\|33m' || fail "Space: 1045 not shown as tagged"
keys Escape
wait_gone "to send signals" "Esc after a tag"

# the mouse: a click selects a row, the wheel moves the selection, a click elsewhere clears it
mouse 0 10 "$(row_of "2001 G")"
mouse 3 10 "$(row_of "2001 G")"
wait_selected "2001 G"
mouse 64 10 5
wait_selected "1046 C"
mouse 65 10 5
wait_selected "2001 G"
mouse 0 10 1
mouse 3 10 1
wait_gone "to send signals" "a click outside the processes"

# sorting
keys o g
wait_for "GPU-MEM▼" "og"
keys o G
wait_for "GPU-MEM▲" "oG"
keys /
wait_for "GPU-MEM▼" "/ inverts"
keys .
wait_for "SM▼" ". next column"
keys '>'
wait_for "GMBW▼" "> next column"
keys ,
wait_for "SM▼" ", previous column"
keys '<'
wait_for "GPU-MEM▼" "< previous column"
for k in p u s b c m t; do
    keys o "$k"
    label=$(case $k in p) echo "PID▲" ;; u) echo "USER▲" ;; s) echo "SM▼" ;; b) echo "GMBW▼" ;;
        c) echo "%CPU▼" ;; m) echo "%MEM▼" ;; t) echo "TIME▼" ;; esac)
    wait_for "$label" "o$k"
done
keys o P
wait_for "PID▼" "oP"
keys o N
wait_for "GPU▼" "oN"
keys o n
wait_gone "▲" "on: natural order, no arrow"
wait_gone "▼" "on: natural order, no arrow"

# horizontal scroll (80 columns: the commands do not fit): $ and Ctrl-E to the end, ^ and
# Ctrl-A back, arrows by two
resize 80 40
wait_for "python3 bench/.." "80 columns"
keys Down '$'
wait_for "%GMBW  COMMAND" "$: only COMMAND in the header"
keys '^'
wait_for "%CPU  %MEM  TIME  COMMAND" "^: back"
keys C-e
wait_for "%GMBW  COMMAND" "Ctrl-E"
keys C-a
wait_for "%CPU  %MEM  TIME  COMMAND" "Ctrl-A"
keys Right
wait_for "%GMBW  CPU  %MEM" "Right: two columns"
keys M-l
wait_for "%GMBW  U  %MEM" "Alt-l: two more"
keys Left M-h
wait_for "%CPU  %MEM  TIME  COMMAND" "Left and Alt-h: back"
# (a key within 25 ms of Esc would make Alt+key, as in any terminal program: wait for Esc)
keys Escape
wait_gone "to send signals" "Esc"
resize 120 40

# whole-screen scroll (compact form, the terminal made short)
resize 120 20
wait_for "│ GPU Fan Temp Perf Pwr:Usg/Cap │" "auto is compact in 20 lines" # the resize is seen
keys f
wait_for "Persistence-M" "f in 20 lines"
wait_top yes "f in 20 lines"
keys PageDown
wait_top no "PageDown scrolls"
keys PageUp
wait_top yes "PageUp scrolls back"
keys ']' ']'
wait_top no "] scrolls"
keys '[' '['
wait_top yes "[ scrolls back"
keys M-J
wait_top no "Alt-J scrolls"
keys M-K
wait_top yes "Alt-K scrolls back"
for k in r R C-r F5; do
    keys ']' Down
    wait_for "to send signals" "a selection before $k"
    keys "$k"
    wait_gone "to send signals" "$k clears the selection"
    wait_top yes "$k scrolls to the top"
done
resize 120 40

keys Q
rc=$(wait_exit)
assert_eq "$rc" "0" "exit code after Q"
echo "monitor keys: ok"
