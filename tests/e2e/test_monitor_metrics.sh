#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The process metrics screen in a real terminal (tmux), on a real child process that the
# scenario lists as a GPU process: Enter opens it for the selected process (nothing without
# one), its labels show the driver's figures and follow them when the scenario changes, the
# graphs grow as samples come, e opens the process's environment and comes back, Enter Esc q
# Q go back to the main screen, a click changes nothing, a resize (also below 79 columns)
# redraws it, and when the process ends the screen says so and the graphs keep their points.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB
make_test_tmp
unset NVITOP_PROC_ROOT
export TZ=UTC

sleep 600 &
child=$!
scenario=$TEST_TMP/scenario.json
write_scenario() { # USED-MEMORY SM
    replace_scenario "$scenario" "{\"driver_version\": \"550.54.15\", \"cuda_driver_version\": 12040,
      \"devices\": [{\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-0\",
      \"bus_id\": \"00000000:18:00.0\", \"memory\": {\"total\": 85899345920, \"used\": $1},
      \"utilization\": {\"gpu\": $2, \"memory\": 1},
      \"processes\": [{\"pid\": $child, \"type\": \"C\", \"used_memory\": $1, \"sm\": $2}]}]}"
}
write_scenario 1073741824 40
sim_env "$scenario"

# braille cells with dots on the screen: how much the graphs show
dots() { screen | python3 -c 'import sys; print(sum(0x2801 <= ord(c) <= 0x28FF for c in sys.stdin.read()))'; }
wait_more_dots() { # COUNT WHAT: until more than COUNT
    local end=$((SECONDS + TMUX_WAIT))
    while ((SECONDS < end)); do
        (($(dots) > $1)) && return 0
        sleep 0.2
    done
    screen >&2
    fail "$2: the graphs did not grow past $1 dots"
}
on_main() { wait_for "│ Processes:" "$1: back on the main screen"; } # (the top line may be scrolled off)
open_metrics() {
    keys Home
    wait_selected "sleep 600"
    keys Enter
    wait_for "MAX GPU-MEM: 1024MiB" "${1:-Enter} opens the metrics"
}

tmux_start 120 40 "$NVITOP_BIN_DIR/nvitop" --interval 0.5
trap 'kill -9 "$child" 2>/dev/null || true; tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true; rm -rf "$TEST_TMP"' EXIT
wait_for "sleep 600" "the child listed"

# nothing selected: Enter stays on the main screen
keys Enter
sleep 0.5
case "$(screen)" in *"MAX GPU-MEM"*) fail "Enter without a selection opened the metrics" ;; esac

open_metrics
wait_for "│ Process:" "the box"
wait_for "sleep 600" "the process row"
wait_for "     GPU-SM: 40.0%" "the SM label"
wait_for "MAX HOST-MEM: " "the host memory label"
wait_for "├────────────────────────╴60s├──────────╴30s├" "the time axis"
assert_contains "$(screen_line 4)" "$child C root  1024MiB   40" "the process row's columns"

# live: the graphs grow, the labels follow the driver
first=$(dots)
wait_more_dots "$first" "new samples"
write_scenario 2147483648 80
wait_for "     GPU-MEM: 2048MiB" "GPU memory follows"
wait_for "MAX GPU-MEM: 2048MiB" "its maximum too"
wait_for "     GPU-SM: 80.0%" "SM follows"

# keys: e and back, a click, then every key that leaves
keys e
wait_for "Environment of process $child (root@GPU: Compute): sleep 600" "e opens the environment"
keys q
wait_for "MAX GPU-MEM: 2048MiB" "q goes back to the metrics"
mouse 0 10 10
mouse 3 10 10
sleep 0.3
wait_for "MAX GPU-MEM" "a click changes nothing"
write_scenario 1073741824 40 # back, before the reopened screens start their graphs
wait_for "     GPU-MEM: 1024MiB" "GPU memory follows back"
wait_for "     GPU-SM: 40.0%" "SM follows back"
for k in Enter Escape q Q; do
    keys "$k"
    on_main "$k"
    open_metrics "$k"
done

# resize: the box follows; below 79 columns only nvitop's note
resize 100 30
wait_for "$(printf '═%.0s' {1..98})╕" "the top rule at 100 columns"
wait_for "╘" "the bottom rule"
assert_eq "$(screen_line 29 | cut -c1-3)" "╘" "the bottom rule on the last line"
resize 70 30
wait_for "nvitop needs at least a width of 79" "too narrow"
resize 120 40
wait_for "MAX GPU-MEM: 1024MiB" "the metrics again"
wait_for "╴60s├──────────╴30s├" "the time axis again"

# the process ends: the screen says so, the graphs keep their points
before=$(dots)
kill -9 "$child"
wait "$child" 2>/dev/null || true
wait_for "(ended: the graphs keep its last samples)" "the end is shown"
wait_for "No Such Process" "the process row"
kept=$(dots)
((kept > 0)) || fail "the graphs lost their points"
sleep 2
assert_eq "$(dots)" "$kept" "the graphs stay as they were"
((before > 0)) || fail "no graph before the end"
keys q
on_main "q after the end"
keys q
assert_eq "$(wait_exit)" "0" "exit code"
echo "monitor metrics screen: ok"
