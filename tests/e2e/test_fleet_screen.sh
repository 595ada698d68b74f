#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The fleet screen (`nvitop --prometheus URL` on a terminal) in tmux, on a real Prometheus over
# three exporters (tests/e2e/fleet_lib.sh), started once: the whole tour under each TERM of the
# monitor's terminal matrix (test_monitor_terms.sh: their entries differ in keys, mouse prefix,
# colours, standout) and kitty's, iTerm2's and Windows Terminal's entries: every value of the
# scenarios on the screen (fleet_expect.py screen), sort, filter, selection by the keys as that
# terminal sends them, by clicks and the wheel in both report forms (X10, SGR), the processes
# of a node and of a GPU (sorted), help, resize, and q that quits at once with exit status 0,
# nothing on stderr and the terminal given back (main screen, no mouse reports, keypad off).
# Then, under xterm-256color: an exporter that stops turns its node stale on the screen and
# back; Prometheus gone is one error line while the keys still work; and under screen-256color
# a Prometheus that never answers does not freeze the screen, and q quits at once.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exporter_lib.sh"
source "$(dirname "$0")/fleet_lib.sh"
source "$(dirname "$0")/tmux.sh"
expect=$(dirname "$0")/fleet_expect.py
user=$(id -un)
export LANG=C.UTF-8 TZ=UTC

make_fleet_scenarios
start_fleet

# fleet_tmux W H TERM ARGS...: nvitop on the fleet in a W x H pane under TERM (and the
# variables of TOUR_ENV).
TOUR_ENV=()
fleet_tmux() {
    local w=$1 h=$2 term=$3
    shift 3
    tmux_start "$w" "$h" env TERM="$term" "${TOUR_ENV[@]}" "$nvitop" --interval 0.5 "$@"
    trap 'tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true; cleanup' EXIT
}
# screen_matches [NODE=REASON ...]: every value of the scenarios on the screen.
screen_matches() {
    screen >"$TEST_TMP/screen.txt"
    python3 "$expect" screen "$TEST_TMP" "$user" "$TEST_TMP/screen.txt" "$@" >"$TEST_TMP/diff"
}
# wait_matches WHAT [NODE=REASON ...]: until the screen matches (10 s at most).
wait_matches() {
    local what=$1 end=$((SECONDS + 10))
    shift
    until screen_matches "$@"; do
        ((SECONDS < end)) || fail "$what: the screen differs from the scenarios: $(cat "$TEST_TMP/diff")
$(cat "$TEST_TMP/screen.txt")"
        sleep 0.2
    done
}
summary="Fleet of $PROM_URL: 3 nodes, 8 GPUs: 7 busy, 1 idle"

# report FORM BUTTON X Y [m]: a mouse report in FORM (x10, sgr): BUTTON 0 left, 64 wheel up,
# 65 wheel down; a press, or a release with m (x10: button 3)
report() {
    if [ "$1" = sgr ]; then
        keys -l $'\e'"[<$2;$(($3 + 1));$(($4 + 1))${5:-M}"
    elif [ -n "${5:-}" ]; then
        mouse 3 "$3" "$4"
    else
        mouse "$2" "$3" "$4"
    fi
}

# fclick FORM X Y: a left click (press and release) in FORM
fclick() {
    report "$1" 0 "$2" "$3"
    report "$1" 0 "$2" "$3" m
}

# fleet_selected: the text of the selected row (reverse video below the three head lines)
fleet_selected() { reverse_lines | awk '$1 > 2' | head -1 | cut -d' ' -f2-; }

# wait_fleet_selected TEXT: until the selected row contains TEXT
wait_fleet_selected() {
    local end=$((SECONDS + TMUX_WAIT))
    while ((SECONDS < end)); do
        case "$(fleet_selected)" in *"$1"*) return 0 ;; esac
        sleep 0.1
    done
    screen >&2
    fail "$what: the selected row is '$(fleet_selected)', not one with '$1'"
}

# wait_fleet_line N: until the selected row is screen line N (from 0)
wait_fleet_line() {
    local end=$((SECONDS + TMUX_WAIT)) at
    while ((SECONDS < end)); do
        at=$(reverse_lines | awk '$1 > 2 {print $1; exit}')
        [ "$at" = "$1" ] && return 0
        sleep 0.1
    done
    screen >&2
    fail "$what: the selected row is line '$at', not line $1"
}

# pane_modes: what the terminal is left in: alternate screen, mouse reports (any, standard,
# SGR), keypad (application cursor keys) and the cursor shown, as tmux sees them
pane_modes() {
    tmux -S "$TMUX_SOCK" display -p -t t \
        'alt=#{alternate_on} mouse=#{mouse_any_flag}#{mouse_standard_flag}#{mouse_sgr_flag} keypad=#{keypad_cursor_flag} cursor=#{cursor_flag}'
}

# tour FORM [OPTION...]: the whole tour under $term (and TOUR_ENV), with the mouse in FORM
# (and the other form b), nvitop given OPTIONs
tour() {
    local a=$1 b first row last start m=▪
    shift
    b=$([ "$a" = x10 ] && echo sgr || echo x10)
    what="TERM=$term${TOUR_ENV[*]:+ ${TOUR_ENV[*]}}${*:+ $*} ($a)"
    [ "$*" != --ascii ] || m="*" # the node mark's ASCII stand-in
    fleet_tmux 150 40 "$term" --prometheus "$PROM_URL" "$@"
    wait_for "$summary" "$what"
    wait_matches "$what: first screen"
    assert_contains "$(screen_line 1)" "sort: node" "$what"
    # sort: utilisation puts proc-node's 99 % GPU first
    keys .
    wait_for "sort: utilization" "$what"
    first=$(screen | grep -m1 -E '^[▪×*x] ' | cut -d' ' -f2)
    assert_eq "$first" proc-node "$what: first node by utilization"
    keys r
    wait_for "sort: utilization reversed" "$what"
    keys r ,
    wait_for "sort: node (" "$what"
    # filter on a GPU name: only the MIG node's rows
    keys / M I G
    wait_for "Filter: MIG_" "$what"
    keys Enter
    wait_for "filter: MIG" "$what"
    wait_gone "$m lost-node" "$what"
    assert_eq "$(screen | grep -c 'MIG')" 6 "$what: rows naming MIG (5 MIG devices and the filter hint)"
    keys Escape
    wait_for "$m lost-node" "$what"
    # the keys as the terminal sends them: Home, Down, End, Up, Down (sorted by node, the last
    # row is proc-node's GPU 1, the row above it its GPU 0)
    row=$(row_of "$m lost-node")
    last=$(($(screen | grep -c .) - 1)) # proc-node's GPU 1 (the rows fit)
    tkey khome Home
    wait_fleet_line "$row"
    tkey kcud1 Down
    wait_fleet_line $((row + 1))
    tkey kend End
    wait_fleet_line "$last"
    tkey kcuu1 Up
    wait_fleet_line $((last - 1))
    tkey kcud1 Down
    wait_fleet_line "$last"
    # Enter: proc-node's GPU 1's processes, sorted; Esc back
    keys Enter
    wait_for "Processes of proc-node GPU 1: 3" "$what"
    wait_for "sort: GPU memory" "$what"
    pids=$(screen | awk '$1 == "1" && /slurm 91[0-9]+\.0 \(fleet\) +sleep 300/ {print $2}' | tr '\n' ' ')
    assert_eq "$(wc -w <<<"$pids")" 3 "$what: process rows: $(screen)"
    assert_contains "$(screen | awk '$1 == "1" && /slurm 91[0-9]+\.0 \(fleet\) +sleep 300/' | head -1)" "2048MiB" "$what: largest first"
    keys .
    wait_for "sort: SM %" "$what"
    assert_contains "$(screen | awk '$1 == "1" && /slurm 91[0-9]+\.0 \(fleet\) +sleep 300/' | head -1)" "1024MiB" "$what: 5 % SM first"
    keys Escape
    wait_for "Enter: processes" "$what" # the fleet screen again (an Esc read with the next key is Alt)
    # the mouse: a click (form a) selects proc-node's line, a click in form b on the selected
    # line opens its processes (5, both GPUs); the wheel moves the selection there, q back
    row=$(row_of "$m proc-node")
    fclick "$a" 4 "$row"
    wait_fleet_selected "$m proc-node"
    fclick "$b" 4 "$row"
    wait_for "Processes of proc-node: 5" "$what"
    wait_fleet_line 3
    report "$a" 65 10 8
    wait_fleet_line 4
    report "$b" 64 10 8
    wait_fleet_line 3
    keys q
    wait_for "Enter: processes" "$what"
    # the wheel on the fleet screen: down to GPU 0 of proc-node, up again (form b, then a)
    report "$b" 65 10 8
    wait_fleet_line $((row + 1))
    report "$a" 64 10 8
    wait_fleet_line "$row"
    if [ "$*" = --ascii ] && LC_ALL=C grep -q '[^ -~]' <<<"$(screen)"; then
        screen >&2
        fail "$what: a glyph that is not ASCII on the screen"
    fi
    # help and back
    keys h
    wait_for "the fleet screen's keys" "$what"
    keys x
    wait_for "Enter: processes" "$what"
    # resize: the rows follow the width
    resize 100 30
    wait_for "$summary" "$what"
    wait_matches "$what: after a resize"
    # q quits at once: exit status 0, nothing on stderr, the terminal given back
    start=$SECONDS
    keys q
    assert_eq "$(wait_exit)" 0 "$what: exit code"
    ((SECONDS - start <= 3)) || fail "$what: q took $((SECONDS - start)) s"
    [ ! -s "$TEST_TMP/err" ] || fail "$what: stderr: $(cat "$TEST_TMP/err")"
    assert_eq "$(pane_modes)" "alt=0 mouse=000 keypad=0 cursor=1" "$what: the terminal after q"
}

n=0
for term in xterm-256color xterm screen-256color tmux-256color linux rxvt-unicode-256color vt100 \
    kitty iTerm2.app ms-terminal; do
    infocmp "$term" >/dev/null 2>&1 || fail "no terminfo for $term (ncurses-term)"
    n=$((n + 1))
    if ((n % 2)); then tour x10; else tour sgr; fi
done
# LC_ALL=C: drawn through C.UTF-8 (nvitop's setlocale_utf8), and the ASCII glyphs on a vt100
TOUR_ENV=(LC_ALL=C LANG=C)
term=xterm-256color
tour sgr
term=vt100
tour x10 --ascii
TOUR_ENV=()
fleet_tmux 150 40 xterm-256color --prometheus "$PROM_URL"
wait_for "$summary"

# --- an exporter stops: stale on the screen, no rows; started again: back
EXPORTER_PID=$PID_proc_node
stop_exporter TERM
wait_for "× proc-node (127.0.0.1:$PORT_proc_node)  STALE: exporter down, last scrape"
wait_matches "a stale node" proc-node="exporter down"
start_fleet_exporter proc-node "$PORT_proc_node"
wait_for "▪ proc-node (127.0.0.1:$PORT_proc_node)  CPU"
wait_matches "after the restart"

# --- Prometheus gone: one error line, the last data marked with its age, keys still work
kill "$PROM_PID"
wait_for "ERROR: Prometheus at $PROM_URL: cannot connect ("
wait_for "last good data"
assert_eq "$(screen | grep -c 'ERROR:')" 1 "error lines"
keys h
wait_for "the fleet screen's keys"
keys x q
assert_eq "$(wait_exit)" 0 "exit code"
[ ! -s "$TEST_TMP/err" ] || fail "stderr: $(cat "$TEST_TMP/err")"

# --- a Prometheus that never answers (the stub's /slow), under screen-256color
python3 "$(dirname "$0")/fleet_stub.py" "$TEST_TMP/stub.port" &
STARTED_PIDS+=($!)
fleet_wait 10 test -f "$TEST_TMP/stub.port"
fleet_tmux 100 30 screen-256color --prometheus "http://127.0.0.1:$(cat "$TEST_TMP/stub.port")/slow" \
    --prometheus-timeout 60
wait_for "Asking http://127.0.0.1:"
keys h
wait_for "the fleet screen's keys"
keys x
start=$SECONDS
keys q
assert_eq "$(wait_exit)" 0 "exit code with a query in flight"
((SECONDS - start <= 3)) || fail "q took $((SECONDS - start)) s with a query in flight"
echo PASS
