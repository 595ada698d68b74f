#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Signals from the monitor really reach real processes of this test: each worker is a python
# process whose pid the test writes into the scenario it generates. K + Enter kills one
# (SIGKILL), T + t terminates one (SIGTERM), Ctrl-C + Enter interrupts one (SIGINT), tagged
# processes all get the signal, Esc and n cancel (the process lives). A worker started during
# the run shows up once the scenario lists it and goes away when it is killed and unlisted.
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

tmux_start 120 40 "$NVITOP_BIN_DIR/nvitop" --interval 0.5
trap 'kill_workers; tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true; rm -rf "$TEST_TMP"' EXIT
wait_for "python3 worker.py six" "workers listed"

# select_worker NAME: moves the selection onto the worker's row with Home and as many Downs as
# process rows stand above it, sent at once (the monitor takes keys in order, so a slow machine
# cannot make the selection overshoot). Rows can move between reading the screen and the keys (a
# process ended, the list re-sorted at the next sample): then again on a fresh reading.
select_worker() {
    local above try end
    for try in 1 2 3 4 5; do
        above=$(screen | grep -E '^│ +[0-9]+ +[0-9]+ [CGX] ' | grep -n -F "worker.py $1" | head -1 | cut -d: -f1)
        [ -n "$above" ] || fail "worker $1 is not listed"
        keys Home
        ((above > 1)) && tmux -S "$TMUX_SOCK" send-keys -t t -N $((above - 1)) Down
        end=$((SECONDS + 2))
        while ((SECONDS < end)); do
            case "$(selected_row)" in *"worker.py $1"*) return 0 ;; esac
            sleep 0.1
        done
    done
    wait_selected "worker.py $1"
}

select_worker one
keys K
wait_for "Send signal to process ${pid[one]}(root)?" "K opens the box"
keys Enter
wait_gone "Send signal to process" "Enter applies"
expect_death one 9
wait_for "SIGKILL sent to 1 process" "the note of K"

select_worker two
keys T
wait_for "Send signal to process ${pid[two]}(root)?" "T opens the box"
keys t
expect_death two 15

select_worker three
keys C-c
wait_for "Send signal to process ${pid[three]}(root)?" "Ctrl-C opens the box"
keys Enter
expect_death three 2

# tags: both get it
select_worker four
keys Space
select_worker five
keys Space
keys K
wait_for "Send signal to the following processes?" "the box lists the tagged processes"
wait_for "${pid[four]}(root) ${pid[five]}(root)" "the box lists the tagged processes"
keys Enter
expect_death four 9
expect_death five 9

# cancelled twice: Esc, then n (which moves to Cancel and applies it 0.25 s later)
select_worker six
keys K
wait_for "Send signal to process ${pid[six]}(root)?" "K"
keys Escape
wait_gone "Send signal to process" "Esc closes the box"
keys I
wait_for "Send signal to process ${pid[six]}(root)?" "I"
keys n
wait_gone "Send signal to process" "n cancels"
alive six || fail "worker six died though every box was cancelled"

# a process that starts during the run shows up, and goes away
start_worker seven
workers_scenario "$scenario" six seven
wait_for "python3 worker.py seven" "a new process"
kill -9 "${pid[seven]}"
wait "${pid[seven]}" || true
workers_scenario "$scenario" six
wait_gone "python3 worker.py seven" "a vanished process"
wait_gone "No Such Process" "the dead workers, no longer listed"
keys q
assert_eq "$(wait_exit)" "0" "exit code"
echo "monitor signals: ok"
