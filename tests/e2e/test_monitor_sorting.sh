#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sorted lists on the 8-GPU and 64-GPU scenarios (issue 13), one monitor run per scenario: in
# every order (o + each sort letter, both cases) and every mode (compact from -m, then f and
# a), End selects the last process of the sorted list, End again and PageDown repeated scroll
# to the panel's bottom rule with that process right above it, and rules between GPUs are
# drawn only in the natural order. The last process is computed apart, from `nvitop --json`
# (sorting_model.py); the host values come from a /proc stand-in that does not change.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS NVITOP_FIXTURES
# The /proc stand-ins hold thousands of small files: on tmpfs where there is one (a busy disk
# takes seconds to write them).
if [ -d /dev/shm ] && [ -w /dev/shm ]; then TMPDIR=/dev/shm make_test_tmp; else make_test_tmp; fi
model=$(dirname "$0")/sorting_model.py
export TZ=UTC
W=120 H=40
ORDERS="n N p P u U g G s S b B c C m M t T"

# gpu_rules: how many rules between GPUs the screen shows (the device panel's rules have ┼).
gpu_rules() { screen | grep -c '^├─*┤$' || true; }

# wait_rules yes|no WHAT: until the screen shows rules between GPUs (yes) or none (no).
wait_rules() {
    local end=$((SECONDS + TMUX_WAIT)) n shown
    while ((SECONDS < end)); do
        n=$(gpu_rules)
        shown=no
        ((n == 0)) || shown=yes
        [ "$shown" = "$1" ] && return 0
        sleep 0.1
    done
    screen >&2
    fail "$2: $n rules between GPUs shown (wanted: $1)"
}

# wait_bottom PID WHAT: until the last line is the process panel's bottom rule and the line
# above it shows process PID.
wait_bottom() {
    local end=$((SECONDS + TMUX_WAIT))
    while ((SECONDS < end)); do
        case "$(screen_line $((H - 1)))" in
        ╘*) case "$(screen_line $((H - 2)))" in *" $1 "*) return 0 ;; esac ;;
        esac
        sleep 0.1
    done
    screen >&2
    fail "$2: process $1 is not the last one shown above the bottom rule"
}

# wait_processes WHAT: until the first process sample is in (End selects a process then; the
# device panel of 64 GPUs fills the screen, so the list shows only when scrolled).
wait_processes() {
    local end=$((SECONDS + TMUX_WAIT))
    while ((SECONDS < end)); do
        keys End
        sleep 0.2
        case "$(selected_row)" in *train.py*) return 0 ;; esac
    done
    screen >&2
    fail "$1: no process listed within ${TMUX_WAIT}s"
}

# rules_wanted SCENARIO MODE LETTER: yes, no, or "" (not checked): in the natural order the
# full form draws rules (shown at the bottom of the 8-GPU list; on the 64-GPU one the last GPU
# fills the screen), auto draws them or not as the scroll picks the form; else never.
rules_wanted() {
    case "$3:$2:$1" in
    [nN]:full:node-8gpu-100proc) echo yes ;;
    [nN]:compact:*) echo no ;;
    [nN]:*) echo "" ;;
    *) echo no ;;
    esac
}

# check_order SCENARIO MODE LETTER PID PAGES
check_order() {
    local what="$1, $2, o$3" rules
    echo "$what"
    rules=$(rules_wanted "$1" "$2" "$3")
    keys r
    wait_top yes "$what, r"
    keys o "$3" End
    wait_selected " $4 "
    [ "$rules" != no ] || wait_rules no "$what, End"
    keys End
    wait_bottom "$4" "$what, End End"
    [ -z "$rules" ] || wait_rules "$rules" "$what, End End"
    keys r
    wait_top yes "$what, r"
    keys -N "$5" PageDown
    wait_bottom "$4" "$what, PageDown x $5"
    [ "$rules" != no ] || wait_rules no "$what, PageDown"
}

for scenario in node-8gpu-100proc node-64gpu-4000proc; do
    export NVITOP_PROC_ROOT=$TEST_TMP/proc-$scenario
    python3 "$model" procroot "$NVITOP_SCENARIOS/$scenario.json" \
        "$NVITOP_FIXTURES/proc/basic" "$NVITOP_PROC_ROOT"
    sim_env "$NVITOP_SCENARIOS/$scenario.json"
    "$NVITOP_BIN_DIR/nvitop" --json >"$TEST_TMP/$scenario.json"
    python3 "$model" last "$TEST_TMP/$scenario.json" >"$TEST_TMP/$scenario.last"
    # enough PageDowns for every line of the full forms, and more
    pages=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(len(d["processes"]) + 4 * len(d["devices"]) + 60)' "$TEST_TMP/$scenario.json")

    rm -f "$TEST_TMP/rc"
    tmux_start "$W" "$H" "$NVITOP_BIN_DIR/nvitop" -m compact
    wait_processes "$scenario: start"
    for mode in compact full auto; do
        case $mode in full) keys f ;; auto) keys a ;; esac
        for letter in $ORDERS; do
            pid=$(awk -v l="$letter" '$1 == l {print $2}' "$TEST_TMP/$scenario.last")
            [ -n "$pid" ] || fail "$scenario: no last process for o$letter"
            t0=$EPOCHREALTIME; check_order "$scenario" "$mode" "$letter" "$pid" "$pages"; echo "TIMING $scenario $mode $letter $t0 $EPOCHREALTIME" >&2
        done
    done
    keys q
    assert_eq "$(wait_exit)" 0 "$scenario: exit code"
    tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
done
echo "PASS"
