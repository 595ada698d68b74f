#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The help screen in a real terminal (tmux): h and ? open it from the main screen and from the
# tree view, its text is nvitop's (plus our H, w and W rows) with the thresholds in force, any key (Esc,
# a letter, a click) goes back to the screen it was opened from, resizes while it shows, and
# --readonly dims the signal rows instead of colouring them red.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_FIXTURES
make_test_tmp
export NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic TZ=UTC
scenario=$TEST_TMP/scenario.json
cat >"$scenario" <<'JSON'
{"devices": [{"name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-0", "bus_id": "00000000:18:00.0",
  "memory": {"total": 85899345920, "used": 10737418240}, "utilization": {"gpu": 50, "memory": 20},
  "processes": [{"pid": 1045, "type": "C", "used_memory": 3332374528, "sm": 81, "mem": 26}]}]}
JSON
sim_env "$scenario"

# nvitop's help at default thresholds, our H, w and W rows added
cat >"$TEST_TMP/expected" <<'TEXT'
nvitop 1.7.0 - (C) Xuehai Pan, 2021-2026.
Released under the GNU GPLv3 License.

GPU Process Type: C: Compute, G: Graphics, X: Mixed.

Device coloring rules by loading intensity:
  - GPU utilization: light < 10% <= moderate < 75% <= heavy.
  - GPU-MEM percent: light < 10% <= moderate < 80% <= heavy.

      a f c: change display mode                h ?: show this help screen
       F5 r: force refresh window                 q: quit
          H: show/hide the host panel             w: show/hide the WORKLOAD column
                                                  W: group processes by workload

     Arrows: scroll process list              Space: tag/untag current process
       Home: select the first process           Esc: clear process selection
        End: select the last process       Ctrl-C I: interrupt selected process
                                                  K: kill selected process
   Ctrl-A ^: scroll to left most                  T: terminate selected process
   Ctrl-E $: scroll to right most                 e: show process environment
   PageUp [: scroll entire screen up              t: toggle tree-view screen
 PageDown ]: scroll entire screen down        Enter: show process metrics

      Wheel: scroll process list        Shift-Wheel: scroll horizontally
        Tab: scroll process list         Ctrl-Wheel: fast scroll (5x)

      on oN: sort by GPU-INDEX
      op oP: sort by PID                      ob oB: sort by %GMBW
      ou oU: sort by USER                     oc oC: sort by %CPU
      og oG: sort by GPU-MEM                  om oM: sort by %MEM
      os oS: sort by %SM                      ot oT: sort by TIME
        , .: select sort column                   /: invert sort order

Press any key to return.
TEXT

main_shown() { wait_for "(Press h for help or q to quit)" "$1: back on the main screen"; }

tmux_start 120 40 "$NVITOP_BIN_DIR/nvitop" --interval 0.5
wait_for "python3 bench/mm.py 120 1.0" "start"
keys h
wait_for "Press any key to return." "h opens the help"
screen | head -34 | sed -e 's/ *$//' >"$TEST_TMP/shown"
diff -u "$TEST_TMP/expected" "$TEST_TMP/shown" || fail "the help differs from nvitop's"
case "$(screen)" in *"Persistence-M"* | *"Processes:"*) fail "the main screen shows under the help" ;; esac
# the signal rows red (the key names), the others blue
screen -e | grep -a "kill selected process" | grep -qa $'31m' || fail "K's row is not red"
screen -e | grep -a "select the first process" | grep -qa $'34m' || fail "Home's row is not blue"
keys x
main_shown "a letter"
keys '?'
wait_for "Press any key to return." "? opens the help"
keys Escape
main_shown "Esc"
keys h
wait_for "Press any key to return." "h again"
keys q # q returns from the help; it does not quit
main_shown "q"
[ -s "$TEST_TMP/rc" ] && fail "q on the help quit the monitor"

# resizes while the help shows
keys h
wait_for "Press any key to return." "h before the resizes"
resize 90 36
wait_for "Device coloring rules by loading intensity:" "the help at 90x36"
resize 60 20
wait_for "nvitop needs at least a width of 79" "the help at 60 columns"
resize 120 40
wait_for "Press any key to return." "the help after the resizes"
keys Enter
main_shown "Enter"

# from the tree view, back to it
keys t
wait_for "DEVICE  NLWP" "t: the tree view"
keys h
wait_for "Press any key to return." "h in the tree view"
keys z
wait_for "DEVICE  NLWP" "back to the tree view"
keys t
main_shown "t back"
keys q
assert_eq "$(wait_exit)" "0" "exit code"
tmux -S "$TMUX_SOCK" kill-server
rm -f "$TEST_TMP/rc"

# the thresholds in force; --readonly dims the signal rows
tmux_start 120 40 "$NVITOP_BIN_DIR/nvitop" --readonly --gpu-util-thresh 20 60 \
    --mem-util-thresh 30 90 --interval 0.5
wait_for "python3 bench/mm.py 120 1.0" "readonly: start"
keys h
wait_for "GPU utilization: light < 20% <= moderate < 60% <= heavy." "the GPU thresholds"
wait_for "GPU-MEM percent: light < 30% <= moderate < 90% <= heavy." "the memory thresholds"
for row in "kill selected process" "terminate selected process" "interrupt selected process"; do
    line=$(screen -e | grep -a "$row")
    case "$line" in *31m*) fail "readonly: '$row' is red" ;; esac
    case "$line" in *$'\e[2m'* | *$'\e[1;2m'* | *';2m'* | *$'\e[2;'*) ;; *) fail "readonly: '$row' is not dim: $line" ;; esac
done
keys q
main_shown "readonly"
keys q
assert_eq "$(wait_exit)" "0" "readonly: exit code"
echo "monitor help: ok"
