#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The environment screen in a real terminal (tmux), on a real child process that the scenario
# lists as a GPU process and that runs with an environment this test chose (env -i): e opens
# it (header, sorted KEY=value lines), the keys move the selection and scroll (Down, Up, Tab,
# Shift-Tab, PageDown, PageUp, [ ], Alt-j/k, Home, End, Left, Right, Alt-h/l, Ctrl-A, ^), the
# mouse (click selects, wheel scrolls), r reads it again, a
# resize redraws it, e q Q Esc go back; then a process that is gone and one whose environment
# the user may not read (the monitor runs as nobody) each say why it cannot be shown.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB
make_test_tmp
unset NVITOP_PROC_ROOT
export TZ=UTC

long="LONG=$(printf 'a%.0s' {1..150})MARKER$(printf 'b%.0s' {1..150})"
vars=(A_FIRST=1 "$long" PATH=/usr/bin:/bin "MULTI=one
two" Z_LAST=end)
for i in $(seq -w 1 40); do vars+=("V$i=value$i"); done
env -i "${vars[@]}" sleep 600 &
child=$!
cleanup_child() { kill -9 "$child" 2>/dev/null || true; }

scenario=$TEST_TMP/scenario.json
pids_scenario "$scenario" "$child" 4194300
sim_env "$scenario"

# the text of the line shown in reverse video (the selected one)
env_selected() {
    screen -e | grep -a $'\e\\[[0-9;]*7[0-9;]*m' | sed -e $'s/\e\\[[0-9;]*m//g' | head -1
}
wait_env_selected() { # TEXT
    local end=$((SECONDS + TMUX_WAIT))
    while ((SECONDS < end)); do
        case "$(env_selected)" in "$1"*) return 0 ;; esac
        sleep 0.1
    done
    screen >&2
    fail "the selected line is '$(env_selected)', not one starting with '$1'"
}
on_main() { wait_for "│ Processes:" "$1: back on the main screen"; } # (the top line may be scrolled off)
open_env() { # opens the environment of the child (the first row)
    keys Home
    wait_selected "sleep 600"
    keys e
    wait_for "Environment of process $child (root@GPU: Compute): sleep 600" "${1:-e} opens it"
}

tmux_start 100 20 "$NVITOP_BIN_DIR/nvitop" --interval 0.5
trap 'cleanup_child; tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true; rm -rf "$TEST_TMP"' EXIT
wait_for "sleep 600" "the child listed"
open_env
# (waits, not reads: the header may show before the lines under it)
wait_line 1 "$(printf '#%.0s' {1..100})" "the rule under the header"
wait_line 2 "A_FIRST=1" "sorted by key"
wait_line 4 "MULTI=one␤two" "a newline in a value"
wait_env_selected "A_FIRST=1"

# one line at a time, every key of it
for k in Down Tab M-j PageDown ']'; do
    before=$(env_selected)
    keys "$k"
    wait_env_selected "$(screen | grep -A1 -F -x -- "$before" | tail -1)"
done
wait_env_selected "V02=value02"
for k in Up BTab M-k PageUp '['; do
    keys "$k"
done
wait_env_selected "A_FIRST=1"
keys End
wait_env_selected "Z_LAST=end"
wait_gone "A_FIRST=1" "End scrolls the list"
keys Home
wait_env_selected "A_FIRST=1"

# sideways: 5 columns a key, back with Ctrl-A and ^
wait_gone "MARKER" "the long value is cut"
for _ in $(seq 30); do keys Right; done
wait_for "MARKER" "Right scrolls sideways"
keys C-a
wait_for "LONG=aaaa" "Ctrl-A scrolls back"
for _ in $(seq 15); do keys M-l Right; done
wait_for "MARKER" "Alt-l scrolls sideways"
keys M-h '^'
wait_for "LONG=aaaa" "^ scrolls back"

# the mouse: the wheel scrolls the list, a click selects
mouse 65 10 5
mouse 65 10 5
wait_line 2 "MULTI=one␤two" "the wheel scrolls two lines down"
wait_env_selected "MULTI=one␤two" # the selection keeps its row
mouse 0 10 4
mouse 3 10 4
wait_env_selected "V01=value01"
mouse 64 10 5
mouse 64 10 5
wait_for "A_FIRST=1" "the wheel scrolls back"
# Shift-wheel: two columns sideways (X10), and back (SGR)
mouse 69 10 5
wait_line 2 "FIRST=1" "Shift-wheel down scrolls two columns"
keys -l $'\e[<68;11;6M'
wait_line 2 "A_FIRST=1" "Shift-wheel up scrolls back"

# r reads it again (the same lines), a resize redraws it
keys r
wait_for "A_FIRST=1" "r"
resize 120 24
wait_for "$(printf '#%.0s' {1..120})" "the rule follows the width"
wait_for "V18=value18" "more lines shown"
resize 100 20

# back: e, q, Q, Esc
keys e
on_main e
for k in q Q Escape; do
    open_env "$k"
    keys "$k"
    on_main "$k"
done

# a listed process that is gone
keys End
wait_selected "No Such Process"
keys e
wait_for "Environment of process 4194300" "e on a gone process"
wait_for "Could not read process environment. (the process is gone)" "the reason"
keys q
on_main q
keys q
assert_eq "$(wait_exit)" "0" "exit code"

# an environment the user may not read: pid 1 as seen by an unprivileged monitor
if [ "$(id -u)" = 0 ]; then
    run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    "${run_as[@]}" test -x "$NVITOP_BIN_DIR/nvitop" -a -r "$NVITOP_SIM_LIB" ||
        skip "uid 65534 cannot reach the build tree: the refused environment is not checked"
    chmod 755 "$TEST_TMP"
    chmod 644 "$scenario"
elif [ "$(stat -c %u /proc/1)" != "$(id -u)" ]; then
    run_as=()
else
    skip "pid 1 is ours: no environment to be refused"
fi
tmux -S "$TMUX_SOCK" kill-server
rm -f "$TEST_TMP/rc"
pids_scenario "$scenario" 1
chmod 644 "$scenario"
tmux_start 100 20 "${run_as[@]}" "$NVITOP_BIN_DIR/nvitop" --interval 0.5
trap 'cleanup_child; tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true; rm -rf "$TEST_TMP"' EXIT
# Home only once the row is listed: before the first sample it selects nothing (the race that
# made this test fail now and then)
wait_for "      1 C" "pid 1 listed"
keys Home
wait_selected "    1 C"
keys e
wait_for "Environment of process 1 " "e on pid 1"
wait_for "Could not read process environment. (permission denied)" "the reason"
keys Escape
on_main Escape
keys q
assert_eq "$(wait_exit)" "0" "exit code as an unprivileged user"
echo "monitor environment screen: ok"
