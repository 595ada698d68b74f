#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The fleet screen (`nvitop --prometheus URL` on a terminal) in tmux, on a real Prometheus over
# three exporters (tests/e2e/fleet_lib.sh), under two TERMs: every value of the scenarios on
# the screen (fleet_expect.py screen), sort, filter, selection by keys and clicks, the
# processes of a node and of a GPU (sorted), help, resize; an exporter that stops turns its node
# stale on the screen and back; Prometheus gone is one error line while the keys still work;
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

# fleet_tmux W H TERM ARGS...: nvitop on the fleet in a W x H pane under TERM.
fleet_tmux() {
    local w=$1 h=$2 term=$3
    shift 3
    tmux_start "$w" "$h" env TERM="$term" "$nvitop" --interval 0.5 "$@"
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

# --- the tour, xterm-256color
fleet_tmux 150 40 xterm-256color --prometheus "$PROM_URL"
wait_for "$summary"
wait_matches "first screen"
assert_contains "$(screen_line 1)" "sort: node"
# sort: utilisation puts proc-node's 99 % GPU first
keys .
wait_for "sort: utilization"
first=$(screen | grep -m1 -E '^[▪×] ' | cut -d' ' -f2)
assert_eq "$first" proc-node "first node by utilization"
keys r
wait_for "sort: utilization reversed"
keys r , # back to node
wait_for "sort: node ("
# filter on a GPU name: only the MIG node's rows
keys / M I G
wait_for "Filter: MIG_"
keys Enter
wait_for "filter: MIG"
wait_gone "▪ lost-node"
assert_eq "$(screen | grep -c 'MIG')" 6 "rows naming MIG (5 MIG devices and the filter hint)"
keys Escape
wait_for "▪ lost-node"
# select proc-node's GPU 1 with the keys, open its processes, sort them
row=$(row_of "▪ proc-node")
keys End
sleep 0.3
keys Enter
wait_for "Processes of proc-node GPU 1: 3"
wait_for "sort: GPU memory"
pids=$(screen | awk '$1 == "1" && /slurm 91[0-9]+\.0 \(fleet\) +sleep 300/ {print $2}' | tr '\n' ' ')
assert_eq "$(wc -w <<<"$pids")" 3 "process rows: $(screen)"
assert_contains "$(screen | awk '$1 == "1" && /slurm 91[0-9]+\.0 \(fleet\) +sleep 300/' | head -1)" "2048MiB" "largest first"
keys .
wait_for "sort: SM %"
assert_contains "$(screen | awk '$1 == "1" && /slurm 91[0-9]+\.0 \(fleet\) +sleep 300/' | head -1)" "1024MiB" "5 % SM first"
keys Escape
wait_for "Enter: processes" # the fleet screen again (an Esc read with the next key is Alt)
# a click on the node line selects it, a second click opens its processes (5, both GPUs)
click 4 "$row"
sleep 0.3
click 4 "$row"
wait_for "Processes of proc-node: 5"
keys q
wait_for "Enter: processes"
# help and back
keys h
wait_for "the fleet screen's keys"
keys x
wait_for "Enter: processes"
# resize: the rows follow the width
resize 100 30
wait_for "$summary"
wait_matches "after a resize"
resize 150 40

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
