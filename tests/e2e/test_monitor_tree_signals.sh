#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Signals from the tree view reach real processes of this test (python workers whose pids the
# scenario lists; the tree shows them under this script and its ancestors): K + Enter kills
# one, T + a click on the SIGKILL button kills one with SIGKILL, K + the wheel up to SIGTERM +
# Enter terminates one, two tagged ones both get Ctrl-C's SIGINT, a click on Cancel and Esc
# leave one alive. A click on a key of the header's hint opens the box too. Then --readonly:
# no signal key opens the box on the tree view, no hint, the worker lives.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB
make_test_tmp
unset NVITOP_PROC_ROOT
source "$(dirname "$0")/workers.sh"
for w in one two three four five six; do start_worker "$w"; done
scenario=$TEST_TMP/scenario.json
workers_scenario "$scenario" one two three four five six
sim_env "$scenario"
cleanup() {
    kill_workers
    tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
    rm -rf "$TEST_TMP"
}

# moves the tree's selection onto the worker's row (clicking it)
select_worker() { # NAME
    wait_for "worker.py $1" "worker $1 in the tree"
    select_by_click "worker.py $1" tree
}

# a click on the button showing TEXT
click_button() { click "$(($(col_of "$1") + 2))" "$(row_of "$1")"; }

tmux_start 120 40 "$NVITOP_BIN_DIR/nvitop" --interval 0.5
trap cleanup EXIT
wait_for "python3 worker.py six" "workers listed"
keys t
wait_for "DEVICE  NLWP" "the tree view"
wait_for "worker.py six" "the workers in the tree"
screen | grep "worker.py one" | grep -q "─ python3 worker.py one" || fail "a worker is not under its parent"

select_worker one
keys K
wait_for "Send signal to process ${pid[one]}(root)?" "K opens the box over the tree"
keys Enter
wait_gone "Send signal to process" "Enter applies"
expect_death one 9
wait_for "DEVICE  NLWP" "back on the tree view"

# a click on a button chooses it (the highlighted one was SIGTERM)
select_worker two
keys T
wait_for "Send signal to process ${pid[two]}(root)?" "T"
click_button "SIGKILL"
expect_death two 9

# the wheel moves between the buttons (SIGKILL up to SIGTERM)
select_worker three
keys k
wait_for "Send signal to process ${pid[three]}(root)?" "k"
mouse 64 60 20 # SIGKILL -> SIGTERM
mouse 64 60 20 # -> Cancel (round)
mouse 65 60 20 # -> SIGTERM
keys Enter
expect_death three 15

# tags: both get Ctrl-C's SIGINT
select_worker four
keys Space
select_worker five
keys Space
wait_tree_tagged "worker.py four" "worker.py five"
keys C-c
wait_for "Send signal to the following processes?" "the box lists the tagged processes"
keys Enter
expect_death four 2
expect_death five 2

# cancelled: a click on Cancel, then Esc; a click on the hint's K opens the box
select_worker six
keys T
wait_for "Send signal to process ${pid[six]}(root)?" "T before Cancel"
click_button "Cancel"
wait_gone "Send signal to process" "a click on Cancel"
wait_for "worker.py six" "still listed"
select_worker six
wait_for "(Press ^C(INT)/T(TERM)/K(KILL) to send signals)" "the hint"
click "$(($(col_of "K(KILL)")))" 0
wait_for "Send signal to process ${pid[six]}(root)?" "a click on the hint's K"
keys Escape
wait_gone "Send signal to process" "Esc"
alive six || fail "worker six died though every box was cancelled"
keys q q
assert_eq "$(wait_exit)" "0" "exit code"
tmux -S "$TMUX_SOCK" kill-server
rm -f "$TEST_TMP/rc"

# --readonly: the signal keys do nothing on the tree view
tmux_start 120 40 "$NVITOP_BIN_DIR/nvitop" --readonly --interval 0.5
trap cleanup EXIT
wait_for "python3 worker.py six" "readonly: workers listed"
keys t
select_worker six
h0=$(screen_line 0)
for k in K k T I C-c; do
    # keys are handled in order (and ^C's signal at the latest before the next key is read):
    # once the second Right shows, the signal key was handled
    keys "$k" Right
    wait_line 0 "${h0:5:20}" "readonly: Right after $k"
    keys Right
    wait_line 0 "${h0:10:20}" "readonly: Right again after $k"
    case "$(screen)" in *"Send signal"* | *"to send signals"*) fail "readonly: $k opened the box or showed the hint" ;; esac
    keys C-a
    wait_line 0 "${h0:0:20}" "readonly: Ctrl-A after $k"
done
alive six || fail "readonly: the worker died"
keys q q
assert_eq "$(wait_exit)" "0" "readonly: exit code"
echo "monitor tree signals: ok"
