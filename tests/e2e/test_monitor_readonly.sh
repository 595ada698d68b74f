#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --readonly (and NVITOP_MONITOR_MODE=readonly): the signal keys do nothing, no box and no
# hint ever show, and the selected process of the test lives on. Each signal key is followed
# by a sort key whose effect the test waits for: keys are handled in order, so once the sort
# shows, the signal key has been handled, without guessing how long to wait.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB
make_test_tmp
unset NVITOP_PROC_ROOT
printf 'import time\ntime.sleep(600)\n' >"$TEST_TMP/worker.py"
(cd "$TEST_TMP" && exec -a python3 "$(command -v /usr/bin/python3 || command -v python3)" worker.py readonly-worker) &
worker=$!
scenario=$TEST_TMP/scenario.json
cat >"$scenario" <<JSON
{"devices": [{"name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-0", "bus_id": "00000000:18:00.0",
  "memory": {"total": 85899345920, "used": 1073741824}, "utilization": {"gpu": 10, "memory": 1},
  "processes": [{"pid": $worker, "type": "C", "used_memory": 1073741824}]}]}
JSON
sim_env "$scenario"

for how in option env; do
    if [ $how = option ]; then
        tmux_start 160 40 "$NVITOP_BIN_DIR/nvitop" --readonly --interval 0.5
    else
        tmux_start 160 40 env NVITOP_MONITOR_MODE=readonly "$NVITOP_BIN_DIR/nvitop" --interval 0.5
    fi
    trap 'kill -9 $worker 2>/dev/null; tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true; rm -rf "$TEST_TMP"' EXIT
    wait_for "readonly-worker" "$how: the worker listed"
    keys Down
    wait_selected "readonly-worker"
    sort=(p u g s b c m t)
    i=0
    for k in K k T I C-c; do
        keys "$k" o "${sort[$i]}"
        label=$(case ${sort[$i]} in p) echo "PID▲" ;; u) echo "USER▲" ;; g) echo "GPU-MEM▼" ;;
            s) echo "SM▼" ;; b) echo "GMBW▼" ;; esac)
        wait_for "$label" "$how: the key after $k"
        case "$(screen)" in
        *"Send signal"* | *"to send signals"*) fail "$how: $k opened the box or showed the hint" ;;
        esac
        i=$((i + 1))
    done
    kill -0 $worker || fail "$how: the worker died"
    keys q
    assert_eq "$(wait_exit)" "0" "$how: exit code"
    tmux -S "$TMUX_SOCK" kill-server
    rm -f "$TEST_TMP/rc"
done
echo "monitor readonly: ok"
