#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Clicks everywhere in the signal box, on real processes (python workers the scenario lists),
# under each TERM of the terminal matrix and in both report forms (X10, SGR): a click on no
# button does nothing (the process lives, the box stays, its highlight stays); a click on a
# cell of a button chooses that button (its signal, none for Cancel), and a click on a signal
# button sends its signal, and only that one, to the process. Once, a click on every cell
# that is no button, in both forms; per TERM, those cells in one form and sample cells of every
# button. (Under TERM=xterm* the entry's mouse key is SGR's prefix ESC [ <: the rest of a
# report read as keys picked the box's buttons by its digits: a click sent SIGKILL.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB
make_test_tmp
unset NVITOP_PROC_ROOT
export LANG=C.UTF-8
source "$(dirname "$0")/workers.sh"
scenario=$TEST_TMP/scenario.json
read -ra terms <<<"${NVITOP_TEST_TERMS:-xterm-256color xterm screen-256color tmux-256color linux rxvt-unicode-256color vt100}"
for term in "${terms[@]}"; do
    infocmp "$term" >/dev/null 2>&1 || fail "no terminfo for $term (ncurses-term)"
done

# open_box NAME: selects the worker (a click on its row) and opens the box with T
open_box() {
    select_by_click "worker.py $1"
    keys T
    wait_for "Send signal to process ${pid[$1]}(root)?" "T on worker $1"
}

# cell_of NAME I: the I-th cell of the button NAME (cycling) in $cells, the box's cells
cell_of() {
    local of
    mapfile -t of < <(awk -v b="$1" '$3 == b' <<<"$cells")
    ((${#of[@]} > 0)) || fail "no button $1 in the box"
    echo "${of[$(($2 % ${#of[@]}))]}"
}

# try_button NAME STEPS FORM I WORKER: a click on the I-th cell of button NAME and, in the same
# burst (before the click applies), STEPS times Right: the highlight moves from NAME to Cancel,
# which applies; so no signal is sent unless the click chose another button than NAME
try_button() {
    local name=$1 steps=$2 form=$3 i=$4 worker=$5 right=""
    open_box "$worker"
    for ((k = 0; k < steps; k++)); do right+=$'\e[C'; done
    cell_of "$name" "$i" | clicks "$form" "$right"
    wait_gone "Send signal to process" "$term: $name cell $i ($form), Right x$steps: Cancel applies"
    alive "$worker" || fail "$term: a click on $name then Right x$steps killed worker $worker"
}

n=0
for term in "${terms[@]}"; do
    n=$((n + 1))
    forms=(x10 sgr)
    ((n % 2)) || forms=(sgr x10)
    for w in keep kill int term; do start_worker "$w$n"; done
    workers_scenario "$scenario" "keep$n" "kill$n" "int$n" "term$n"
    sim_env "$scenario"
    [ -n "${TMUX_SOCK:-}" ] && tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
    rm -f "$TEST_TMP/rc"
    tmux_start 120 40 env TERM="$term" "$NVITOP_BIN_DIR/nvitop" --interval 0.5
    trap 'kill_workers; tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true; rm -rf "$TEST_TMP"' EXIT
    wait_for "python3 worker.py term$n" "$term: workers listed"

    # every cell of no button: nothing; (once in both forms); Right then shows that no click
    # chose a button (and that all of them were read), 0.4 s later nothing applied
    open_box "keep$n"
    wait_highlight SIGTERM
    cells=$(box_cells)
    for form in "${forms[@]}"; do
        awk '$3 == "-"' <<<"$cells" | clicks "$form"
        keys Right
        wait_highlight SIGKILL
        sleep 0.4
        alive "keep$n" || fail "$term ($form): a click on no button killed worker keep$n"
        wait_for "Send signal to process ${pid[keep$n]}(root)?" "$term ($form): the box stays"
        [ "$(box_highlight)" = SIGKILL ] || fail "$term ($form): a click moved the highlight"
        keys Left
        wait_highlight SIGTERM
        ((n == 1)) || break
    done
    # Cancel: the box closes, the process lives
    cell_of Cancel $((n * 5)) | clicks "${forms[0]}"
    wait_gone "Send signal to process" "$term: a click on Cancel"
    sleep 0.3
    alive "keep$n" || fail "$term: a click on Cancel killed worker keep$n"
    # a cell of a signal button chooses that button (then Cancel applies): each button once,
    # then one a TERM
    buttons=(SIGTERM SIGKILL SIGINT)
    ((n == 1)) || buttons=("${buttons[$((n % 3))]}")
    for b in "${buttons[@]}"; do
        case $b in SIGTERM) steps=3 ;; SIGKILL) steps=2 ;; *) steps=1 ;; esac
        try_button "$b" "$steps" "${forms[$((steps % 2))]}" $((n * 7 + steps)) "keep$n"
    done
    # each signal button sends its signal
    open_box "kill$n"
    cell_of SIGKILL $((n * 3)) | clicks "${forms[0]}"
    expect_death "kill$n" 9
    open_box "int$n"
    cell_of SIGINT $((n * 5 + 1)) | clicks "${forms[1]}"
    expect_death "int$n" 2
    open_box "term$n"
    cell_of SIGTERM $((n * 7 + 2)) | clicks "${forms[0]}"
    expect_death "term$n" 15
    alive "keep$n" || fail "$term: worker keep$n died"
    keys q
    assert_eq "$(wait_exit)" "0" "$term: exit code"
    kill -9 "${pid[keep$n]}"
    wait "${pid[keep$n]}" 2>/dev/null || true
done
echo "monitor signal box clicks: ok"
